// The protocol specs' session with the real pack: build it if needed, start it like the engine (one process per spec
// file), and read its answers. Resources come from test/support/stackFixtures.ts, names and images from
// test/support/contract.ts, as in the unit specs.
import { afterAll, afterEach, beforeAll } from "vitest";
import { PolicyPackHarness, type StartOptions } from "../../tools/engine/analyzerClient";
import type { AnalyzeResult, Diagnostic } from "../../tools/engine/protocolViews";
import { ensurePackBuilt } from "../../tools/engine/packBuild";

/** Any Alibaba Cloud Linux 2 kernel release as a message would print it. */
export const KERNEL_RELEASE = /\b4\.19\.\d+-\d+(\.\d+)*\.al7\b/;

/**
 * One pack process for the spec file that calls this (vitest hooks): started before its tests, stopped after them,
 * and put back to the default config after each test. Returns an accessor for the running harness.
 */
export function usePackPerSpecFile(): () => PolicyPackHarness {
  let harness: PolicyPackHarness | undefined;
  beforeAll(async () => {
    harness = await startPack();
  });
  afterAll(async () => {
    await harness?.stop();
  });
  afterEach(async () => {
    await harness?.configure();
  });
  return () => {
    if (!harness) throw new Error("the pack is not running (usePackPerSpecFile hooks did not start it)");
    return harness;
  };
}

export async function startPack(opts: StartOptions = {}): Promise<PolicyPackHarness> {
  // ALINUX_GUARD_PACK_DIR points the specs at another built copy of the pack (e.g. an unpacked `npm pack` tarball).
  const packDir = opts.packDir ?? process.env.ALINUX_GUARD_PACK_DIR;
  if (!packDir) ensurePackBuilt();
  return PolicyPackHarness.start({ project: "alinux-guard-specs", stack: "dev", ...opts, packDir });
}

export function byPolicy(r: AnalyzeResult, policyName: string): Diagnostic[] {
  return r.diagnostics.filter((d) => d.policyName === policyName);
}

/** The "can't run during preview" advisory the SDK emits when a policy reads an unknown value. */
export function isCantRunAdvisory(d: Diagnostic, policyName: string): boolean {
  return (
    d.policyName === policyName &&
    d.enforcementLevel === "advisory" &&
    d.message.startsWith(`can't run policy '${policyName}' from policy pack 'alinux-guard@v`) &&
    d.message.includes("during preview")
  );
}

/** Every message the pack produced, for "never echoes X" checks. */
export function allText(r: AnalyzeResult): string {
  return (
    r.diagnostics.map((d) => `${d.message}\n${d.description}`).join("\n") +
    r.notApplicable.map((n) => n.reason).join("\n")
  );
}
