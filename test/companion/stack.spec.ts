import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { HOTFIX_SCRIPT } from "../../companion/hotfixDelivery";
import { DEFAULT_IMAGE_ID, DEFAULT_SETTINGS, defineCompanionStack, readSettings } from "../../companion/stack";
import {
  byType,
  COMMAND,
  installRecordingMocks,
  INSTANCE,
  INVOCATION,
  PROJECT,
  settle,
} from "./support/recordingMocks";

const cfg = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [`${PROJECT}:${k}`, v]));

describe("readSettings", () => {
  it("needs no config besides alicloud:region: every setting has a default", async () => {
    await installRecordingMocks({ config: { "alicloud:region": "cn-hangzhou" } });
    expect(readSettings(new pulumi.Config(PROJECT))).toEqual(DEFAULT_SETTINGS);
  });

  it("defaults to a legacy Alibaba Cloud Linux 2.1903 image whose kernel is in the hotfix range", () => {
    // Release notes (AlibabaCloudDocs/ecs): 20210120 ships kernel-4.19.91-22.2.al7, the last affected kernel.
    expect(DEFAULT_IMAGE_ID).toBe("aliyun_2_1903_x64_20G_alibase_20210120.vhd");
    expect(DEFAULT_SETTINGS.imageId).toBe(DEFAULT_IMAGE_ID);
    expect(DEFAULT_SETTINGS.allowReboot).toBe(false);
  });

  it("reads every setting, including existing instance IDs (brownfield)", async () => {
    await installRecordingMocks({
      config: cfg({
        instanceCount: "3",
        imageId: "aliyun_2_1903_x64_20G_alibase_20200904.vhd",
        instanceType: "ecs.c6.large",
        zoneId: "cn-hangzhou-k",
        existingInstanceIds: JSON.stringify(["i-abc123", "i-def456", "i-abc123"]),
        allowReboot: "true",
        commandTimeoutSeconds: "2400",
        namePrefix: "legacy",
      }),
    });
    const s = readSettings(new pulumi.Config(PROJECT));
    expect(s).toMatchObject({
      instanceCount: 3,
      imageId: "aliyun_2_1903_x64_20G_alibase_20200904.vhd",
      instanceType: "ecs.c6.large",
      zoneId: "cn-hangzhou-k",
      existingInstanceIds: ["i-abc123", "i-def456"],
      allowReboot: true,
      commandTimeoutSeconds: 2400,
      namePrefix: "legacy",
    });
  });

  it("rejects existingInstanceIds that are not ECS instance IDs, and a negative count", async () => {
    await installRecordingMocks({ config: cfg({ existingInstanceIds: JSON.stringify(["sg-123"]) }) });
    expect(() => readSettings(new pulumi.Config(PROJECT))).toThrow(/existingInstanceIds/);
    await installRecordingMocks({ config: cfg({ existingInstanceIds: '"i-abc"' }) });
    expect(() => readSettings(new pulumi.Config(PROJECT))).toThrow(/existingInstanceIds/);
    await installRecordingMocks({ config: cfg({ instanceCount: "-1" }) });
    expect(() => readSettings(new pulumi.Config(PROJECT))).toThrow(/instanceCount/);
  });
});

async function deployStack(settings: typeof DEFAULT_SETTINGS) {
  const stack = defineCompanionStack(settings);
  await settle(
    stack.hotfix.invocationStatuses,
    stack.hotfix.commandId,
    stack.hotfix.urn,
    ...stack.instances.map((i) => i.urn),
  );
  return stack;
}

describe("defineCompanionStack", () => {
  it("provisions network, security group and the instances on the configured image, and attaches the hotfix", async () => {
    const run = await installRecordingMocks();
    await deployStack({ ...DEFAULT_SETTINGS, instanceCount: 2 });
    const types = run.resources.map((r) => r.type);
    for (const t of [
      "alicloud:vpc/network:Network",
      "alicloud:vpc/switch:Switch",
      "alicloud:ecs/securityGroup:SecurityGroup",
    ]) {
      expect(types.filter((x) => x === t)).toHaveLength(1);
    }
    const instances = byType(run, INSTANCE);
    expect(instances).toHaveLength(2);
    for (const i of instances) {
      expect(i.props.imageId).toBe(DEFAULT_IMAGE_ID);
      expect(i.props.internetMaxBandwidthOut).toBe(0);
    }
    const [invocation] = byType(run, INVOCATION);
    expect(invocation.props.instanceIds).toEqual(instances.map((i) => i.id));
    expect(Buffer.from(String(byType(run, COMMAND)[0].props.commandContent), "base64").toString("utf8")).toBe(
      HOTFIX_SCRIPT,
    );
  });

  it("looks the zone up for the instance type unless zoneId is set", async () => {
    let run = await installRecordingMocks();
    await deployStack(DEFAULT_SETTINGS);
    const zoneCalls = run.calls.filter((c) => c.token === "alicloud:index/getZones:getZones");
    expect(zoneCalls).toHaveLength(1);
    expect(zoneCalls[0].inputs).toMatchObject({
      availableInstanceType: "ecs.g6.large",
      availableResourceCreation: "VSwitch",
    });
    expect(byType(run, "alicloud:vpc/switch:Switch")[0].props.zoneId).toBe("cn-hangzhou-i");

    run = await installRecordingMocks();
    await deployStack({ ...DEFAULT_SETTINGS, zoneId: "cn-hangzhou-k" });
    expect(run.calls).toHaveLength(0);
    expect(byType(run, "alicloud:vpc/switch:Switch")[0].props.zoneId).toBe("cn-hangzhou-k");
  });

  it("batches 120 instances into 3 invocations", async () => {
    const run = await installRecordingMocks();
    await deployStack({ ...DEFAULT_SETTINGS, instanceCount: 120 });
    const invocations = byType(run, INVOCATION);
    expect(invocations).toHaveLength(3);
    expect(invocations.map((i) => (i.props.instanceIds as string[]).length).sort((a, b) => b - a)).toEqual([
      50, 50, 20,
    ]);
  });

  it("fixes existing instance IDs too, and creates nothing else when instanceCount is 0", async () => {
    const run = await installRecordingMocks();
    await deployStack({ ...DEFAULT_SETTINGS, instanceCount: 0, existingInstanceIds: ["i-old1", "i-old2"] });
    expect(byType(run, INSTANCE)).toHaveLength(0);
    expect(byType(run, "alicloud:vpc/network:Network")).toHaveLength(0);
    const invocations = byType(run, INVOCATION);
    expect(invocations).toHaveLength(1);
    expect(invocations[0].props.instanceIds).toEqual(["i-old1", "i-old2"]);
  });

  it("passes the reboot choice and the command timeout to the component", async () => {
    const run = await installRecordingMocks();
    await deployStack({ ...DEFAULT_SETTINGS, allowReboot: true, commandTimeoutSeconds: 2400 });
    const command = byType(run, COMMAND)[0];
    expect(command.props.timeout).toBe(2400);
    expect(Buffer.from(String(command.props.commandContent), "base64").toString("utf8")).toContain(
      "ALINUX_HOTFIX_ALLOW_REBOOT:=yes",
    );
    expect(byType(run, INVOCATION)[0].customTimeouts?.create).toBe("50m");
  });
});
