import { describe, expect, it } from "vitest";
import { POLICY } from "../../../support/contract";

const OVERLAYFS_POLICY_NAME = POLICY.overlayfs;
import { createPackContext } from "../../../../policies/src/pack/packContext";
import { runStack } from "../../../support/policyRuntime";
import { base64, previewInvocation, resource, T } from "../../../support/stackFixtures";
import { CORPUS, CorpusCase } from "./mitigationCorpus";

const context = createPackContext({ today: () => "2026-11-27" });

/** The corpus case as a preview stack: the instance with the user data, or the instance plus a command invoked on it. */
export function corpusStack(c: CorpusCase) {
  if (c.via === "userData") return [resource(T.instance, "web", { imageId: c.image, userData: c.value })];
  const web = resource(T.instance, "web", { imageId: c.image });
  const fix = resource(T.command, "fix", {
    name: "fix",
    type: "RunShellScript",
    commandContent: c.raw ? c.value : base64(c.value),
    ...c.command,
  });
  return [web, fix, previewInvocation("apply", fix, [web], c.invocation ?? {})];
}

describe("mitigation corpus through the unit runtime", () => {
  for (const c of CORPUS) {
    it(`${c.verdict}: ${c.name} (${c.via})`, async () => {
      const run = await runStack(corpusStack(c), {}, { context });
      const violations = run.violations.filter((v) => v.policyName === OVERLAYFS_POLICY_NAME);
      if (c.verdict === "mitigated") {
        expect(violations).toEqual([]);
      } else {
        expect(violations).toHaveLength(1);
        expect(violations[0].message).toContain(c.reason);
        // Never the script text.
        if (c.value.length > 20) expect(violations[0].message).not.toContain(c.value.trim().split("\n").pop());
      }
    });
  }
});
