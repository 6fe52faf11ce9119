// What the end-to-end specs ask of a CLI run: the engine's policy events by level, and a failure message that names
// the CLI version, the command and the output.
import type { PolicyEvent, PreviewRun } from "../../tools/e2e/pulumiCli";
import { POLICY } from "../support/contract";

export const PREVIEW_TIMEOUT = 180_000;

export function nameOf(urn: string): string {
  return urn.split("::").pop() ?? urn;
}

export function mandatory(run: PreviewRun, policy = POLICY.overlayfs): PolicyEvent[] {
  return run.policyEvents.filter((e) => e.enforcementLevel === "mandatory" && e.policyName === policy);
}

export function advisories(run: PreviewRun, policy: string): PolicyEvent[] {
  return run.policyEvents.filter((e) => e.enforcementLevel === "advisory" && e.policyName === policy);
}

export function explain(run: PreviewRun): string {
  return `pulumi ${run.cliVersion}: pulumi ${run.args.join(" ")}\nexit ${run.exitCode}\n${run.output.slice(-6000)}`;
}
