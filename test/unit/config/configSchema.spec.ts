// Config validation the way the engine does it: the engine validates each policy's properties against its
// schema (plus the injected `enforcementLevel`) with gojsonschema; tools/engine/policyPackConfig.ts ports that.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  exemptionsSchema,
  imageKernelsSchema,
  KERNEL_RELEASE_PATTERN,
  kernelUnknownPolicyConfigSchema,
  advisoryPolicyConfigSchema,
} from "../../../policies/src/config/configSchema";
import { isCalendarDate } from "../../../policies/src/config/exemptions";
import { parseKernelRelease } from "../../../policies/src/knowledge/kernelRelease";
import { validateAgainstSchema } from "../../../tools/engine/policyPackConfig";

const validateOverlayfs = (props: Record<string, unknown>) => validateAgainstSchema(advisoryPolicyConfigSchema, props);
const validateKernelUnknown = (props: Record<string, unknown>) =>
  validateAgainstSchema(kernelUnknownPolicyConfigSchema, props);

const validExemption = {
  resource: "urn:pulumi:prod::shop::alicloud:ecs/instance:Instance::web-*",
  reason: "migrating to Alinux 3",
  expires: "2026-03-31",
};

describe("overlayfs policy config", () => {
  it("accepts an empty config", () => {
    expect(validateOverlayfs({})).toEqual([]);
  });

  it("accepts a full valid config, with the engine-injected enforcementLevel", () => {
    expect(
      validateOverlayfs({
        enforcementLevel: "mandatory",
        imageKernels: {
          "m-bp1abc": "4.19.91-21.al7.x86_64",
          "m-bp1def": "kernel-4.19.91-23.al7",
          "aliyun_2_1903_x64_20G_alibase_20210120.vhd": "4.19.91-22.2.al7",
        },
        exemptions: [validExemption, { resource: "web-?", reason: "r", expires: "2024-02-29" }],
      }),
    ).toEqual([]);
  });

  it.each([
    ["an empty reason", { ...validExemption, reason: "" }],
    ["a whitespace-only reason", { ...validExemption, reason: "   " }],
    ["an impossible date", { ...validExemption, expires: "2026-02-30" }],
    ["a month 13", { ...validExemption, expires: "2026-13-01" }],
    ["a date not in YYYY-MM-DD", { ...validExemption, expires: "31/03/2026" }],
    ["a date with a time", { ...validExemption, expires: "2026-03-31T00:00:00Z" }],
    ["an empty resource", { ...validExemption, resource: "" }],
    ["an extra property", { ...validExemption, owner: "team-a" }],
    ["a missing reason", { resource: validExemption.resource, expires: validExemption.expires }],
    ["a missing expiry", { resource: validExemption.resource, reason: validExemption.reason }],
    ["a missing resource", { reason: validExemption.reason, expires: validExemption.expires }],
    ["a numeric expiry", { ...validExemption, expires: 20260331 }],
  ])("rejects an exemption with %s", (_what, entry) => {
    expect(validateOverlayfs({ exemptions: [entry] }).length).toBeGreaterThan(0);
  });

  it("rejects exemptions that are not a list", () => {
    expect(validateOverlayfs({ exemptions: validExemption }).length).toBeGreaterThan(0);
  });

  it.each([
    "4.19",
    "latest",
    "",
    "4.19.91",
    "4.19.91-22.2.al7 ",
    " 4.19.91-22.2.al7",
    "v4.19.91-22.al7",
    "4.19.91-22.2.al7.",
  ])("rejects the declared kernel %j", (text) => {
    expect(validateOverlayfs({ imageKernels: { "m-bp1abc": text } }).length).toBeGreaterThan(0);
  });

  it("rejects a declared kernel that is not a string, and imageKernels that is not an object", () => {
    expect(validateOverlayfs({ imageKernels: { "m-bp1abc": 4 } }).length).toBeGreaterThan(0);
    expect(validateOverlayfs({ imageKernels: ["4.19.91-22.2.al7"] }).length).toBeGreaterThan(0);
  });

  it("rejects an unknown enforcement level", () => {
    expect(validateOverlayfs({ enforcementLevel: "strict" }).length).toBeGreaterThan(0);
  });
});

describe("kernel-unknown policy config", () => {
  it("accepts declared kernels and rejects bad ones, like the overlayfs policy", () => {
    expect(validateKernelUnknown({ imageKernels: { "m-bp1abc": "4.19.91-21.al7" } })).toEqual([]);
    expect(validateKernelUnknown({ imageKernels: { "m-bp1abc": "4.19" } }).length).toBeGreaterThan(0);
  });

  it("shares the imageKernels schema with the overlayfs policy (one declaration serves both)", () => {
    expect(kernelUnknownPolicyConfigSchema.properties.imageKernels).toBe(
      advisoryPolicyConfigSchema.properties.imageKernels,
    );
  });
});

describe("schema defaults (what the engine fills in when the user says nothing)", () => {
  it("imageKernels defaults to {} and exemptions to []", () => {
    expect(imageKernelsSchema.default).toEqual({});
    expect(exemptionsSchema.default).toEqual([]);
  });

  it("the defaults are themselves valid", () => {
    expect(
      validateOverlayfs({ imageKernels: imageKernelsSchema.default, exemptions: exemptionsSchema.default }),
    ).toEqual([]);
  });
});

describe("schema and code agree", () => {
  it("an expiry passes the schema exactly when the exemption code takes it as a calendar date (property)", () => {
    const text = fc
      .tuple(fc.integer({ min: 1990, max: 2100 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }))
      .map(([y, m, d]) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
    fc.assert(
      fc.property(text, (expires) => {
        const schemaOk = validateOverlayfs({ exemptions: [{ ...validExemption, expires }] }).length === 0;
        expect(schemaOk).toBe(isCalendarDate(expires));
      }),
      { numRuns: 300 },
    );
  });

  it("a kernel the schema accepts is one the policy can parse (else config passes but the policy says 'unknown')", () => {
    for (const text of ["4.19.91-22.2.al7.", "4.19.91-.x86_64", "4.19.91-.al7", "4.19.91-22.2.al7..x86_64"]) {
      const schemaOk = validateOverlayfs({ imageKernels: { "m-bp1abc": text } }).length === 0;
      expect({ text, schemaOk, parses: parseKernelRelease(text) !== undefined }).toEqual({
        text,
        schemaOk: false,
        parses: false,
      });
    }
  });

  it("every kernel the schema's pattern accepts parses (property)", () => {
    fc.assert(
      fc.property(fc.stringMatching(new RegExp(KERNEL_RELEASE_PATTERN)), (text) => {
        expect(parseKernelRelease(text), text).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });

  it("every Alibaba Cloud Linux 2 kernel spelling passes the schema", () => {
    for (const text of [
      "4.19.91-22.2.al7",
      "4.19.24-9.al7.x86_64",
      "kernel-4.19.91-23.al7",
      "4.19.91-26.al7.aarch64",
    ]) {
      expect(validateOverlayfs({ imageKernels: { "m-bp1abc": text } }), text).toEqual([]);
    }
  });

  it("rejects a kernel the resolver cannot use: no .al7 tag, no release, another distribution, another arch", () => {
    for (const text of [
      "4.19.91-21",
      "4.19.91",
      "5.10.134-13.al8.x86_64",
      "3.10.0-1160.el7.x86_64",
      "4.19.91-21.al7.i686",
      "latest",
      "4.19.91-21.al7 ",
    ]) {
      expect(validateOverlayfs({ imageKernels: { "m-bp1abc": text } }), text).not.toEqual([]);
    }
  });
});
