import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compareKernelReleases,
  formatKernelRelease,
  KernelRelease,
  parseKernelRelease,
  requireKernelRelease,
} from "../../../policies/src/knowledge/kernelRelease";

function parsed(text: string): KernelRelease {
  const kernel = parseKernelRelease(text);
  if (!kernel) throw new Error(`test setup: '${text}' should parse`);
  return kernel;
}

function cmp(a: string, b: string): number {
  return compareKernelReleases(parsed(a), parsed(b));
}

describe("parseKernelRelease", () => {
  it("splits `uname -r` output into version, release, dist tag and arch", () => {
    expect(parseKernelRelease("4.19.91-22.2.al7.x86_64")).toEqual({
      version: "4.19.91",
      release: "22.2.al7",
      distTag: "al7",
      arch: "x86_64",
    });
  });

  it("accepts the `kernel-` package prefix (rpm -q kernel, the release notes)", () => {
    expect(parseKernelRelease("kernel-4.19.24-9.al7.x86_64")).toEqual({
      version: "4.19.24",
      release: "9.al7",
      distTag: "al7",
      arch: "x86_64",
    });
    expect(parseKernelRelease("kernel-4.19.91-22.2.al7")).toEqual({
      version: "4.19.91",
      release: "22.2.al7",
      distTag: "al7",
      arch: undefined,
    });
  });

  it("leaves the arch undefined when none is given", () => {
    const kernel = parsed("4.19.91-23.al7");
    expect(kernel.arch).toBeUndefined();
    expect(kernel.release).toBe("23.al7");
  });

  it.each([
    ["4.19.91-22.2.al7.aarch64", "aarch64"],
    ["4.19.91-22.2.al7.i686", "i686"],
    ["4.19.91-22.2.al7.noarch", "noarch"],
  ])("recognises the arch of %s", (text, arch) => {
    expect(parsed(text).arch).toBe(arch);
    expect(parsed(text).release).toBe("22.2.al7");
  });

  it.each([
    ["4.19.91-22.2.al7", "al7"],
    ["3.10.0-1160.el7.x86_64", "el7"],
    ["4.18.0-305.el8_4.x86_64", "el8"],
    ["5.10.134-13.al8.x86_64", "al8"],
    ["5.10.134-13.an8.x86_64", "an8"],
    ["5.8.15-301.fc33.x86_64", "fc33"],
    // a real AL2 build (alinux2-facts.md §2): the `fc` run without digits is not a dist tag
    ["4.19.91-22.fc.1.al7.x86_64", "al7"],
  ])("finds the dist tag of %s", (text, distTag) => {
    expect(parsed(text).distTag).toBe(distTag);
  });

  it("has no dist tag when the release names none", () => {
    expect(parsed("4.19.91-22").distTag).toBeUndefined();
    expect(parsed("4.19.91-22.2").distTag).toBeUndefined();
  });

  it("ignores surrounding whitespace (a trailing newline from `uname -r`)", () => {
    expect(parseKernelRelease("  4.19.91-21.al7.x86_64\n")).toEqual(parseKernelRelease("4.19.91-21.al7.x86_64"));
  });

  it.each([
    "",
    "   ",
    "garbage",
    "4.19.91",
    "4.19.91-",
    "-22.2.al7",
    "kernel-",
    "kernel-4.19.91",
    "v4.19.91-22.al7",
    "4.19.91-22.2.al7 x86_64",
    "4.19.91-.al7",
    "4.19.91-22.2.al7.",
    "4.19.91-.x86_64",
    "4.19.91-22.2.al7..x86_64",
    "4..19-22.al7",
    "aliyun_2_1903_x64_20G_alibase_20210120.vhd",
  ])("rejects %j", (text) => {
    expect(parseKernelRelease(text)).toBeUndefined();
  });
});

describe("compareKernelReleases: RPM order, not string order", () => {
  it("orders the advisory boundary: 22.2.al7 < 23.al7", () => {
    expect(cmp("4.19.91-22.2.al7", "4.19.91-23.al7")).toBe(-1);
    expect(cmp("4.19.91-23.al7", "4.19.91-22.2.al7")).toBe(1);
  });

  it("compares release numbers as integers: 9 < 10 (string order would say otherwise)", () => {
    expect(cmp("4.19.91-9", "4.19.91-10")).toBe(-1);
    expect(cmp("4.19.91-9.al7", "4.19.91-10.al7")).toBe(-1);
  });

  it("compares versions before releases, and versions as integers", () => {
    expect(cmp("4.19.100-1.al7", "4.19.91-99.al7")).toBe(1);
    expect(cmp("4.19.24-9.al7", "4.19.91-18.al7")).toBe(-1);
    expect(cmp("5.10.134-13.al8", "4.19.91-27.7.al7")).toBe(1);
  });

  it("ignores the arch and the `kernel-` prefix", () => {
    expect(cmp("kernel-4.19.91-22.2.al7.x86_64", "4.19.91-22.2.al7")).toBe(0);
    expect(cmp("4.19.91-22.2.al7.aarch64", "4.19.91-22.2.al7.x86_64")).toBe(0);
  });

  it("puts a sub-release after its release: 22.al7 < 22.1.al7 < 22.2.al7", () => {
    expect(cmp("4.19.91-22.al7", "4.19.91-22.1.al7")).toBe(-1);
    expect(cmp("4.19.91-22.1.al7", "4.19.91-22.2.al7")).toBe(-1);
  });

  it("sorts the AL2 4.19 kernel builds Alibaba lists (alinux2-facts.md §2, oldest first) in their listed order", () => {
    const listed = [
      "24-7",
      "24-7.14",
      "24-9",
      "34-11",
      "36-12",
      "43-13.2",
      "57-15.1",
      "81-17",
      "81-17.1",
      "81-17.2",
      "91-18",
      "91-19.1",
      "91-19.2",
      "91-21",
      "91-21.2",
      "91-22",
      "91-22.fc.1",
      "91-22.1",
      "91-22.2",
      "91-23",
      "91-23.1",
      "91-24",
      "91-24.1",
      "91-25",
      "91-25.1",
      "91-25.3",
      "91-25.6",
      "91-25.7",
      "91-25.8",
      "91-26",
      "91-26.1",
      "91-26.2",
      "91-26.3",
      "91-26.4",
      "91-26.5",
      "91-26.6",
      "91-27",
      "91-27.1",
      "91-27.2",
      "91-27.3",
      "91-27.4",
      "91-27.5",
      "91-27.6",
      "91-27.7",
    ].map((short) => `4.19.${short}.al7.x86_64`);
    const shuffled = [...listed].reverse();
    shuffled.push(shuffled.shift() as string);
    const sorted = shuffled
      .map(parsed)
      .sort(compareKernelReleases)
      .map((k) => `${formatKernelRelease(k)}.${k.arch}`);
    expect(sorted).toEqual(listed);
  });

  it("is antisymmetric and ignores only the arch (property)", () => {
    const kernel = fc
      .tuple(
        fc.nat({ max: 200 }),
        fc.nat({ max: 40 }),
        fc.option(fc.nat({ max: 9 }), { nil: undefined }),
        fc.constantFrom("al7", "el7", "al8"),
      )
      .map(([patch, rel, sub, tag]) => `4.19.${patch}-${rel}${sub === undefined ? "" : `.${sub}`}.${tag}`);
    fc.assert(
      fc.property(kernel, kernel, fc.constantFrom("", ".x86_64", ".aarch64"), (a, b, arch) => {
        expect(cmp(a, b)).toBe(-cmp(b, a) || 0);
        expect(cmp(`${a}${arch}`, b)).toBe(cmp(a, b));
      }),
      { numRuns: 500 },
    );
  });
});

describe("formatKernelRelease", () => {
  it("gives `version-release` without `kernel-` and without arch", () => {
    expect(formatKernelRelease(parsed("kernel-4.19.91-22.2.al7.x86_64"))).toBe("4.19.91-22.2.al7");
  });

  it("round-trips through parseKernelRelease", () => {
    for (const text of ["4.19.91-22.2.al7", "4.19.24-9.al7", "5.10.134-13.al8"]) {
      expect(formatKernelRelease(parsed(formatKernelRelease(parsed(text))))).toBe(text);
    }
  });
});

describe("requireKernelRelease", () => {
  it("returns the parsed release for valid text", () => {
    expect(requireKernelRelease("4.19.91-23.al7", "test")).toEqual(parseKernelRelease("4.19.91-23.al7"));
  });

  it("throws naming where the bad text came from and the text", () => {
    expect(() => requireKernelRelease("4.19.91", "advisory x")).toThrowError(/advisory x.*'4\.19\.91'/);
  });
});

describe("kernel releases of other distributions", () => {
  it("parses releases with dashes, as Ubuntu's uname -r prints them, without a dist tag", () => {
    expect(parseKernelRelease("5.15.0-91-generic")).toEqual({
      version: "5.15.0",
      release: "91-generic",
      distTag: undefined,
      arch: undefined,
    });
  });
});
