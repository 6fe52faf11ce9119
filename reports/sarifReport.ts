// SARIF 2.1.0 (OASIS) for GitHub code scanning (`github/codeql-action/upload-sarif`) and other SARIF viewers.
//
// Plain JSON built from typed objects (the `sarif` type definitions from DefinitelyTyped), so the compiler checks
// the shape; test/reports validates the output with Microsoft's SARIF validator (`@microsoft/sarif-multitool
// validate --rule-kind "Gh;Sarif"`), which applies the official schema and GitHub's ingestion rules. What GitHub needs
// and this writes:
//   - one run, tool.driver "alinux-guard" with one rule per policy: id (the policy name; `<pack>/<policy>` for
//     other packs), name, short and full description, help (the remediation steps), helpUri (the advisory),
//     properties.security-severity (GitHub's 0.0–10.0 score from the policy's severity) and tags;
//   - results with level error (mandatory) / warning (advisory) / note (others), the message with the resource URN,
//     the URN as a logical location, a physical location (the declaration's line, else the project file), and
//     partialFingerprints from policy + URN, so an alert stays the same alert across runs;
//   - runAutomationDetails.id = a category per project/stack, so several stacks can upload to one repository;
//   - the run's skipped inputs and engine errors as tool execution notifications.
import type * as Sarif from "sarif";
import type { PolicyReport, ReportRule, ReportViolation } from "./reportModel";
import type { Severity } from "./policyRun";

/** GitHub maps security-severity > 9.0 to critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

function pascalCase(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join("");
}

function levelOf(level: ReportViolation["level"]): Sarif.Result.level {
  return level === "mandatory" ? "error" : level === "advisory" ? "warning" : "note";
}

function sarifRule(rule: ReportRule): Sarif.ReportingDescriptor {
  const tags = [...rule.tags, ...(rule.severity ? ["security"] : [])];
  const help = rule.remediation
    ? {
        text: rule.remediation,
        markdown: `**How to fix**\n\n${rule.remediation}${rule.helpUri ? `\n\nAdvisory: ${rule.helpUri}` : ""}`,
      }
    : { text: `Policy ${rule.policy} of policy pack ${rule.policyPack || "(unnamed)"}; see the pack's documentation.` };
  return {
    id: rule.id,
    name: pascalCase(rule.policy) || "Policy",
    shortDescription: { text: rule.title },
    fullDescription: {
      text: rule.description ?? `Policy ${rule.policy} of policy pack ${rule.policyPack || "(unnamed)"}.`,
    },
    help,
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    ...(rule.defaultLevel ? { defaultConfiguration: { level: levelOf(rule.defaultLevel) } } : {}),
    properties: {
      tags: [...new Set(tags)],
      ...(rule.severity
        ? {
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "problem.severity": rule.defaultLevel === "mandatory" ? "error" : "warning",
          }
        : {}),
      precision: "high",
      policyPack: rule.policyPack,
      ...(rule.policyType ? { policyType: rule.policyType } : {}),
    },
  };
}

function sarifResult(v: ReportViolation, ruleIndex: number): Sarif.Result {
  const subject = v.resourceUrn || "the stack";
  return {
    ruleId: v.ruleId,
    ruleIndex,
    level: levelOf(v.level),
    message: { text: `${subject}: ${v.message || `violates ${v.policy}`}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: v.location.uri, uriBaseId: "%SRCROOT%" },
          region: {
            startLine: v.location.line,
            endLine: v.location.line,
            ...(v.location.column
              ? { startColumn: v.location.column, endColumn: v.location.column + Math.max(1, v.resourceName.length) }
              : {}),
          },
        },
        ...(v.resourceUrn
          ? { logicalLocations: [{ name: v.resourceName, fullyQualifiedName: v.resourceUrn, kind: "resource" }] }
          : {}),
      },
    ],
    partialFingerprints: { "alinuxGuardPolicyUrn/v1": v.fingerprint },
    properties: {
      policyPack: v.policyPack,
      enforcementLevel: v.level,
      resourceUrn: v.resourceUrn,
      resourceType: v.resourceType,
      ...(v.image ? { image: v.image } : {}),
      ...(v.kernel ? { kernel: v.kernel } : {}),
      sourceLocation: v.location.declaration ? "declaration" : "project-file",
    },
  };
}

export function sarifReport(report: PolicyReport): Sarif.Log {
  const rules = report.rules.map(sarifRule);
  const index = new Map(report.rules.map((r, i) => [r.id, i]));
  const notifications: Sarif.Notification[] = [
    ...report.errors.map((text): Sarif.Notification => ({ level: "error", message: { text } })),
    ...report.skipped.map((s): Sarif.Notification => ({
      level: "warning",
      message: { text: `Skipped ${s.count} × ${s.reason}.` },
    })),
  ];
  const category = `alinux-guard/${report.project ?? "project"}/${report.stack ?? "stack"}/`;
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "alinux-guard",
            semanticVersion: report.tool.version,
            rules,
          },
        },
        automationDetails: { id: category },
        invocations: [
          {
            executionSuccessful: report.verdict.status !== "error" && report.source.complete,
            ...(notifications.length ? { toolExecutionNotifications: notifications } : {}),
          },
        ],
        columnKind: "utf16CodeUnits",
        results: report.violations.map((v) => sarifResult(v, index.get(v.ruleId) ?? 0)),
      },
    ],
  };
}
