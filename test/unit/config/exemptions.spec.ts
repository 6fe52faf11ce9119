import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Exemption, ExemptionList, compileGlob, isCalendarDate } from "../../../policies/src/config/exemptions";

const URN = "urn:pulumi:prod::shop::alicloud:ecs/instance:Instance::web-1";
const NAME = "web-1";
const exemption = (over: Partial<Exemption> = {}): Exemption => ({
  resource: NAME,
  reason: "migrating to Alinux 3 in sprint 12",
  expires: "2026-03-31",
  ...over,
});

describe("compileGlob", () => {
  it("`*` matches any run of characters, including none and the URN separators", () => {
    expect(compileGlob("*").test("")).toBe(true);
    expect(compileGlob("*").test(URN)).toBe(true);
    expect(compileGlob("urn:pulumi:prod::*").test(URN)).toBe(true);
    expect(compileGlob("urn:pulumi:dev::*").test(URN)).toBe(false);
    expect(compileGlob("*::web-*").test(URN)).toBe(true);
  });

  it("`?` matches exactly one character", () => {
    expect(compileGlob("web-?").test("web-1")).toBe(true);
    expect(compileGlob("web-?").test("web-10")).toBe(false);
    expect(compileGlob("web-?").test("web-")).toBe(false);
  });

  it("matches the whole text, not a part of it", () => {
    expect(compileGlob("web").test("web-1")).toBe(false);
    expect(compileGlob("web-1").test("my-web-1")).toBe(false);
  });

  it.each([
    ["web.1", "webx1"],
    ["a+b", "aab"],
    ["(x)", "x"],
    ["[ab]", "a"],
    ["a{2}", "aa"],
    ["^a$", "a"],
    ["a|b", "a"],
    ["a\\d", "a1"],
  ])("treats regex metacharacters literally: %j does not match %j but matches itself", (glob, other) => {
    expect(compileGlob(glob).test(other)).toBe(false);
    expect(compileGlob(glob).test(glob)).toBe(true);
  });

  it("any text without glob characters matches itself and only itself (property)", () => {
    const text = fc.string({ maxLength: 30 }).filter((s) => !s.includes("*") && !s.includes("?"));
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(compileGlob(a).test(a)).toBe(true);
        expect(compileGlob(a).test(b)).toBe(a === b);
      }),
      { numRuns: 500 },
    );
  });
});

describe("ExemptionList.statusFor: matching", () => {
  it("matches on the logical name", () => {
    expect(new ExemptionList([exemption({ resource: "web-*" })], "2025-01-01").statusFor(URN, NAME)?.state).toBe(
      "active",
    );
  });

  it("matches on the URN", () => {
    expect(new ExemptionList([exemption({ resource: URN })], "2025-01-01").statusFor(URN, NAME)?.state).toBe("active");
    expect(
      new ExemptionList(
        [exemption({ resource: "urn:pulumi:prod::shop::alicloud:ecs/instance:Instance::*" })],
        "2025-01-01",
      ).statusFor(URN, NAME)?.state,
    ).toBe("active");
  });

  it("returns undefined when nothing matches", () => {
    const list = new ExemptionList(
      [exemption({ resource: "db-*" }), exemption({ resource: "urn:pulumi:dev::*" })],
      "2025-01-01",
    );
    expect(list.statusFor(URN, NAME)).toBeUndefined();
    expect(new ExemptionList([], "2025-01-01").statusFor(URN, NAME)).toBeUndefined();
  });

  it("returns the matching exemption itself", () => {
    const e = exemption();
    expect(new ExemptionList([e], "2025-01-01").statusFor(URN, NAME)).toEqual({ state: "active", exemption: e });
  });
});

describe("ExemptionList.statusFor: expiry (holds through the expiry day, UTC dates)", () => {
  const e = exemption({ expires: "2026-03-31" });

  it("is active before the expiry day", () => {
    expect(new ExemptionList([e], "2026-03-30").statusFor(URN, NAME)?.state).toBe("active");
    expect(new ExemptionList([e], "2025-12-31").statusFor(URN, NAME)?.state).toBe("active");
  });

  it("is active on the expiry day", () => {
    expect(new ExemptionList([e], "2026-03-31").statusFor(URN, NAME)?.state).toBe("active");
  });

  it("is expired the day after, and says which exemption expired", () => {
    expect(new ExemptionList([e], "2026-04-01").statusFor(URN, NAME)).toEqual({ state: "expired", exemption: e });
    expect(new ExemptionList([e], "2027-01-01").statusFor(URN, NAME)?.state).toBe("expired");
  });

  it("is active exactly on the days up to and including the expiry (property over calendar dates)", () => {
    const day = fc
      .date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    fc.assert(
      fc.property(day, day, (expires, today) => {
        const state = new ExemptionList([exemption({ expires })], today).statusFor(URN, NAME)?.state;
        expect(state).toBe(Date.parse(today) <= Date.parse(expires) ? "active" : "expired");
      }),
      { numRuns: 500 },
    );
  });
});

describe("ExemptionList.statusFor: exemptions that cannot be honoured", () => {
  it.each(["", "   ", "\t\n"])("a reason of %j makes it invalid", (reason) => {
    const status = new ExemptionList([exemption({ reason })], "2025-01-01").statusFor(URN, NAME);
    expect(status?.state).toBe("invalid");
    if (status?.state === "invalid") expect(status.problem).toMatch(/reason/);
  });

  it.each(["2026-02-30", "2026-13-01", "2026-00-10", "2026-3-31", "31/03/2026", "tomorrow", ""])(
    "an expiry of %j makes it invalid, naming the value",
    (expires) => {
      const status = new ExemptionList([exemption({ expires })], "2025-01-01").statusFor(URN, NAME);
      expect(status?.state).toBe("invalid");
      if (status?.state === "invalid") expect(status.problem).toContain(`'${expires}'`);
    },
  );

  it("a non-string expiry (config typed loosely) is invalid, not a crash", () => {
    const status = new ExemptionList(
      [{ ...exemption(), expires: 20260331 as unknown as string }],
      "2025-01-01",
    ).statusFor(URN, NAME);
    expect(status?.state).toBe("invalid");
  });
});

describe("ExemptionList.statusFor: several matching exemptions", () => {
  const today = "2025-06-01";
  const active1 = exemption({ resource: "web-*", reason: "first" });
  const active2 = exemption({ resource: URN, reason: "second" });
  const expired = exemption({ expires: "2025-05-31", reason: "expired one" });
  const invalid = exemption({ reason: " " });

  it("an active one wins over an expired or invalid one listed before it", () => {
    expect(new ExemptionList([expired, active2], today).statusFor(URN, NAME)).toEqual({
      state: "active",
      exemption: active2,
    });
    expect(new ExemptionList([invalid, expired, active1], today).statusFor(URN, NAME)).toEqual({
      state: "active",
      exemption: active1,
    });
  });

  it("among active ones, the first listed wins", () => {
    expect(new ExemptionList([active1, active2], today).statusFor(URN, NAME)?.exemption).toBe(active1);
    expect(new ExemptionList([active2, active1], today).statusFor(URN, NAME)?.exemption).toBe(active2);
  });

  it("with none active, the first matching one is reported", () => {
    expect(new ExemptionList([expired, invalid], today).statusFor(URN, NAME)).toEqual({
      state: "expired",
      exemption: expired,
    });
    expect(new ExemptionList([invalid, expired], today).statusFor(URN, NAME)?.state).toBe("invalid");
  });

  it("exemptions for other resources do not interfere", () => {
    const other = exemption({ resource: "db-*", expires: "2020-01-01" });
    expect(new ExemptionList([other, active1], today).statusFor(URN, NAME)?.exemption).toBe(active1);
  });
});

describe("isCalendarDate", () => {
  it.each(["2024-02-29", "2026-03-31", "2000-02-29", "1999-12-31"])("%j is a calendar date", (text) => {
    expect(isCalendarDate(text)).toBe(true);
  });

  it.each([
    "2023-02-29",
    "1900-02-29",
    "2026-04-31",
    "2026-13-01",
    "2026-00-01",
    "2026-01-00",
    "2026-1-01",
    " 2026-01-01",
    "2026-01-01T00:00:00Z",
    "",
    undefined,
    null,
    20260101,
  ])("%j is not", (text) => {
    expect(isCalendarDate(text)).toBe(false);
  });

  it("accepts exactly the days a UTC calendar has (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1970, max: 2100 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const text = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
          const daysInMonth = m >= 1 && m <= 12 ? new Date(Date.UTC(y, m, 0)).getUTCDate() : 0;
          expect(isCalendarDate(text)).toBe(d >= 1 && d <= daysInMonth);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe("compileGlob against a reference", () => {
  // The reference: the glob as an anchored regular expression (correct, but backtracking).
  const reference = (glob: string) =>
    new RegExp(
      `^${[...glob].map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&"))).join("")}$`,
      "s",
    );
  const alphabet = fc.constantFrom("a", "b", ":", "*", "?");

  it("agrees with the regular expression on every pattern and text", () => {
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 12 }),
        fc.array(fc.constantFrom("a", "b", ":"), { maxLength: 16 }),
        (g, t) => {
          const glob = g.join("");
          const text = t.join("");
          expect(compileGlob(glob).test(text)).toBe(reference(glob).test(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("answers a pattern of many `*` that a backtracking matcher cannot (no backtracking)", () => {
    const urn = `urn:pulumi:prod::shop::alicloud:ecs/instance:Instance::${"web-".repeat(50)}1`;
    for (const glob of ["*".repeat(10) + "#", "*i".repeat(10) + "#", "*e*b".repeat(10)])
      expect(compileGlob(glob).test(urn)).toBe(false);
    expect(compileGlob("*".repeat(10) + "1").test(urn)).toBe(true);
  });
});
