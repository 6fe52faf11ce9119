/**
 * The companion's program (companion/index.ts, its own Pulumi project) under Pulumi mocks, with only alicloud:region
 * and brownfield IDs set; and the root entry (Pulumi.yaml + index.ts), which runs the same program as the same project.
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEFAULT_IMAGE_ID } from "../../companion/stack";
import { byType, installRecordingMocks, INSTANCE, INVOCATION, PROJECT, settle } from "./support/recordingMocks";

describe("companion/index.ts", () => {
  it("runs with only alicloud:region set, and exports the hotfix status", async () => {
    const run = await installRecordingMocks({
      config: { "alicloud:region": "cn-hangzhou", [`${PROJECT}:existingInstanceIds`]: '["i-brownfield1"]' },
    });
    const program = await import("../../companion/index.js");
    const [instanceIds, commandId, invocationIds, statuses, status] = await settle(
      program.instanceIds,
      program.hotfixCommandId,
      program.hotfixInvocationIds,
      program.hotfixInvocationStatuses,
      program.hotfixStatus,
    );
    expect(program.imageId).toBe(DEFAULT_IMAGE_ID);
    expect(instanceIds).toEqual(byType(run, INSTANCE).map((i) => i.id));
    expect(byType(run, INSTANCE)).toHaveLength(1);
    expect(commandId).toMatch(/^c-/);
    expect(invocationIds).toHaveLength(1);
    expect(byType(run, INVOCATION)[0].props.instanceIds).toEqual([...(instanceIds as string[]), "i-brownfield1"]);
    expect(statuses).toEqual(["Success"]);
    expect(status).toBe("Success");
  });

  it("is what the root index.ts exports (the repository root runs the same program)", async () => {
    await installRecordingMocks({ config: { "alicloud:region": "cn-hangzhou" } });
    const program = await import("../../companion/index.js");
    const root = await import("../../index.js");
    expect(Object.keys(root).sort()).toEqual(Object.keys(program).sort());
    for (const name of Object.keys(program))
      expect(root[name as keyof typeof root], name).toBe(program[name as keyof typeof program]);
  });
});

describe("Pulumi.yaml", () => {
  const project = (file: string) =>
    parse(readFileSync(path.join(__dirname, "../..", file), "utf8")) as {
      name: string;
      runtime: unknown;
      description?: string;
    };
  it("companion/ and the repository root are the same project, so the same alinux-guard-companion:* config applies", () => {
    expect(project("companion/Pulumi.yaml").name).toBe(PROJECT);
    expect(project("Pulumi.yaml").name).toBe(PROJECT);
    expect(project("Pulumi.yaml").runtime).toEqual(project("companion/Pulumi.yaml").runtime);
  });

  it.each(["Pulumi.yaml", "companion/Pulumi.yaml"])(
    "%s: a description `pulumi stack init` accepts (the stack tag pulumi:description, at most 256 characters)",
    (file) => {
      expect(project(file).description?.length).toBeLessThanOrEqual(256);
    },
  );
});
