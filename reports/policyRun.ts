// What one policy run found, independent of where it was read from (reports/eventSources.ts) and of the formats
// written from it (reports/*Report.ts). Holds only what the engine's policy events carry and resource URNs/types:
// no resource property, no stack config (the prelude's config can hold secrets), so no report can leak one.

export type EnforcementLevel = "mandatory" | "advisory" | "remediate" | "disabled";
export type Severity = "low" | "medium" | "high" | "critical";

/** Which `--fail-on` level makes the command exit 1. */
export type FailOn = "mandatory" | "advisory" | "none";
export const FAIL_ON_VALUES: readonly FailOn[] = ["mandatory", "advisory", "none"];

/**
 * Where the events came from. The event log (`--event-log`, what the Automation API reads) and the streaming JSON of
 * `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json` are the same format (one apitype.EngineEvent per
 * line, pkg/backend/display: startEventLogger and ShowJSONEvents both call logJSONEvent), so they are one kind.
 */
export type EventSourceKind =
  /** `--event-log` or streaming `preview --json` / `up --json`: engine events of a preview or update. */
  | "engine-events"
  /** `pulumi policy analyze --json` (v3.229.0+): policy events and one summary, no resource or prelude events. */
  | "policy-analyze"
  /** A JSON array, or `{ "events": [...] }` (apitype.EngineEventBatch, as the Pulumi Cloud events API returns). */
  | "engine-event-batch";

export interface PolicyViolation {
  readonly policyPack: string;
  readonly policyPackVersion: string;
  readonly policy: string;
  readonly level: EnforcementLevel;
  /** Sent by CLIs from v3.203.0 on; older ones leave it to the pack's metadata. */
  readonly severity?: Severity;
  /** The message as the engine sent it (with the policy's description line first, if the policy reported a string). */
  readonly message: string;
  /** Empty when the engine attributes the violation to no resource (a stack policy without a URN). */
  readonly resourceUrn: string;
}

/** One policy evaluated on one resource (or the stack), from the summary events that CLIs send from v3.196.0 on. */
export interface PolicyCheck {
  readonly policyPack: string;
  readonly policyPackVersion: string;
  readonly policy: string;
  /** Empty for a stack policy (policyAnalyzeStackSummaryEvent names no resource). */
  readonly resourceUrn: string;
  readonly passed: boolean;
}

/** Events that were not used, and why, so a report can say what it skipped. */
export interface SkippedInput {
  readonly reason: string;
  readonly count: number;
}

export interface PolicyRun {
  readonly source: EventSourceKind;
  /** Whether the stream ends with the engine's summaryEvent; without it the run may have been cut short. */
  readonly complete: boolean;
  readonly isPreview?: boolean;
  /** summaryEvent.result (v3.2xx): "succeeded", "failed" or "canceled". */
  readonly result?: string;
  readonly project?: string;
  readonly stack?: string;
  /** Policy packs seen (summaryEvent.PolicyPacks and the events), name → version. */
  readonly policyPacks: ReadonlyMap<string, string>;
  readonly policyLoads: number;
  readonly violations: readonly PolicyViolation[];
  readonly checks: readonly PolicyCheck[];
  /** Whether the CLI sent per-resource summary events at all (passed checks are only known then). */
  readonly checksReported: boolean;
  /** URN → resource type, from the resource events (absent in `policy analyze`). */
  readonly resourceTypes: ReadonlyMap<string, string>;
  /** Error diagnostics of the engine (e.g. a rejected policy pack config, a program error). */
  readonly errors: readonly string[];
  readonly skipped: readonly SkippedInput[];
}

/** The last `::`-separated part of a URN: the resource's logical name. */
export function resourceNameOf(urn: string): string {
  return urn === "" ? "" : (urn.split("::").pop() ?? urn);
}

/** The resource type of a URN (`urn:pulumi:stack::project::[parent$]type::name`). */
export function resourceTypeOf(urn: string, known?: ReadonlyMap<string, string>): string {
  const fromEvents = known?.get(urn);
  if (fromEvents) return fromEvents;
  const qualified = urn.split("::")[2] ?? "";
  return qualified.split("$").pop() ?? qualified;
}

const LEVEL_RANK: Record<EnforcementLevel, number> = { mandatory: 2, advisory: 1, remediate: 0, disabled: 0 };

/** Whether a violation at `level` fails the run under `failOn`. */
export function failsRun(level: EnforcementLevel, failOn: FailOn): boolean {
  if (failOn === "none") return false;
  return LEVEL_RANK[level] >= LEVEL_RANK[failOn];
}

export type VerdictStatus =
  /** Violations at or above `--fail-on`. */
  | "blocked"
  /** Nothing at or above `--fail-on`. */
  | "passed"
  /** The engine reported errors and no mandatory violation explains them: the policies may not have run at all. */
  | "error";

export interface Verdict {
  readonly status: VerdictStatus;
  /** Whether the command exits non-zero: blocked, or an error (fail closed) unless `--fail-on none`. */
  readonly failed: boolean;
  readonly mandatory: number;
  readonly advisory: number;
  readonly other: number;
  /** One line for a terminal or a summary. */
  readonly line: string;
}

export function verdictOf(run: PolicyRun, failOn: FailOn): Verdict {
  const count = (pred: (v: PolicyViolation) => boolean) => run.violations.filter(pred).length;
  const mandatory = count((v) => v.level === "mandatory");
  const advisory = count((v) => v.level === "advisory");
  const other = run.violations.length - mandatory - advisory;
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const counts = `${plural(mandatory, "mandatory violation")}, ${plural(advisory, "advisory", "advisories")}`;
  if (run.violations.some((v) => failsRun(v.level, failOn))) {
    return {
      status: "blocked",
      failed: true,
      mandatory,
      advisory,
      other,
      line: `BLOCKED: ${counts} (--fail-on ${failOn})`,
    };
  }
  if (run.errors.length > 0 && mandatory === 0) {
    const line = `NO VERDICT: the run failed (${plural(run.errors.length, "engine error")}) before the policies could give one; ${counts}`;
    return { status: "error", failed: failOn !== "none", mandatory, advisory, other, line };
  }
  return {
    status: "passed",
    failed: false,
    mandatory,
    advisory,
    other,
    line: `PASSED: ${counts} (--fail-on ${failOn})`,
  };
}
