// Where a finding points: the resource's recorded source position (stack export), else its declaration found by
// name in the program, else the project file.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { readEventStream } from "../../reports/eventSources";
import { createPackRules } from "../../reports/packRules";
import { buildReport } from "../../reports/reportModel";
import { parseSourcePosition, readSourcePositions, SourceLocator } from "../../reports/sourceLocations";
import { REPO_ROOT } from "../../tools/e2e/pulumiCli";
import { POLICY } from "../support/contract";
import { captured, CURRENT_CLI, EXAMPLES_ROOT } from "./support/capturedStreams";

const urnOf = (project: string, type: string, name: string) => `urn:pulumi:e2e::${project}::${type}::${name}`;

describe("source locations", () => {
  it("finds the constructor call that declares a resource before other literals of its name", () => {
    const locator = new SourceLocator(path.join(EXAMPLES_ROOT, "affected-instance"), REPO_ROOT);
    const at = locator.locate(urnOf("affected-instance", "alicloud:ecs/instance:Instance", "web"));
    const lines = readFileSync(path.join(EXAMPLES_ROOT, "affected-instance", "index.ts"), "utf8").split("\n");
    expect(at).toMatchObject({ uri: "examples/affected-instance/index.ts", declaration: true });
    expect(lines[at.line - 1].slice(at.column! - 2)).toMatch(/^"web", \{/);
    // `instanceName: "web"` comes later in the same file: the declaration wins over it.
    expect(lines.findIndex((l) => l.includes('instanceName: "web"'))).toBeGreaterThan(at.line - 1);
  });

  it("finds a resource of a YAML program by its key under resources:, and falls back to Pulumi.yaml", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "alinux-guard-yaml-"));
    writeFileSync(
      path.join(dir, "Pulumi.yaml"),
      "name: p\nruntime: yaml\nresources:\n  vpc:\n    type: alicloud:vpc:Network\n  web:\n    type: alicloud:ecs:Instance\n",
    );
    const locator = new SourceLocator(dir, dir);
    expect(locator.locate(urnOf("p", "alicloud:ecs/instance:Instance", "web"))).toMatchObject({
      uri: "Pulumi.yaml",
      line: 6,
      declaration: true,
    });
    expect(locator.locate(urnOf("p", "alicloud:ecs/instance:Instance", "elsewhere"))).toEqual({
      uri: "Pulumi.yaml",
      line: 1,
      declaration: false,
    });
  });

  it("parses the engine's recorded positions (project:///<path>#<line>[,<column>])", () => {
    expect(parseSourcePosition("project:///index.ts#19,1")).toEqual({ path: "index.ts", line: 19, column: 1 });
    expect(parseSourcePosition("project:///src/main%20app.ts#7")).toEqual({ path: "src/main app.ts", line: 7 });
    expect(parseSourcePosition("file:///abs/index.ts#19")).toBeUndefined();
    expect(parseSourcePosition("project:///index.ts#0")).toBeUndefined();
  });

  it("places the findings of `policy analyze` at the positions a stack export records", () => {
    const exportDoc = JSON.parse(
      readFileSync(path.join(EXAMPLES_ROOT, "audit-export", "stack-export.json"), "utf8"),
    ) as { deployment: { resources: { urn: string; sourcePosition?: string }[] } };
    const web = exportDoc.deployment.resources.find((r) => r.urn.endsWith("::web"))!;
    web.sourcePosition = "project:///index.ts#21,3";
    const positions = readSourcePositions(JSON.stringify(exportDoc));
    const run = readEventStream(captured(CURRENT_CLI, "audit-export", "policy-analyze-json").path);
    const report = buildReport(
      run,
      createPackRules(),
      new SourceLocator(path.join(EXAMPLES_ROOT, "affected-instance"), REPO_ROOT, positions),
      { failOn: "mandatory" },
    );
    expect(report.violations.find((v) => v.policy === POLICY.overlayfs)?.location).toEqual({
      uri: "examples/affected-instance/index.ts",
      line: 21,
      column: 3,
      declaration: true,
    });
  });
});
