/** The stack entry point (index.ts at the root) under Pulumi mocks, with only alicloud:region and brownfield IDs set. */
import { describe, expect, it } from "vitest";
import { DEFAULT_IMAGE_ID } from "../../companion/stack";
import { byType, installRecordingMocks, INSTANCE, INVOCATION, PROJECT, settle } from "./support/recordingMocks";

describe("index.ts", () => {
  it("runs with only alicloud:region set, and exports the hotfix status", async () => {
    const run = await installRecordingMocks({
      config: { "alicloud:region": "cn-hangzhou", [`${PROJECT}:existingInstanceIds`]: '["i-brownfield1"]' },
    });
    const program = await import("../../index.js");
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
});
