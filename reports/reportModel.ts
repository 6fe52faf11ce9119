// The report every format is written from: a PolicyRun joined with the packs' rules and the program's source
// locations. It is also, as is, the JSON report (reports/schema/alinux-guard-report.v1.schema.json describes it), so
// SARIF, JUnit and Markdown say nothing the JSON report does not.
//
// Secrets: the model holds policy messages (this pack's never quote property values; other packs' messages are
// theirs, as the CLI prints them), URNs, types and rule metadata. Engine error texts are kept only when they are the
// engine's own policy-config or fixed phrases; any other error (a program or provider error can quote inputs) is
// replaced by a notice that points to the CLI output.
import { createHash } from "node:crypto";
import type { PackRules, PolicyRule } from "./packRules";
import { OWN_PACK } from "./packRules";
import {
  resourceNameOf,
  resourceTypeOf,
  verdictOf,
  type EnforcementLevel,
  type EventSourceKind,
  type FailOn,
  type PolicyRun,
  type Severity,
  type SkippedInput,
  type VerdictStatus,
} from "./policyRun";
import type { SourceLocation, SourceLocator } from "./sourceLocations";

export const REPORT_FORMAT_VERSION = "1.0.0";
export const REPORT_SCHEMA_ID = "https://alinux-guard.invalid/schemas/alinux-guard-report.v1.schema.json";

export interface ReportRule extends PolicyRule {
  /** The SARIF rule id / JUnit class: the policy name for this pack, `<pack>/<policy>` for others. */
  readonly id: string;
}

export interface ReportViolation {
  readonly ruleId: string;
  readonly policyPack: string;
  readonly policyPackVersion: string;
  readonly policy: string;
  readonly level: EnforcementLevel;
  readonly severity?: Severity;
  readonly resourceUrn: string;
  readonly resourceName: string;
  readonly resourceType: string;
  /** What the policy reported (a leading description line removed for policies whose description is known). */
  readonly message: string;
  /** For this pack's violations: the image ID, kernel and fix its message names. */
  readonly image?: string;
  readonly kernel?: string;
  readonly fix?: string;
  readonly location: SourceLocation;
  /** Stable across runs: policy pack, policy and URN. */
  readonly fingerprint: string;
}

export interface ReportCheck {
  readonly ruleId: string;
  readonly policyPack: string;
  readonly policy: string;
  readonly resourceUrn: string;
  readonly passed: boolean;
}

export interface PolicyReport {
  readonly $schema: string;
  readonly reportVersion: string;
  readonly tool: { readonly name: string; readonly version: string };
  readonly source: {
    readonly kind: EventSourceKind;
    readonly file?: string;
    readonly complete: boolean;
    readonly isPreview?: boolean;
    readonly result?: string;
  };
  readonly project?: string;
  readonly stack?: string;
  readonly failOn: FailOn;
  readonly verdict: { readonly status: VerdictStatus; readonly failed: boolean; readonly summary: string };
  readonly counts: {
    readonly mandatory: number;
    readonly advisory: number;
    readonly other: number;
    readonly checksPassed: number;
    readonly checksFailed: number;
  };
  readonly policyPacks: readonly { readonly name: string; readonly version: string }[];
  readonly rules: readonly ReportRule[];
  readonly violations: readonly ReportViolation[];
  /** Passed and failed checks from the engine's summary events; `reported` is false for CLIs before v3.196.0. */
  readonly checks: { readonly reported: boolean; readonly items: readonly ReportCheck[] };
  readonly errors: readonly string[];
  readonly skipped: readonly SkippedInput[];
}

/** Engine errors whose text is the engine's own and quotes no property value. */
const SAFE_ERROR =
  /^(preview failed|update failed|validating policy config: [^\n]*|[^\n]*policy pack[^\n]*(not found|failed to load|could not be loaded)[^\n]*)$/i;

const GENERIC_FAILURE = /^(preview|update) failed$/i;

export function reportableError(text: string): string {
  const first = text.trim();
  return SAFE_ERROR.test(first)
    ? first
    : "an engine error (its text is left out of reports because it may quote property values; see the CLI output)";
}

const firstMatch = (re: RegExp, text: string) => re.exec(text)?.[1];

/** This pack's messages name the image and kernel on their first line and the fix on a line starting "Fix:". */
function detailsOf(message: string): Pick<ReportViolation, "image" | "kernel" | "fix"> {
  const first = message.split("\n")[0] ?? "";
  const image = firstMatch(/\bimage ((?:m-|aliyun|[a-z0-9_-]+_)[^\s,;()]*?)(?=[,;.]?(?:\s|$))/, first);
  const kernel = firstMatch(/\bkernel (\d+\.\d+\.\d+-[^\s,;()]+?)(?=[,;.]?(?:\s|$))/, first);
  const fix = firstMatch(/^Fix: (.+)$/m, message);
  return { ...(image ? { image } : {}), ...(kernel ? { kernel } : {}), ...(fix ? { fix } : {}) };
}

export function ruleIdOf(policyPack: string, policy: string): string {
  return policyPack === OWN_PACK.name ? policy : `${policyPack || "unknown-pack"}/${policy}`;
}

export function fingerprintOf(policyPack: string, policy: string, urn: string): string {
  return createHash("sha256").update(`${policyPack}\u0000${policy}\u0000${urn}`).digest("hex").slice(0, 32);
}

export interface BuildOptions {
  readonly failOn: FailOn;
  readonly eventsFile?: string;
}

export function buildReport(
  run: PolicyRun,
  rules: PackRules,
  locator: SourceLocator,
  options: BuildOptions,
): PolicyReport {
  const ruleMap = new Map<string, ReportRule>();
  const ruleOf = (pack: string, policy: string, severity?: Severity): ReportRule => {
    const id = ruleIdOf(pack, policy);
    let rule = ruleMap.get(id);
    if (!rule) {
      rule = { id, ...rules.ruleFor(pack, policy, severity) };
      ruleMap.set(id, rule);
    }
    return rule;
  };

  const violations = run.violations.map((v): ReportViolation => {
    const rule = ruleOf(v.policyPack, v.policy, v.severity);
    const message = rules.reportedText(v.policyPack, v.policy, v.message);
    const name = resourceNameOf(v.resourceUrn);
    const severity = v.severity ?? rule.severity;
    return {
      ruleId: rule.id,
      policyPack: v.policyPack,
      policyPackVersion: v.policyPackVersion,
      policy: v.policy,
      level: v.level,
      ...(severity ? { severity } : {}),
      resourceUrn: v.resourceUrn,
      resourceName: name,
      resourceType: resourceTypeOf(v.resourceUrn, run.resourceTypes),
      message,
      ...(rule.fromPackMetadata ? detailsOf(message) : {}),
      location: locator.locate(v.resourceUrn),
      fingerprint: fingerprintOf(v.policyPack, v.policy, v.resourceUrn),
    };
  });
  const checks = run.checks.map((c): ReportCheck => ({
    ruleId: ruleOf(c.policyPack, c.policy).id,
    policyPack: c.policyPack,
    policy: c.policy,
    resourceUrn: c.resourceUrn,
    passed: c.passed,
  }));
  const verdict = verdictOf(run, options.failOn);
  return {
    $schema: REPORT_SCHEMA_ID,
    reportVersion: REPORT_FORMAT_VERSION,
    tool: { name: "alinux-guard", version: OWN_PACK.version },
    source: {
      kind: run.source,
      ...(options.eventsFile ? { file: options.eventsFile } : {}),
      complete: run.complete,
      ...(run.isPreview !== undefined ? { isPreview: run.isPreview } : {}),
      ...(run.result ? { result: run.result } : {}),
    },
    ...(run.project ? { project: run.project } : {}),
    ...(run.stack ? { stack: run.stack } : {}),
    failOn: options.failOn,
    verdict: { status: verdict.status, failed: verdict.failed, summary: verdict.line },
    counts: {
      mandatory: verdict.mandatory,
      advisory: verdict.advisory,
      other: verdict.other,
      checksPassed: checks.filter((c) => c.passed).length,
      checksFailed: checks.filter((c) => !c.passed).length,
    },
    policyPacks: [...run.policyPacks].map(([name, version]) => ({ name, version })),
    rules: [...ruleMap.values()],
    violations,
    checks: { reported: run.checksReported, items: checks },
    // "preview failed" is how the engine ends a preview that a mandatory violation stopped: not a second problem.
    errors: run.errors.filter((e) => verdict.mandatory === 0 || !GENERIC_FAILURE.test(e.trim())).map(reportableError),
    skipped: run.skipped,
  };
}
