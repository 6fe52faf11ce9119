// Engine-faithful policy pack configuration: parse the `--policy-pack-config` file format, reconcile it
// with schema defaults / declared enforcement levels / the pack's initialConfig, and validate the result,
// reporting errors the way the Pulumi engine does.
//
// Port of pulumi/pulumi `pkg/resource/analyzer/config.go` (parsePolicyPackConfig, extractEnforcementLevel,
// createConfigWithDefaults, applyConfig, ReconcilePolicyPackConfig, validatePolicyPackConfig) and the
// reporting in `pkg/engine/plugins.go` installAndLoadPolicyPlugins:
//   each error -> "validating policy config: <pack> <version>  <policy>: <gojsonschema error>",
//   all errors sorted, each printed as a CLI `error:` line, then the run fails before any Analyze.
// Schema validation uses ajv; its errors are rendered in gojsonschema's English locale
// (`<field>: <description>`, with a leading "(root): " trimmed) so messages match the CLI.
import Ajv, { type ErrorObject } from "ajv";
import * as net from "node:net";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

export function isEnforcementLevel(v: unknown): v is EnforcementLevel {
  return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

/** One policy's config as the engine holds it (plugin.AnalyzerPolicyConfig). */
export interface AnalyzerPolicyConfig {
  enforcementLevel?: EnforcementLevel;
  properties?: Record<string, unknown>;
}

/** What the engine knows about a policy from GetAnalyzerInfo (plugin.AnalyzerPolicyInfo). */
export interface PolicyMetadata {
  name: string;
  enforcementLevel: EnforcementLevel;
  configSchema?: { properties?: Record<string, unknown>; required?: string[] };
}

/** The JSON object accepted by `--policy-pack-config`: policy name (or "all") -> level or object. */
export type PolicyPackConfigFile = Record<
  string,
  EnforcementLevel | ({ enforcementLevel?: EnforcementLevel } & Record<string, unknown>)
>;

/** A config file the engine refuses to parse (it fails the command with this message). */
export class PolicyPackConfigParseError extends Error {
  override name = "PolicyPackConfigParseError";
}

/**
 * The engine's `parsePolicyPackConfig`: accepts the file text or an already-parsed object.
 * Empty text means "no config". Errors carry the engine's wording.
 */
export function parsePolicyPackConfig(
  input: string | PolicyPackConfigFile | undefined,
): Record<string, AnalyzerPolicyConfig> | undefined {
  if (input === undefined) return undefined;
  let raw: unknown;
  if (typeof input === "string") {
    if (input.trim() === "") return undefined;
    try {
      raw = JSON.parse(input);
    } catch (e) {
      throw new PolicyPackConfigParseError((e as Error).message);
    }
  } else {
    raw = structuredClone(input);
  }
  // Go's json.Unmarshal of `null` into a map is a no-op.
  if (raw === null) return {};
  if (typeof raw !== "object" || Array.isArray(raw)) {
    // Go's json.Unmarshal into map[string]interface{}.
    throw new PolicyPackConfigParseError(
      `json: cannot unmarshal ${goJsonKind(raw)} into Go value of type map[string]interface {}`,
    );
  }
  const result: Record<string, AnalyzerPolicyConfig> = {};
  for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
    let enforcementLevel: EnforcementLevel | undefined;
    let properties: Record<string, unknown> | undefined;
    if (typeof v === "string") {
      if (!isEnforcementLevel(v)) {
        throw new PolicyPackConfigParseError(
          `parsing enforcement level for ${goQuote(k)}: ${goQuote(v)} is not a valid enforcement level`,
        );
      }
      enforcementLevel = v;
    } else if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      const val = v as Record<string, unknown>;
      enforcementLevel = extractEnforcementLevel(k, val);
      if (Object.keys(val).length > 0) properties = val;
    } else {
      throw new PolicyPackConfigParseError(
        `parsing ${goQuote(k)}: ${goFormatValue(v)} is not a valid value; must be a string or object`,
      );
    }
    if (enforcementLevel === undefined && properties === undefined) continue;
    result[k] = { enforcementLevel, properties };
  }
  return result;
}

function extractEnforcementLevel(policy: string, props: Record<string, unknown>): EnforcementLevel | undefined {
  if (!("enforcementLevel" in props)) return undefined;
  const el = props.enforcementLevel;
  if (typeof el !== "string") {
    throw new PolicyPackConfigParseError(
      `parsing enforcement level for ${goQuote(policy)}: ${goFormatValue(el)} is not a valid enforcement level; must be a string`,
    );
  }
  if (!isEnforcementLevel(el)) {
    throw new PolicyPackConfigParseError(
      `parsing enforcement level for ${goQuote(policy)}: ${goQuote(el)} is not a valid enforcement level`,
    );
  }
  delete props.enforcementLevel;
  return el;
}

/** createConfigWithDefaults: every policy gets its declared level and its schema `default`s. */
export function createConfigWithDefaults(policies: readonly PolicyMetadata[]): Record<string, AnalyzerPolicyConfig> {
  const result: Record<string, AnalyzerPolicyConfig> = {};
  for (const p of policies) {
    let props: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(p.configSchema?.properties ?? {})) {
      if (v !== null && typeof v === "object" && "default" in v) {
        props ??= {};
        props[k] = structuredClone(v.default);
      }
    }
    result[p.name] = { enforcementLevel: p.enforcementLevel, properties: props };
  }
  return result;
}

/**
 * applyConfig: `"all"` (when it carries a valid level) sets every policy's level; then each key, including
 * `"all"` itself and names the pack does not declare, is merged in. The engine does not reject unknown policy
 * names; it forwards them in Configure, and the SDK ignores them.
 */
export function applyConfig(
  result: Record<string, AnalyzerPolicyConfig>,
  toApply: Record<string, AnalyzerPolicyConfig>,
): Record<string, AnalyzerPolicyConfig> {
  const all = toApply.all;
  if (all && isEnforcementLevel(all.enforcementLevel)) {
    for (const [k, v] of Object.entries(result)) {
      result[k] = { enforcementLevel: all.enforcementLevel, properties: v.properties };
    }
  }
  for (const [policy, given] of Object.entries(toApply)) {
    let enforcementLevel: EnforcementLevel | undefined;
    let properties: Record<string, unknown> | undefined;
    const existing = result[policy];
    if (existing) {
      enforcementLevel = existing.enforcementLevel;
      properties = existing.properties;
    }
    if (isEnforcementLevel(given.enforcementLevel)) enforcementLevel = given.enforcementLevel;
    const givenProps = given.properties ?? {};
    if (Object.keys(givenProps).length > 0 && properties === undefined) properties = {};
    for (const [k, v] of Object.entries(givenProps)) (properties as Record<string, unknown>)[k] = v;
    result[policy] = { enforcementLevel, properties };
  }
  return result;
}

export interface ReconcileResult {
  /** The reconciled config (undefined when validation failed, as in the engine). */
  config?: Record<string, AnalyzerPolicyConfig>;
  /** `<policy>: <error>` strings, unsorted, as ReconcilePolicyPackConfig returns them. */
  validationErrors: string[];
}

/** ReconcilePolicyPackConfig: defaults, then the pack's initialConfig, then the file config, then validation. */
export function reconcilePolicyPackConfig(
  policies: readonly PolicyMetadata[],
  initialConfig: Record<string, AnalyzerPolicyConfig> | undefined,
  config: Record<string, AnalyzerPolicyConfig> | undefined,
): ReconcileResult {
  let result = createConfigWithDefaults(policies);
  if (initialConfig) result = applyConfig(result, structuredClone(initialConfig));
  if (config) result = applyConfig(result, structuredClone(config));
  const validationErrors = validatePolicyPackConfig(policies, result);
  if (validationErrors.length > 0) return { validationErrors };
  return { config: result, validationErrors: [] };
}

/** validatePolicyPackConfig: each policy's properties against `{type: object, properties, required}`. */
export function validatePolicyPackConfig(
  policies: readonly PolicyMetadata[],
  config: Record<string, AnalyzerPolicyConfig>,
): string[] {
  const errors: string[] = [];
  for (const p of policies) {
    // GetAnalyzerInfo on a config-supporting pack gives every policy a schema (the engine injects
    // `enforcementLevel` into it), so every policy is validated, even one without a configSchema.
    const props = config[p.name]?.properties ?? {};
    for (const e of validateAgainstSchema(p.configSchema ?? {}, props)) errors.push(`${p.name}: ${e}`);
  }
  return errors;
}

/** Engine-side schema of one policy (convertSchema plus the injected `enforcementLevel` property). */
export function engineSchemaFor(configSchema: PolicyMetadata["configSchema"]): Record<string, unknown> {
  const properties: Record<string, unknown> = {
    ...(configSchema?.properties ?? {}),
    enforcementLevel: { type: "string", enum: [...ENFORCEMENT_LEVELS] },
  };
  const schema: Record<string, unknown> = { type: "object", properties };
  if (configSchema?.required && configSchema.required.length > 0) schema.required = configSchema.required;
  return schema;
}

let ajvInstance: Ajv | undefined;
function ajv(): Ajv {
  if (ajvInstance) return ajvInstance;
  const a = new Ajv({ allErrors: true, strict: false, verbose: true, logger: false, validateSchema: false });
  // gojsonschema's built-in format checkers (the ones a policy schema is likely to use).
  a.addFormat("date", { type: "string", validate: isRfc3339Date });
  a.addFormat("date-time", {
    type: "string",
    validate: (s: string) =>
      /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s) &&
      !Number.isNaN(Date.parse(s)) &&
      isRfc3339Date(s.slice(0, 10)),
  });
  a.addFormat("time", {
    type: "string",
    validate: (s: string) => /^\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/.test(s),
  });
  a.addFormat("email", { type: "string", validate: (s: string) => /^[^@\s]+@[^@\s]+$/.test(s) });
  a.addFormat("ipv4", { type: "string", validate: (s: string) => net.isIPv4(s) });
  a.addFormat("ipv6", { type: "string", validate: (s: string) => net.isIPv6(s) });
  a.addFormat("uuid", {
    type: "string",
    validate: (s: string) => /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/.test(s),
  });
  a.addFormat("uri", {
    type: "string",
    validate: (s: string) => {
      try {
        return new URL(s).protocol.length > 1;
      } catch {
        return false;
      }
    },
  });
  a.addFormat("hostname", {
    type: "string",
    validate: (s: string) =>
      /^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$/.test(
        s,
      ),
  });
  a.addFormat("regex", {
    type: "string",
    validate: (s: string) => {
      try {
        new RegExp(s);
        return true;
      } catch {
        return false;
      }
    },
  });
  ajvInstance = a;
  return a;
}

function isRfc3339Date(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Validate `props` against a policy's configSchema; returns gojsonschema-formatted error strings. */
export function validateAgainstSchema(
  configSchema: PolicyMetadata["configSchema"],
  props: Record<string, unknown>,
): string[] {
  const validate = ajv().compile(engineSchemaFor(configSchema));
  if (validate(props)) return [];
  return toGoJsonSchemaErrors(validate.errors ?? []);
}

/** gojsonschema context for an ajv instancePath: "/a/0/b" -> "(root).a.0.b". */
function contextOf(instancePath: string): string {
  if (instancePath === "") return "(root)";
  const segs = instancePath
    .split("/")
    .slice(1)
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  return ["(root)", ...segs].join(".");
}

/** ResultErrorFields.Field(): the context without the "(root)." prefix. */
function fieldOf(context: string): string {
  return context.startsWith("(root).") ? context.slice("(root).".length) : context;
}

/** gojsonschema's name for a JSON value's type (whole numbers are "integer"). */
function goJsonType(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  if (typeof v === "boolean") return "boolean";
  if (typeof v === "string") return "string";
  return "object";
}

function goJsonMarshal(v: unknown): string {
  return JSON.stringify(v);
}

function describe(e: ErrorObject): string | undefined {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case "required":
      return `${String(p.missingProperty)} is required`;
    case "type": {
      const t = (e.parentSchema as { type?: unknown } | undefined)?.type ?? p.type;
      const expected = Array.isArray(t) ? `[${t.join(" ")}]` : String(t);
      return `Invalid type. Expected: ${expected}, given: ${goJsonType(e.data)}`;
    }
    case "enum":
      return `${fieldOf(contextOf(e.instancePath))} must be one of the following: ${(p.allowedValues as unknown[]).map(goJsonMarshal).join(", ")}`;
    case "const":
      return `${fieldOf(contextOf(e.instancePath))} does not match: ${goJsonMarshal(p.allowedValue)}`;
    case "pattern":
      return `Does not match pattern '${String(p.pattern)}'`;
    case "format":
      return `Does not match format '${String(p.format)}'`;
    case "minLength":
      return `String length must be greater than or equal to ${String(p.limit)}`;
    case "maxLength":
      return `String length must be less than or equal to ${String(p.limit)}`;
    case "minimum":
      return `Must be greater than or equal to ${String(p.limit)}`;
    case "exclusiveMinimum":
      return `Must be greater than ${String(p.limit)}`;
    case "maximum":
      return `Must be less than or equal to ${String(p.limit)}`;
    case "exclusiveMaximum":
      return `Must be less than ${String(p.limit)}`;
    case "multipleOf":
      return `Must be a multiple of ${String(p.multipleOf)}`;
    case "minItems":
      return `Array must have at least ${String(p.limit)} items`;
    case "maxItems":
      return `Array must have at most ${String(p.limit)} items`;
    case "uniqueItems": {
      const [i, j] = [Number(p.j), Number(p.i)].sort((a, b) => a - b);
      return `array items[${i},${j}] must be unique`;
    }
    case "minProperties":
      return `Must have at least ${String(p.limit)} properties`;
    case "maxProperties":
      return `Must have at most ${String(p.limit)} properties`;
    case "additionalProperties":
      return `Additional property ${String(p.additionalProperty)} is not allowed`;
    case "propertyNames":
      return `Property name of "${String(p.propertyName)}" does not match`;
    case "dependencies":
    case "dependentRequired":
      return `Has a dependency on ${String(p.property ?? p.missingProperty)}`;
    case "anyOf":
      return "Must validate at least one schema (anyOf)";
    case "oneOf":
      return "Must validate one and only one schema (oneOf)";
    case "not":
      return "Must not validate the schema (not)";
    case "contains":
      return "At least one of the items must match";
    case "additionalItems":
    case "items":
      return "No additional items allowed on array";
    case "if":
      return p.failingKeyword === "else"
        ? `Must validate "else" as "if" was not valid`
        : `Must validate "then" as "if" was valid`;
    case "false schema":
      return "False always fails validation";
    default:
      return e.message;
  }
}

/** Render ajv errors as gojsonschema `ResultError.String()` with "(root): " trimmed (config.go). */
export function toGoJsonSchemaErrors(errors: readonly ErrorObject[]): string[] {
  // gojsonschema stops validating a value after a type mismatch; ajv keeps checking other keywords.
  const typeFailed = new Set(errors.filter((e) => e.keyword === "type").map((e) => e.instancePath));
  const out: string[] = [];
  for (const e of errors) {
    if (e.keyword !== "type" && typeFailed.has(e.instancePath) && e.keyword !== "required") continue;
    const desc = describe(e);
    if (desc === undefined) continue;
    const line = `${fieldOf(contextOf(e.instancePath))}: ${desc}`;
    const trimmed = line.startsWith("(root): ") ? line.slice("(root): ".length) : line;
    if (!out.includes(trimmed)) out.push(trimmed);
  }
  return out;
}

/**
 * The CLI's rendering of reconcile errors (pkg/engine/plugins.go): one line per error, sorted, each
 * `validating policy config: <pack> <version>  <error>`; the CLI prints each as `error: <line>`
 * and then fails with "validating policy config".
 */
export function formatEngineValidationErrors(
  packName: string,
  packVersion: string,
  validationErrors: readonly string[],
): string[] {
  return validationErrors.map((e) => `validating policy config: ${packName} ${packVersion}  ${e}`).sort();
}

/** Thrown by the harness when the engine would refuse to run the pack because of its config. */
export class PolicyConfigValidationError extends Error {
  constructor(
    /** Sorted engine lines, each `validating policy config: <pack> <version>  <policy>: <error>`. */
    readonly lines: string[],
  ) {
    super(lines.map((l) => `error: ${l}`).join("\n"));
    this.name = "PolicyConfigValidationError";
  }
}

// --- Go formatting helpers -------------------------------------------------------------------------

function goQuote(s: string): string {
  return JSON.stringify(s);
}

function goFormatValue(v: unknown): string {
  // fmt "%v" of a decoded JSON value.
  if (v === null || v === undefined) return "<nil>";
  if (Array.isArray(v)) return `[${v.map(goFormatValue).join(" ")}]`;
  if (typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `map[${entries.map(([k, x]) => `${k}:${goFormatValue(x)}`).join(" ")}]`;
  }
  // What is left of a decoded JSON value: a string, number or boolean.
  return (v as string | number | boolean).toString();
}

function goJsonKind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return "number";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "string") return "string";
  return "object";
}
