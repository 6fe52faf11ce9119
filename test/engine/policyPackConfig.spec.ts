// The config reconciliation port against the engine's own expectations:
// messages are those asserted by pulumi/pulumi-policy tests/integration/integration_test.go (TestConfig),
// merge rules are pulumi/pulumi pkg/resource/analyzer/config.go (and its config_test.go cases).
import { describe, expect, it } from "vitest";
import {
  formatEngineValidationErrors,
  parsePolicyPackConfig,
  PolicyPackConfigParseError,
  reconcilePolicyPackConfig,
  type PolicyMetadata,
} from "../../tools/engine/policyPackConfig";

const policy = (
  name: string,
  configSchema?: PolicyMetadata["configSchema"],
  enforcementLevel: PolicyMetadata["enforcementLevel"] = "advisory",
): PolicyMetadata => ({
  name,
  enforcementLevel,
  configSchema,
});

/** Both policies of the pulumi-policy "config" integration pack share one schema. */
function errorsFor(schema: PolicyMetadata["configSchema"], file?: Record<string, unknown>): string[] {
  const policies = [policy("resource-validation", schema), policy("stack-validation", schema)];
  const cfg = file ? { "resource-validation": file, "stack-validation": file } : undefined;
  const { validationErrors } = reconcilePolicyPackConfig(policies, undefined, parsePolicyPackConfig(cfg));
  return formatEngineValidationErrors("config-policy", "0.0.1", validationErrors);
}

const want = (...errs: string[]) =>
  errs
    .flatMap((e) => [
      `validating policy config: config-policy 0.0.1  resource-validation: ${e}`,
      `validating policy config: config-policy 0.0.1  stack-validation: ${e}`,
    ])
    .sort();

describe("engine config validation messages (pulumi-policy TestConfig scenarios)", () => {
  it("required property not set", () => {
    expect(errorsFor({ properties: { foo: { type: "string" } }, required: ["foo"] })).toEqual(want("foo is required"));
  });
  it("default of the wrong type", () => {
    expect(errorsFor({ properties: { foo: { type: "string", default: 1 } } })).toEqual(
      want("foo: Invalid type. Expected: string, given: integer"),
    );
  });
  it("default too long / too short", () => {
    expect(errorsFor({ properties: { foo: { type: "string", maxLength: 3, default: "this is too long" } } })).toEqual(
      want("foo: String length must be less than or equal to 3"),
    );
    expect(errorsFor({ properties: { foo: { type: "string", minLength: 50, default: "short" } } })).toEqual(
      want("foo: String length must be greater than or equal to 50"),
    );
  });
  it("invalid enum and const values", () => {
    expect(errorsFor({ properties: { foo: { type: "string", enum: ["bar", "baz"] } } }, { foo: "blah" })).toEqual(
      want(`foo: foo must be one of the following: "bar", "baz"`),
    );
    expect(errorsFor({ properties: { foo: { const: "bar" } } }, { foo: "blah" })).toEqual(
      want(`foo: foo does not match: "bar"`),
    );
  });
  it("incorrect type from config and multiple errors", () => {
    expect(errorsFor({ properties: { foo: { type: "string" } } }, { foo: 1 })).toEqual(
      want("foo: Invalid type. Expected: string, given: integer"),
    );
    expect(
      errorsFor(
        { properties: { foo: { type: "string", maxLength: 3 }, bar: { type: "integer" } } },
        { foo: "this is too long", bar: 3.14 },
      ),
    ).toEqual(
      want("bar: Invalid type. Expected: integer, given: number", "foo: String length must be less than or equal to 3"),
    );
  });
  it("valid values produce no errors", () => {
    expect(errorsFor({ properties: { foo: { type: "number" } } }, { foo: 3.14 })).toEqual([]);
    expect(errorsFor({ properties: { foo: { type: "array" } } }, { foo: ["a", "b"] })).toEqual([]);
    expect(errorsFor({ properties: { foo: { type: "string", default: "bar" } } })).toEqual([]);
  });
  it("nested paths use gojsonschema's dotted field names", () => {
    const schema = {
      properties: {
        exemptions: {
          type: "array",
          items: {
            type: "object",
            properties: {
              reason: { type: "string", minLength: 1 },
              expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
            },
            required: ["reason"],
          },
        },
      },
    };
    expect(errorsFor(schema, { exemptions: [{ expires: "soon" }] })).toEqual(
      want("exemptions.0.expires: Does not match pattern '^\\d{4}-\\d{2}-\\d{2}$'", "exemptions.0: reason is required"),
    );
  });
});

describe("engine config reconciliation (config.go)", () => {
  const policies = [
    policy("a", { properties: { x: { type: "string", default: "dx" }, y: { type: "integer" } } }, "mandatory"),
    policy("b", undefined, "advisory"),
  ];

  it("seeds schema defaults and declared levels", () => {
    const { config } = reconcilePolicyPackConfig(policies, undefined, undefined);
    expect(config).toEqual({
      a: { enforcementLevel: "mandatory", properties: { x: "dx" } },
      b: { enforcementLevel: "advisory", properties: undefined },
    });
  });

  it('"all" sets every level, then per-policy entries win; properties merge over defaults', () => {
    const { config } = reconcilePolicyPackConfig(
      policies,
      undefined,
      parsePolicyPackConfig({ all: "disabled", a: { enforcementLevel: "advisory", y: 2 } }),
    );
    expect(config?.a).toEqual({ enforcementLevel: "advisory", properties: { x: "dx", y: 2 } });
    expect(config?.b).toEqual({ enforcementLevel: "disabled", properties: undefined });
    // The engine forwards the "all" key itself in Configure.
    expect(config?.all).toEqual({ enforcementLevel: "disabled", properties: undefined });
  });

  it("initialConfig applies before the file config", () => {
    const { config } = reconcilePolicyPackConfig(
      policies,
      { a: { properties: { x: "initial" } } },
      parsePolicyPackConfig({ a: "remediate" }),
    );
    expect(config?.a).toEqual({ enforcementLevel: "remediate", properties: { x: "initial" } });
  });

  it("unknown policy names are not rejected (forwarded as-is)", () => {
    const { config, validationErrors } = reconcilePolicyPackConfig(
      policies,
      undefined,
      parsePolicyPackConfig({ nope: "mandatory" }),
    );
    expect(validationErrors).toEqual([]);
    expect(config?.nope).toEqual({ enforcementLevel: "mandatory", properties: undefined });
  });

  it("parse errors carry the engine's wording", () => {
    expect(() => parsePolicyPackConfig({ a: "blocking" as never })).toThrow(
      new PolicyPackConfigParseError(`parsing enforcement level for "a": "blocking" is not a valid enforcement level`),
    );
    expect(() => parsePolicyPackConfig({ a: { enforcementLevel: 3 } as never })).toThrow(
      `parsing enforcement level for "a": 3 is not a valid enforcement level; must be a string`,
    );
    expect(() => parsePolicyPackConfig({ a: 3 as never })).toThrow(
      `parsing "a": 3 is not a valid value; must be a string or object`,
    );
    expect(parsePolicyPackConfig("   ")).toBeUndefined();
    expect(parsePolicyPackConfig({ a: {} })).toEqual({});
  });
});
