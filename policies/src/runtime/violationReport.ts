import type { ReportViolation } from "@pulumi/policy";
import { createRequire } from "node:module";

/** How a policy hands one violation to the SDK's `reportViolation`. */
export type ViolationReporter = (report: ReportViolation, message: string, urn: string) => void;

/**
 * The documented form, `reportViolation(message, urn)`: the SDK sends the policy's description as the message's first
 * line, and again in the diagnostic's own `description` field.
 */
export const reportUnderDescription: ViolationReporter = (report, message, urn) => report(message, urn);

/**
 * `reportViolation({ message, urn })`: the SDK sends the message as it is, and the description only in its own field
 * (which the engine does not show). @pulumi/policy takes this object since v1.20.0 (server.js makeReportViolationFun;
 * `ReportViolationArgs` in policy.ts, still @internal, its overload "future support"), so the pack uses it only with an
 * SDK version known to (AS_IS_SDK_VERSIONS, checked against the installed SDK by a spec).
 *
 * Why: a preview of a large estate reports thousands of advisory violations, and the SDK encodes every character one
 * at a time (google-protobuf's JavaScript writer); the description line was an eighth of what the 10k bench stack
 * sent (PERF-NOTES.md).
 */
export const reportAsIs: ViolationReporter = (report, message, urn) =>
  (report as unknown as (violation: { message: string; urn: string }) => void)({ message, urn });

/** @pulumi/policy versions (as their package.json writes them) whose reportViolation sends an object's message as is. */
export const AS_IS_SDK_VERSIONS: ReadonlySet<string> = new Set(["v1.20.0", "v1.21.0"]);

/** The reporter for an SDK of this version: as is where the version is known to take it, else the documented form. */
export function reporterForSdk(version: string | undefined): ViolationReporter {
  return version !== undefined && AS_IS_SDK_VERSIONS.has(version) ? reportAsIs : reportUnderDescription;
}

/**
 * The reporter for the SDK this package resolves, which is the one that runs the policies when the pack is its own
 * policy pack (index.ts). A pack that embeds the policies (library.ts) runs them with its own SDK, whose version this
 * module cannot see: it keeps the documented form.
 */
export function ownSdkReporter(): ViolationReporter {
  try {
    const sdk = createRequire(__filename)("@pulumi/policy/package.json") as { version?: unknown };
    return reporterForSdk(typeof sdk.version === "string" ? sdk.version : undefined);
  } catch {
    return reportUnderDescription;
  }
}
