// The scenario table the end-to-end specs and `npm run demo` run (tools/e2e/scenarios.ts), checked without a CLI:
// every bundled program is the example of a scenario (so adding an example without its row fails here, and a row
// without its case fails in cli.spec.ts / yamlCurrentCli.spec.ts), and every row names what exists.
import { existsSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { EXAMPLES_DIR, REPO_ROOT } from "../../tools/e2e/pulumiCli";
import { SCENARIOS } from "../../tools/e2e/scenarios";

const programs = readdirSync(EXAMPLES_DIR).filter((d) => existsSync(path.join(EXAMPLES_DIR, d, "Pulumi.yaml")));

describe("the scenario table", () => {
  it("gives every scenario its own id", () => {
    expect(new Set(SCENARIOS.map((s) => s.id)).size).toBe(SCENARIOS.length);
  });

  it.each(programs)("runs the bundled program examples/%s", (dir) => {
    expect(SCENARIOS.map((s) => s.example)).toContain(dir);
  });

  const rows = SCENARIOS.map((s) => [s.id, s] as const);
  it.each(rows)("%s: its example and pack config exist; a blocked one names what it blocks", (_id, s) => {
    expect(programs).toContain(s.example);
    if (s.policyPackConfig) expect(existsSync(path.join(REPO_ROOT, s.policyPackConfig)), s.policyPackConfig).toBe(true);
    if (s.expected === "blocked") expect(s.blockedResources?.length).toBeGreaterThan(0);
  });
});
