import fc from "fast-check";
import { describe, expect, it } from "vitest";
import catalogData from "../../../policies/data/alinux2-image-catalog.json";
import { buildImageCatalog, bundledImageCatalog } from "../../../policies/src/knowledge/imageCatalog";
import {
  compareKernelReleases,
  formatKernelRelease,
  KernelRelease,
  parseKernelRelease,
} from "../../../policies/src/knowledge/kernelRelease";
import { KernelResolution, KernelResolver } from "../../../policies/src/knowledge/kernelResolver";
import { loadSharedReference, ReferenceImage } from "../../support/sharedReference";

// ---------------------------------------------------------------------------------------------------------------
// Facts, from shared/reference (the independent source the catalog was built from).

const referenceImages = loadSharedReference(
  "the per-row resolver checks against shared/reference are (the date rules fall back to the bundled catalog's stated rows)",
)?.images;

/** Affected = kernel ≤ 4.19.91-22.2.al7 (the advisory; shared/README.md). */
const LAST_AFFECTED = kernel("4.19.91-22.2.al7");
const isAffectedKernel = (k: KernelRelease): boolean => compareKernelReleases(k, LAST_AFFECTED) <= 0;

function kernel(text: string): KernelRelease {
  const parsed = parseKernelRelease(text.replace(/ \(INFERRED\)$/, ""));
  if (!parsed) throw new Error(`test setup: '${text}' is not a kernel`);
  return parsed;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const idDateOf = (imageId: string): string => (/(\d{8})(?:\.qboot)?\.vhd$/.exec(imageId) as RegExpExecArray)[1];
const iso = (yyyymmdd: string): string => `${yyyymmdd.slice(0, 4)}-${yyyymmdd.slice(4, 6)}-${yyyymmdd.slice(6, 8)}`;
const dateOf = (imageId: string, releaseDate: string | null): string =>
  releaseDate && ISO_DATE.test(releaseDate) ? releaseDate : iso(idDateOf(imageId));

function variantNamedBy(imageId: string): string {
  return (
    /_(qboot|secured|uefi|dengbao|scc)_alibase_/.exec(imageId)?.[1] ??
    (/\.qboot\.vhd$/.test(imageId) ? "qboot" : "base")
  );
}

/** Images whose kernel their release notes state, with their release dates. */
const statedFacts: readonly { readonly imageId: string; readonly date: string; readonly kernel: KernelRelease }[] =
  referenceImages
    ? referenceImages
        .filter((image) => image.kernelBasis === "stated" && image.kernel)
        .map((image) => ({
          imageId: image.imageId,
          date: dateOf(image.imageId, image.releaseDate),
          kernel: kernel(image.kernel as string),
        }))
    : bundledImageCatalog.images
        .filter((row) => row.kernelBasis === "stated" && row.kernel)
        .map((row) => ({
          imageId: row.imageId,
          date: dateOf(row.imageId, row.releaseDate),
          kernel: kernel(row.kernel as string),
        }));

/** The newest stated kernel of any image released on or before the date (newest kernel within that day). */
function newestStatedOnOrBefore(date: string): KernelRelease | undefined {
  const before = statedFacts.filter((f) => f.date <= date);
  if (before.length === 0) return undefined;
  const lastDate = before
    .map((f) => f.date)
    .sort()
    .at(-1) as string;
  return before
    .filter((f) => f.date === lastDate)
    .map((f) => f.kernel)
    .sort(compareKernelReleases)
    .at(-1);
}

const FIRST_RELEASE = statedFacts.map((f) => f.date).sort()[0];
const LAST_AFFECTED_RELEASE = statedFacts
  .filter((f) => isAffectedKernel(f.kernel))
  .map((f) => f.date)
  .sort()
  .at(-1) as string;
const FIRST_FIXED_RELEASE = statedFacts
  .filter((f) => !isAffectedKernel(f.kernel))
  .map((f) => f.date)
  .sort()[0];

const resolver = new KernelResolver(bundledImageCatalog);

function expectResolved(result: KernelResolution): Extract<KernelResolution, { outcome: "resolved" }> {
  expect(result.outcome).toBe("resolved");
  if (result.outcome !== "resolved") throw new Error(`not resolved: ${JSON.stringify(result)}`);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------

describe("facts the date rules rest on (sanity of the test's own reading of the reference)", () => {
  it("the affected releases end 2021-02-18 and the first fixed one is 2021-03-25 (alinux2-facts.md §1)", () => {
    expect(LAST_AFFECTED_RELEASE).toBe("2021-02-18");
    expect(FIRST_FIXED_RELEASE).toBe("2021-03-25");
    expect(FIRST_RELEASE).toBe("2019-03-27");
  });
});

describe.skipIf(!referenceImages)(
  "every catalog row resolves by the rules (expectations from shared/reference)",
  () => {
    const refById = new Map((referenceImages ?? []).map((image) => [image.imageId, image]));

    describe.each(bundledImageCatalog.images.map((row) => [row.imageId] as const))("%s", (imageId) => {
      const ref = refById.get(imageId);
      if (!ref) {
        it("is in the reference", () => expect(ref).toBeDefined());
        return;
      }
      const result = resolver.resolve(imageId);

      it("resolves, with the variant its name implies", () => {
        const resolved = expectResolved(result);
        expect(resolved.imageId).toBe(imageId);
        expect(resolved.variant).toBe(variantNamedBy(imageId));
      });

      if (ref.kernelBasis === "stated") {
        it("stated kernel → basis catalog, confidence high, the stated kernel, no INFERRED", () => {
          const resolved = expectResolved(result);
          expect(resolved).toMatchObject({ basis: "catalog", confidence: "high" });
          expect(compareKernelReleases(resolved.kernel, kernel(ref.kernel as string))).toBe(0);
          expect(resolved.explanation).not.toContain("INFERRED");
        });
      } else if (ref.kernel === null && ref.derivedFrom) {
        it("kernel not stated, derived from a base → basis base-image (INFERRED), the base's stated kernel", () => {
          const base = refById.get(ref.derivedFrom as string) as ReferenceImage;
          expect(base.kernelBasis).toBe("stated");
          const resolved = expectResolved(result);
          expect(resolved).toMatchObject({ basis: "base-image", confidence: "medium" });
          expect(compareKernelReleases(resolved.kernel, kernel(base.kernel as string))).toBe(0);
          expect(resolved.explanation).toContain("INFERRED");
          expect(resolved.explanation).toContain(ref.derivedFrom);
        });
      } else if (ref.kernelBasis === "inferred") {
        it("kernel inferred from documentation → basis documentation (INFERRED), that kernel", () => {
          const resolved = expectResolved(result);
          expect(resolved).toMatchObject({ basis: "documentation", confidence: "medium" });
          expect(compareKernelReleases(resolved.kernel, kernel(ref.kernel as string))).toBe(0);
          expect(resolved.explanation).toContain("INFERRED");
        });
      } else {
        it("no kernel source → basis release-date (INFERRED), the newest stated kernel on or before its date", () => {
          const date = dateOf(imageId, ref.releaseDate);
          const expected = newestStatedOnOrBefore(date) as KernelRelease;
          const resolved = expectResolved(result);
          expect(resolved).toMatchObject({ basis: "release-date", confidence: "low" });
          expect(formatKernelRelease(resolved.kernel)).toBe(formatKernelRelease(expected));
          expect(resolved.explanation).toContain("INFERRED");
          expect(resolved.explanation).toContain(date);
        });
      }

      if (typeof ref.affectedPerAdvisory === "boolean" || /^(true|false)\b/.test(ref.affectedPerAdvisory)) {
        it("is affected exactly when the reference says so", () => {
          const affected = String(ref.affectedPerAdvisory).startsWith("true");
          expect(isAffectedKernel(expectResolved(result).kernel)).toBe(affected);
        });
      }
    });
  },
);

/** The naming schemes of alinux2-facts.md §1, independently of the catalog's regexes. */
const SCHEMES: ReadonlyArray<{
  readonly name: string;
  readonly variant: string;
  readonly id: (date: string) => string;
}> = [
  { name: "hyphenated 2019", variant: "base", id: (d) => `aliyun-2.1903-x64-20G-alibase-${d}.vhd` },
  { name: "no-x 2019", variant: "base", id: (d) => `aliyun_2_1903_64_20G_alibase_${d}.vhd` },
  { name: "qboot suffix 2020", variant: "qboot", id: (d) => `aliyun_2_1903_x64_20G_alibase_${d}.qboot.vhd` },
  { name: "x64 base", variant: "base", id: (d) => `aliyun_2_1903_x64_20G_alibase_${d}.vhd` },
  ...["qboot", "secured", "uefi", "dengbao", "scc"].map((v) => ({
    name: `x64 ${v}`,
    variant: v,
    id: (d: string) => `aliyun_2_1903_x64_20G_${v}_alibase_${d}.vhd`,
  })),
];

const compact = (isoDate: string): string => isoDate.replace(/-/g, "");
const dayAfter = (isoDate: string): string =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const dayBefore = (isoDate: string): string =>
  new Date(Date.parse(`${isoDate}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

function expectDecidedByDate(
  imageId: string,
  variant: string,
  isoDate: string,
): Extract<KernelResolution, { outcome: "resolved" }> {
  const resolved = expectResolved(resolver.resolve(imageId));
  expect(resolved).toMatchObject({ basis: "release-date", confidence: "low", variant, imageId });
  expect(resolved.explanation).toContain("INFERRED");
  expect(formatKernelRelease(resolved.kernel)).toBe(
    formatKernelRelease(newestStatedOnOrBefore(isoDate) as KernelRelease),
  );
  return resolved;
}

describe("IDs not in the catalog: decided by the date in the ID, for every naming scheme", () => {
  describe.each(SCHEMES.map((s) => [s.name, s] as const))("%s", (_name, scheme) => {
    const notInCatalog = (isoDate: string) => bundledImageCatalog.find(scheme.id(compact(isoDate))) === undefined;

    it("dated on or before the last affected release → affected", () => {
      const dates = [
        FIRST_RELEASE,
        "2020-01-01",
        "2020-10-10",
        dayBefore(LAST_AFFECTED_RELEASE),
        LAST_AFFECTED_RELEASE,
      ].filter(notInCatalog);
      expect(dates.length).toBeGreaterThan(0);
      for (const date of dates)
        expect(isAffectedKernel(expectDecidedByDate(scheme.id(compact(date)), scheme.variant, date).kernel), date).toBe(
          true,
        );
    });

    it("dated in the gap after the last affected release and before the first fixed one → affected (INFERRED)", () => {
      const dates = [dayAfter(LAST_AFFECTED_RELEASE), "2021-03-01", dayBefore(FIRST_FIXED_RELEASE)].filter(
        notInCatalog,
      );
      expect(dates.length).toBeGreaterThan(0);
      for (const date of dates)
        expect(isAffectedKernel(expectDecidedByDate(scheme.id(compact(date)), scheme.variant, date).kernel), date).toBe(
          true,
        );
    });

    it("dated on or after the first fixed release → not affected", () => {
      const dates = [
        FIRST_FIXED_RELEASE,
        dayAfter(FIRST_FIXED_RELEASE),
        "2022-01-01",
        "2024-06-29",
        "2026-04-01",
      ].filter(notInCatalog);
      expect(dates.length).toBeGreaterThan(0);
      for (const date of dates)
        expect(isAffectedKernel(expectDecidedByDate(scheme.id(compact(date)), scheme.variant, date).kernel), date).toBe(
          false,
        );
    });

    it("any date from the first release on: affected exactly when dated before the first fixed release (property)", () => {
      const date = fc
        .date({
          min: new Date(`${FIRST_RELEASE}T00:00:00Z`),
          max: new Date("2030-12-31T00:00:00Z"),
          noInvalidDate: true,
        })
        .map((d) => d.toISOString().slice(0, 10))
        .filter(notInCatalog);
      fc.assert(
        fc.property(date, (d) => {
          expect(isAffectedKernel(expectDecidedByDate(scheme.id(compact(d)), scheme.variant, d).kernel)).toBe(
            d < FIRST_FIXED_RELEASE,
          );
        }),
        { numRuns: 60 },
      );
    });

    it("dated before the first Alibaba Cloud Linux 2 image → affected, INFERRED from the first release (fail closed)", () => {
      const result = resolver.resolve(scheme.id(compact(dayBefore(FIRST_RELEASE))));
      expect(result).toMatchObject({ outcome: "resolved", basis: "release-date", confidence: "low" });
      if (result.outcome === "resolved") {
        expect(isAffectedKernel(result.kernel)).toBe(true);
        expect(result.explanation).toMatch(/INFERRED.*fail closed/);
      }
    });
  });
});

describe("IDs that do not name their kernel", () => {
  it.each(["m-bp1g7004ksh0oeuco8sd", "m-2ze0v9bdgfeh4ot0yy1z"])(
    "custom image %s → unknown (custom-or-marketplace)",
    (id) => {
      const result = resolver.resolve(id);
      expect(result).toMatchObject({ outcome: "unknown", imageId: id, reason: "custom-or-marketplace" });
      if (result.outcome === "unknown") expect(result.explanation.length).toBeGreaterThan(0);
    },
  );

  it.each([
    "aliyun_2_1903_x64_20G_alibase_2021.vhd",
    "acs:alibaba_cloud_linux_2_1903_lts_x64",
    "aliyun_2_1903_x64_20G_trusted_alibase_20210120.vhd",
  ])("lookalike %s → unknown (alinux2-unrecognised)", (id) => {
    expect(resolver.resolve(id)).toMatchObject({ outcome: "unknown", imageId: id, reason: "alinux2-unrecognised" });
  });

  it.each([
    "aliyun_3_x64_20G_alibase_20230727.vhd",
    "ubuntu_22_04_x64_20G_alibase_20230208.vhd",
    "centos_7_9_x64_20G_alibase_20230919.vhd",
    "win2022_21H2_x64_dtc_zh-cn_40G_alibase_20230915.vhd",
  ])("other OS %s → other-os", (id) => {
    expect(resolver.resolve(id)).toEqual({ outcome: "other-os", imageId: id });
  });

  it("an ID that is also an Object.prototype member is not read as a declaration", () => {
    expect(resolver.resolve("constructor", {})).toEqual({ outcome: "other-os", imageId: "constructor" });
    expect(resolver.resolve("toString")).toEqual({ outcome: "other-os", imageId: "toString" });
  });
});

describe("declared kernels (config imageKernels)", () => {
  const affectedStated = "aliyun_2_1903_x64_20G_alibase_20210120.vhd";

  it("win over the catalog", () => {
    const catalogKernel = expectResolved(resolver.resolve(affectedStated)).kernel;
    const declared = "4.19.91-24.1.al7.x86_64";
    const resolved = expectResolved(resolver.resolve(affectedStated, { [affectedStated]: declared }));
    expect(resolved).toMatchObject({ basis: "declared", confidence: "declared", imageId: affectedStated });
    expect(compareKernelReleases(resolved.kernel, kernel(declared))).toBe(0);
    expect(compareKernelReleases(resolved.kernel, catalogKernel)).not.toBe(0);
    expect(resolved.explanation).toContain("imageKernels");
  });

  it("give custom images a kernel, and no variant (the pack cannot know one)", () => {
    const resolved = expectResolved(resolver.resolve("m-bp1abc", { "m-bp1abc": "kernel-4.19.91-21.al7" }));
    expect(resolved.basis).toBe("declared");
    expect(formatKernelRelease(resolved.kernel)).toBe("4.19.91-21.al7");
    expect(resolved.variant).toBeUndefined();
  });

  it("keep a public image's variant", () => {
    const qboot = "aliyun_2_1903_x64_20G_qboot_alibase_20210120.vhd";
    expect(expectResolved(resolver.resolve(qboot, { [qboot]: "4.19.91-21.al7" })).variant).toBe(variantNamedBy(qboot));
    expect(expectResolved(resolver.resolve(affectedStated, { [affectedStated]: "4.19.91-21.al7" })).variant).toBe(
      "base",
    );
  });

  it("apply only to the ID they are declared for", () => {
    const resolved = expectResolved(resolver.resolve(affectedStated, { "m-bp1abc": "4.19.91-24.al7" }));
    expect(resolved.basis).toBe("catalog");
  });

  it.each(["4.19", "latest", "", "4.19.91-22.2.al7.", "kernel-"])(
    "an invalid declared kernel %j → unknown with reason",
    (text) => {
      const result = resolver.resolve("m-bp1abc", { "m-bp1abc": text });
      expect(result).toMatchObject({ outcome: "unknown", reason: "declared-kernel-invalid", imageId: "m-bp1abc" });
      if (result.outcome === "unknown") expect(result.explanation).toContain("imageKernels");
    },
  );

  it("an invalid declaration for a public image is ignored, saying so, and the catalog still judges it (never skipped)", () => {
    const resolved = resolver.resolve(affectedStated, { [affectedStated]: "new" });
    expect(resolved).toMatchObject({ outcome: "resolved", basis: "catalog" });
    if (resolved.outcome === "resolved") expect(resolved.explanation).toMatch(/declared for it .* is ignored/);
    expect(resolver.resolve("m-bad", { "m-bad": "new" })).toMatchObject({
      outcome: "unknown",
      reason: "declared-kernel-invalid",
    });
  });

  it("a valid declaration that makes a catalog-affected image unaffected is honoured, as declared", () => {
    const resolved = resolver.resolve(affectedStated, { [affectedStated]: "4.19.91-27.al7.x86_64" });
    expect(resolved).toMatchObject({ outcome: "resolved", basis: "declared", confidence: "declared" });
  });

  it("a declaration from the pack's image-kernels.json names its source", () => {
    const resolved = resolver.resolve("m-x", {
      "m-x": { kernel: "4.19.91-21.al7", source: "image-kernels.json (source: build log)" },
    });
    expect(resolved).toMatchObject({
      outcome: "resolved",
      explanation: "declared in image-kernels.json (source: build log)",
    });
  });
});

describe("explanations", () => {
  it("every inferred result (base-image, documentation, release-date) says INFERRED; catalog and declared ones do not", () => {
    const ids = [
      ...bundledImageCatalog.images.map((row) => row.imageId),
      ...SCHEMES.map((s) => s.id("20210301")),
      ...SCHEMES.map((s) => s.id("20250101")),
    ];
    let inferred = 0;
    for (const id of ids) {
      const result = resolver.resolve(id);
      if (result.outcome !== "resolved") continue;
      if (result.basis === "catalog" || result.basis === "declared")
        expect(result.explanation, id).not.toContain("INFERRED");
      else {
        inferred++;
        expect(result.explanation, id).toContain("INFERRED");
      }
    }
    expect(inferred).toBeGreaterThan(0);
  });
});

describe("robustness", () => {
  it("resolves an ID with surrounding whitespace like the trimmed ID (the classifier ignores the whitespace, so must the catalog lookup)", () => {
    for (const id of [
      "aliyun_2_1903_x64_20G_alibase_20210120.vhd",
      "aliyun_2_1903_x64_20G_qboot_alibase_20210325.vhd",
    ]) {
      const plain = expectResolved(resolver.resolve(id));
      const padded = expectResolved(resolver.resolve(` ${id}\n`));
      expect({ basis: padded.basis, kernel: formatKernelRelease(padded.kernel) }, id).toEqual({
        basis: plain.basis,
        kernel: formatKernelRelease(plain.kernel),
      });
    }
  });

  it("a derivedFrom cycle in the data terminates and falls back to the release date", () => {
    const row = (imageId: string, over: Record<string, unknown>) => ({
      imageId,
      variant: "base",
      variantDescription: "",
      releaseDate: "2021-01-20",
      kernel: null,
      kernelBasis: "not-stated",
      derivedFrom: null,
      sources: ["s"],
      notes: "",
      ...over,
    });
    const a = "aliyun_2_1903_x64_20G_qboot_alibase_20210120.vhd";
    const b = "aliyun_2_1903_x64_20G_uefi_alibase_20210120.vhd";
    const stated = "aliyun_2_1903_x64_20G_alibase_20200904.vhd";
    const catalog = buildImageCatalog({
      ...catalogData,
      images: [
        row(stated, { releaseDate: "2020-09-04", kernel: "4.19.91-21.al7", kernelBasis: "stated" }),
        row(a, { derivedFrom: b, variant: "qboot" }),
        row(b, { derivedFrom: a, variant: "uefi" }),
      ],
    });
    const resolved = expectResolved(new KernelResolver(catalog).resolve(a));
    expect(resolved.basis).toBe("release-date");
    expect(formatKernelRelease(resolved.kernel)).toBe("4.19.91-21.al7");
  });
});

describe("declared kernels without a distribution tag", () => {
  it("treats a 4.19 kernel without .al7 as unknown rather than another OS (fail closed)", () => {
    const resolver = new KernelResolver(bundledImageCatalog);
    const untagged = resolver.resolve("m-x", { "m-x": "4.19.91-22.2" });
    expect(untagged.outcome).toBe("unknown");
    if (untagged.outcome === "unknown")
      expect(untagged.explanation).toMatch(/not an Alibaba Cloud Linux 2 kernel release/);
    expect(resolver.resolve("m-y", { "m-y": "5.15.0-91-generic" }).outcome).toBe("unknown");
  });
});
