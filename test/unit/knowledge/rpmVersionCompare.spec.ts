import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { rpmVersionCompare } from "../../../policies/src/knowledge/rpmVersionCompare";

/**
 * rpm's own test vectors, from `tests/rpmvercmp.at` of rpm-software-management/rpm
 * (commit 7f3fdf6868d72fbdef3386345ff39b3744fa4b14), each line `RPMVERCMP(a, b, expected)`.
 * The last group is what that file keeps under "dnl" as documented current behaviour of rpm
 * ("oddities", RhBug:811992, and non-ASCII characters counting as separators).
 */
const RPMVERCMP_AT: ReadonlyArray<readonly [string, string, -1 | 0 | 1]> = [
  ["1.0", "1.0", 0],
  ["1.0", "2.0", -1],
  ["2.0", "1.0", 1],

  ["2.0.1", "2.0.1", 0],
  ["2.0", "2.0.1", -1],
  ["2.0.1", "2.0", 1],

  ["2.0.1a", "2.0.1a", 0],
  ["2.0.1a", "2.0.1", 1],
  ["2.0.1", "2.0.1a", -1],

  ["5.5p1", "5.5p1", 0],
  ["5.5p1", "5.5p2", -1],
  ["5.5p2", "5.5p1", 1],

  ["5.5p10", "5.5p10", 0],
  ["5.5p1", "5.5p10", -1],
  ["5.5p10", "5.5p1", 1],

  ["10xyz", "10.1xyz", -1],
  ["10.1xyz", "10xyz", 1],

  ["xyz10", "xyz10", 0],
  ["xyz10", "xyz10.1", -1],
  ["xyz10.1", "xyz10", 1],

  ["xyz.4", "xyz.4", 0],
  ["xyz.4", "8", -1],
  ["8", "xyz.4", 1],
  ["xyz.4", "2", -1],
  ["2", "xyz.4", 1],

  ["5.5p2", "5.6p1", -1],
  ["5.6p1", "5.5p2", 1],

  ["5.6p1", "6.5p1", -1],
  ["6.5p1", "5.6p1", 1],

  ["6.0.rc1", "6.0", 1],
  ["6.0", "6.0.rc1", -1],

  ["10b2", "10a1", 1],
  ["10a2", "10b2", -1],

  ["1.0aa", "1.0aa", 0],
  ["1.0a", "1.0aa", -1],
  ["1.0aa", "1.0a", 1],

  ["10.0001", "10.0001", 0],
  ["10.0001", "10.1", 0],
  ["10.1", "10.0001", 0],
  ["10.0001", "10.0039", -1],
  ["10.0039", "10.0001", 1],

  ["4.999.9", "5.0", -1],
  ["5.0", "4.999.9", 1],

  ["20101121", "20101121", 0],
  ["20101121", "20101122", -1],
  ["20101122", "20101121", 1],

  ["2_0", "2_0", 0],
  ["2.0", "2_0", 0],
  ["2_0", "2.0", 0],

  // RhBug:178798
  ["a", "a", 0],
  ["a+", "a+", 0],
  ["a+", "a_", 0],
  ["a_", "a+", 0],
  ["+a", "+a", 0],
  ["+a", "_a", 0],
  ["_a", "+a", 0],
  ["+_", "+_", 0],
  ["_+", "+_", 0],
  ["_+", "_+", 0],
  ["+", "_", 0],
  ["_", "+", 0],

  // tilde
  ["1.0~rc1", "1.0~rc1", 0],
  ["1.0~rc1", "1.0", -1],
  ["1.0", "1.0~rc1", 1],
  ["1.0~rc1", "1.0~rc2", -1],
  ["1.0~rc2", "1.0~rc1", 1],
  ["1.0~rc1~git123", "1.0~rc1~git123", 0],
  ["1.0~rc1~git123", "1.0~rc1", -1],
  ["1.0~rc1", "1.0~rc1~git123", 1],

  // caret
  ["1.0^", "1.0^", 0],
  ["1.0^", "1.0", 1],
  ["1.0", "1.0^", -1],
  ["1.0^git1", "1.0^git1", 0],
  ["1.0^git1", "1.0", 1],
  ["1.0", "1.0^git1", -1],
  ["1.0^git1", "1.0^git2", -1],
  ["1.0^git2", "1.0^git1", 1],
  ["1.0^git1", "1.01", -1],
  ["1.01", "1.0^git1", 1],
  ["1.0^20160101", "1.0^20160101", 0],
  ["1.0^20160101", "1.0.1", -1],
  ["1.0.1", "1.0^20160101", 1],
  ["1.0^20160101^git1", "1.0^20160101^git1", 0],
  ["1.0^20160102", "1.0^20160101^git1", 1],
  ["1.0^20160101^git1", "1.0^20160102", -1],

  // tilde and caret
  ["1.0~rc1^git1", "1.0~rc1^git1", 0],
  ["1.0~rc1^git1", "1.0~rc1", 1],
  ["1.0~rc1", "1.0~rc1^git1", -1],
  ["1.0^git1~pre", "1.0^git1~pre", 0],
  ["1.0^git1", "1.0^git1~pre", 1],
  ["1.0^git1~pre", "1.0^git1", -1],

  // "dnl" oddities: rpm's current behaviour, kept in the file to catch unintended changes
  ["1b.fc17", "1b.fc17", 0],
  ["1b.fc17", "1.fc17", -1],
  ["1.fc17", "1b.fc17", 1],
  ["1g.fc17", "1g.fc17", 0],
  ["1g.fc17", "1.fc17", 1],
  ["1.fc17", "1g.fc17", -1],
  ["1.1.α", "1.1.α", 0],
  ["1.1.α", "1.1.β", 0],
  ["1.1.β", "1.1.α", 0],
  ["1.1.αα", "1.1.α", 0],
  ["1.1.α", "1.1.ββ", 0],
  ["1.1.ββ", "1.1.αα", 0],
];

describe("rpmVersionCompare: rpm's tests/rpmvercmp.at", () => {
  it.each(RPMVERCMP_AT)("rpmvercmp(%j, %j) = %i", (a, b, expected) => {
    expect(rpmVersionCompare(a, b)).toBe(expected);
  });
});

describe("rpmVersionCompare: the rules the pack relies on", () => {
  it("compares numeric runs as integers, not as strings", () => {
    expect(rpmVersionCompare("9", "10")).toBe(-1);
    expect(rpmVersionCompare("22.2.al7", "23.al7")).toBe(-1);
    expect(rpmVersionCompare("19.1.al7", "19.2.al7")).toBe(-1);
    expect(rpmVersionCompare("4.19.91", "4.19.100")).toBe(-1);
  });

  it("ignores leading zeros in numeric runs", () => {
    expect(rpmVersionCompare("1.010", "1.10")).toBe(0);
    expect(rpmVersionCompare("007", "7")).toBe(0);
    expect(rpmVersionCompare("0", "000")).toBe(0);
    expect(rpmVersionCompare("1.00", "1.0")).toBe(0);
  });

  it("treats every non-alphanumeric character other than ~ and ^ as a plain separator", () => {
    expect(rpmVersionCompare("4.19.91", "4_19+91")).toBe(0);
    expect(rpmVersionCompare("1..0", "1.0")).toBe(0);
    expect(rpmVersionCompare("1.0.", "1.0")).toBe(0);
    expect(rpmVersionCompare("1-0", "1.0")).toBe(0);
  });

  it("sorts a numeric run after an alphabetic one", () => {
    expect(rpmVersionCompare("1.a", "1.0")).toBe(-1);
    expect(rpmVersionCompare("1.0", "1.a")).toBe(1);
  });

  it("compares alphabetic runs bytewise (upper case before lower case)", () => {
    expect(rpmVersionCompare("1.Z", "1.a")).toBe(-1);
    expect(rpmVersionCompare("al7", "el7")).toBe(-1);
  });

  it("sorts a tilde before the end of the string and a caret after it", () => {
    expect(rpmVersionCompare("1.0~", "1.0")).toBe(-1);
    expect(rpmVersionCompare("1.0", "1.0~")).toBe(1);
    expect(rpmVersionCompare("1.0^", "1.0.0")).toBe(-1);
    expect(rpmVersionCompare("1.0~rc1", "1.0^git1")).toBe(-1);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties. Generated version strings mix numeric and alphabetic runs, separators, tildes and carets.

const token = fc.constantFrom(
  "0",
  "00",
  "1",
  "2",
  "9",
  "10",
  "19",
  "22",
  "23",
  "91",
  "a",
  "b",
  "al",
  "el",
  "Z",
  "rc",
  ".",
  "_",
  "+",
  "-",
  "~",
  "^",
);
const version = fc.array(token, { minLength: 0, maxLength: 8 }).map((parts) => parts.join(""));

/** The same version written with other separators and extra leading zeros: rpm must see no difference. */
function respell(text: string): string {
  return text.replace(/\./g, "_").replace(/(^|[^0-9])([0-9])/g, "$10$2");
}

describe("rpmVersionCompare: properties", () => {
  it("is reflexive, also across separator spellings and leading zeros (the comparison walks the whole string)", () => {
    fc.assert(
      fc.property(version, (v) => {
        expect(rpmVersionCompare(v, v)).toBe(0);
        expect(rpmVersionCompare(v, respell(v))).toBe(0);
        expect(rpmVersionCompare(respell(v), v)).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it("is antisymmetric", () => {
    fc.assert(
      fc.property(version, version, (a, b) => {
        expect(rpmVersionCompare(a, b)).toBe(-rpmVersionCompare(b, a) || 0);
      }),
      { numRuns: 1000 },
    );
  });

  it("is transitive", () => {
    fc.assert(
      fc.property(version, version, version, (a, b, c) => {
        const ab = rpmVersionCompare(a, b);
        const bc = rpmVersionCompare(b, c);
        const ac = rpmVersionCompare(a, c);
        if (ab <= 0 && bc <= 0) expect(ac).toBeLessThanOrEqual(0);
        if (ab >= 0 && bc >= 0) expect(ac).toBeGreaterThanOrEqual(0);
        if (ab === 0 && bc === 0) expect(ac).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("sorts consistently: after sorting a list with it, every earlier element is ≤ every later one", () => {
    fc.assert(
      fc.property(fc.array(version, { maxLength: 12 }), (list) => {
        const sorted = [...list].sort(rpmVersionCompare);
        for (let i = 0; i < sorted.length; i++) {
          for (let j = i + 1; j < sorted.length; j++)
            expect(rpmVersionCompare(sorted[i], sorted[j])).toBeLessThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with numeric tuple order for pure dotted-integer versions", () => {
    const tuple = fc.array(fc.nat({ max: 100_000 }), { minLength: 1, maxLength: 5 });
    const numericOrder = (a: readonly number[], b: readonly number[]): number => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
      return Math.sign(a.length - b.length);
    };
    fc.assert(
      fc.property(tuple, tuple, (a, b) => {
        expect(rpmVersionCompare(a.join("."), b.join("."))).toBe(numericOrder(a, b));
      }),
      { numRuns: 1000 },
    );
  });

  it("agrees with integer order for integers beyond Number.MAX_SAFE_INTEGER (compares digit strings, not numbers)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 0n, max: 10n ** 30n }), (a, b) => {
        const expected = a === b ? 0 : a < b ? -1 : 1;
        expect(rpmVersionCompare(a.toString(), b.toString())).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("puts any version with a tilde suffix before the version itself, and a caret suffix after it", () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 4 }),
        fc.constantFrom("rc1", "pre", "1", "git"),
        (parts, suffix) => {
          const base = parts.join(".");
          expect(rpmVersionCompare(`${base}~${suffix}`, base)).toBe(-1);
          expect(rpmVersionCompare(`${base}^${suffix}`, base)).toBe(1);
          expect(rpmVersionCompare(`${base}^${suffix}`, `${base}.0`)).toBe(-1);
        },
      ),
    );
  });
});
