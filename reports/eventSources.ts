// Reads a saved engine event stream into a PolicyRun, detecting which of the engine's outputs it is.
//
// Every source carries the same apitype.EngineEvent objects (sdk/go/common/apitype/events.go: `sequence`,
// `timestamp` and exactly one `<kind>Event` payload), one JSON object per line:
//   - `pulumi preview|up --event-log <file>` (what the Automation API reads), every CLI this project builds;
//   - `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json` (v3.191.0+; without the variable, and on older
//     CLIs, `preview --json` prints one digest document that drops policy events, pulumi/pulumi#18851), and
//     `pulumi up --json`;
//   - `pulumi policy analyze --json` (v3.229.0+): policyEvents, then one summaryEvent with `isPreview: false` and
//     empty resource changes; no prelude, no resource events, no policy summaries (they are no-ops there). An update
//     (`up --json`) also says `isPreview: false` but has prelude and resource events.
// Also accepted: a JSON array of events, or `{ "events": [...] }` (apitype.EngineEventBatch).
//
// Which payloads appear depends on the CLI: policyEvent (all; `severity` from v3.203.0), policyLoadEvent (v3.94.2+),
// policyAnalyzeSummaryEvent / policyAnalyzeStackSummaryEvent with the passed and failed policy names (v3.196.0+),
// summaryEvent.result (v3.2xx). Unknown payload kinds, lines that are not JSON and a torn last line are skipped and
// counted (PolicyRun.skipped), never fatal; a file with no engine event at all is an input error.
//
// Resource inputs and outputs, the prelude's config and remediation before/after values are never read: they may
// hold secrets (the engine blinds only what is marked secret).
import { readFileSync, statSync } from "node:fs";
import type {
  EnforcementLevel,
  EventSourceKind,
  PolicyCheck,
  PolicyRun,
  PolicyViolation,
  Severity,
  SkippedInput,
} from "./policyRun";

/** A problem with the input itself: the CLI reports it in one line and exits 2. */
export class InputError extends Error {
  override readonly name = "InputError";
}

/** Payload kinds of apitype.EngineEvent up to v3.259 (events.go). Others are counted as unknown, not fatal. */
const KNOWN_KINDS = new Set([
  "cancelEvent",
  "stdoutEvent",
  "diagnosticEvent",
  "preludeEvent",
  "summaryEvent",
  "resourcePreEvent",
  "resOutputsEvent",
  "resOpFailedEvent",
  "policyEvent",
  "policyRemediationEvent",
  "policyLoadEvent",
  "policyAnalyzeSummaryEvent",
  "policyRemediateSummaryEvent",
  "policyAnalyzeStackSummaryEvent",
  "startDebuggingEvent",
  "progressEvent",
  "errorEvent",
]);

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === "string" ? v : "");
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);

/** The event's payload key, or undefined when the object is not an engine event. */
function payloadKind(event: Json): string | undefined {
  const kinds = Object.keys(event).filter((k) => k.endsWith("Event") && isObject(event[k]));
  return kinds.length === 1 ? kinds[0] : undefined;
}

function levelOf(raw: string): EnforcementLevel | undefined {
  switch (raw) {
    case "mandatory":
      return "mandatory";
    case "advisory":
    case "warning": // apitype's comment names the advisory level "warning"
      return "advisory";
    case "remediate":
      return "remediate";
    case "disabled":
    case "none":
      return "disabled";
    default:
      return undefined;
  }
}

const SEVERITIES = new Set<Severity>(["low", "medium", "high", "critical"]);

interface Lines {
  readonly events: Json[];
  readonly skipped: Map<string, number>;
  readonly batch: boolean;
}

function splitInput(text: string, file: string): Lines {
  const skipped = new Map<string, number>();
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1);
  const trimmed = text.trim();
  if (trimmed === "")
    throw new InputError(
      `${file} is empty: expected an engine event stream (pulumi --event-log, streaming --json, or policy analyze --json)`,
    );
  if (trimmed.startsWith("[") || (trimmed.startsWith("{") && !trimmed.includes("\n"))) {
    // A whole JSON document: an array, an event batch, a preview digest, or a single event on one line.
    let doc: unknown;
    try {
      doc = JSON.parse(trimmed);
    } catch {
      doc = undefined;
    }
    if (Array.isArray(doc)) return { events: doc.filter(isObject), skipped, batch: true };
    if (isObject(doc) && Array.isArray(doc["events"]))
      return { events: doc["events"].filter(isObject), skipped, batch: true };
    if (isObject(doc) && payloadKind(doc) === undefined) throw notAStream(doc, file);
  } else if (trimmed.startsWith("{")) {
    // A pretty-printed document (the `preview --json` digest is indented) is not an event stream either.
    try {
      const doc: unknown = JSON.parse(trimmed);
      if (isObject(doc) && payloadKind(doc) === undefined) {
        if (Array.isArray(doc["events"])) return { events: doc["events"].filter(isObject), skipped, batch: true };
        throw notAStream(doc, file);
      }
    } catch (err) {
      if (err instanceof InputError) throw err;
      // Not one document: JSON lines, handled below.
    }
  }
  const events: Json[] = [];
  const lines = trimmed.split("\n");
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      skip(
        i === lines.length - 1
          ? "a truncated last line (the CLI was stopped while writing)"
          : "lines that are not JSON",
      );
      return;
    }
    if (isObject(value)) events.push(value);
    else skip("JSON values that are not objects");
  });
  return { events, skipped, batch: false };
}

function notAStream(doc: Json, file: string): InputError {
  if ("steps" in doc || "changeSummary" in doc || "diagnostics" in doc) {
    return new InputError(
      `${file} is the digest of \`pulumi preview --json\`, which drops policy events (pulumi/pulumi#18851): ` +
        "save --event-log <file>, or set PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true (CLI v3.191.0+)",
    );
  }
  return new InputError(`${file} is a JSON document, not an engine event stream (no "<kind>Event" payload)`);
}

/** Parses the text of an event stream. `file` names it in messages. */
export function parseEventStream(text: string, file = "the input"): PolicyRun {
  const { events, skipped, batch } = splitInput(text, file);
  const skip = (reason: string, n = 1) => skipped.set(reason, (skipped.get(reason) ?? 0) + n);

  const violations: PolicyViolation[] = [];
  const checks: PolicyCheck[] = [];
  const errors: string[] = [];
  const policyPacks = new Map<string, string>();
  const resourceTypes = new Map<string, string>();
  const seenKinds = new Set<string>();
  let engineEvents = 0;
  let policyLoads = 0;
  let checksReported = false;
  let summary: Json | undefined;
  let stackUrn: string | undefined;

  for (const event of events) {
    const kind = payloadKind(event);
    if (kind === undefined) {
      skip("JSON objects that are not engine events");
      continue;
    }
    engineEvents++;
    seenKinds.add(kind);
    const p = event[kind] as Json;
    if (!KNOWN_KINDS.has(kind)) {
      skip(`events of unknown kind (${kind})`);
      continue;
    }
    switch (kind) {
      case "policyEvent": {
        const level = levelOf(str(p["enforcementLevel"]));
        if (!level) {
          skip(`policy events with an unknown enforcement level (${str(p["enforcementLevel"]) || "none"})`);
          break;
        }
        const severity = str(p["severity"]) as Severity;
        const pack = str(p["policyPackName"]);
        const version = str(p["policyPackVersion"]);
        if (pack) policyPacks.set(pack, policyPacks.get(pack) ?? version);
        violations.push({
          policyPack: pack,
          policyPackVersion: version,
          policy: str(p["policyName"]),
          level,
          ...(SEVERITIES.has(severity) ? { severity } : {}),
          message: str(p["message"]),
          resourceUrn: str(p["resourceUrn"]),
        });
        break;
      }
      case "policyAnalyzeSummaryEvent":
      case "policyAnalyzeStackSummaryEvent": {
        checksReported = true;
        const pack = str(p["policyPackName"]);
        const version = str(p["policyPackVersion"]);
        if (pack) policyPacks.set(pack, policyPacks.get(pack) ?? version);
        const urn = kind === "policyAnalyzeSummaryEvent" ? str(p["resourceUrn"]) : "";
        for (const policy of strings(p["passed"]))
          checks.push({ policyPack: pack, policyPackVersion: version, policy, resourceUrn: urn, passed: true });
        for (const policy of strings(p["failed"]))
          checks.push({ policyPack: pack, policyPackVersion: version, policy, resourceUrn: urn, passed: false });
        break;
      }
      case "policyLoadEvent":
        policyLoads++;
        break;
      case "resourcePreEvent":
      case "resOutputsEvent": {
        const metadata = isObject(p["metadata"]) ? p["metadata"] : {};
        const urn = str(metadata["urn"]);
        const type = str(metadata["type"]);
        if (urn && type) resourceTypes.set(urn, type);
        if (type === "pulumi:pulumi:Stack") stackUrn = urn;
        break;
      }
      case "diagnosticEvent":
        if (str(p["severity"]) === "error") errors.push(str(p["message"]).trim());
        break;
      case "summaryEvent":
        summary = p;
        if (isObject(p["PolicyPacks"])) {
          // Keys are pack names; older CLIs key a local pack as "<name> (<path>)" with an empty name and "(local)".
          for (const [key, version] of Object.entries(p["PolicyPacks"])) {
            const name = key.replace(/\s*\([^)]*\)\s*$/, "").trim();
            if (name && !policyPacks.has(name))
              policyPacks.set(
                name,
                str(version)
                  .replace(/^\(|\)$/g, "")
                  .replace(/^v(?=\d)/, ""),
              );
          }
        }
        break;
      default:
        // Known kinds that carry nothing a policy report needs (or carry property values: remediations, prelude).
        break;
    }
  }
  if (engineEvents === 0) {
    throw new InputError(
      `${file} holds no engine event (expected one JSON object per line with a "<kind>Event" payload, e.g. from --event-log)`,
    );
  }

  const source: EventSourceKind = batch
    ? "engine-event-batch"
    : !seenKinds.has("preludeEvent") && !seenKinds.has("resourcePreEvent") && summary?.["isPreview"] === false
      ? "policy-analyze"
      : "engine-events";
  const anyUrn =
    stackUrn ??
    [...resourceTypes.keys(), ...violations.map((v) => v.resourceUrn)].find((u) => u.startsWith("urn:pulumi:"));
  const urnParts = /^urn:pulumi:([^:]+)::([^:]+)::/.exec(anyUrn ?? "");
  const stack = urnParts?.[1];
  const project = urnParts?.[2];
  // Stack-level violations without a URN belong to the root stack resource, when the stream names it.
  const attributed = stackUrn
    ? violations.map((v) => (v.resourceUrn === "" ? { ...v, resourceUrn: stackUrn } : v))
    : violations;
  const skippedList: SkippedInput[] = [...skipped].map(([reason, count]) => ({ reason, count }));
  if (!summary)
    skippedList.push({
      reason:
        "no summaryEvent at the end: the run was cut short or the file is truncated, so findings may be incomplete",
      count: 1,
    });

  return {
    source,
    complete: summary !== undefined,
    ...(typeof summary?.["isPreview"] === "boolean" ? { isPreview: summary["isPreview"] } : {}),
    ...(str(summary?.["result"]) ? { result: str(summary?.["result"]) } : {}),
    ...(project ? { project } : {}),
    ...(stack ? { stack } : {}),
    policyPacks,
    policyLoads,
    violations: attributed,
    checks,
    checksReported,
    resourceTypes,
    errors,
    skipped: skippedList,
  };
}

/** Reads an event stream file; a missing, unreadable or non-stream file is an InputError. */
export function readEventStream(file: string): PolicyRun {
  let text: string;
  try {
    if (statSync(file).isDirectory()) throw new InputError(`${file} is a directory, not an event stream file`);
    text = readFileSync(file, "utf8");
  } catch (err) {
    if (err instanceof InputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(
      code === "ENOENT" ? `no such events file: ${file}` : `cannot read events file ${file}: ${code ?? String(err)}`,
    );
  }
  return parseEventStream(text, file);
}
