import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { beforeEach, describe, expect, it } from "vitest";
import { HOTFIX_SCRIPT } from "../../companion/hotfixDelivery";
import {
  chunk,
  DEFAULT_COMMAND_TIMEOUT_SECONDS,
  invocationCreateTimeout,
  MAX_INSTANCES_PER_INVOCATION,
  OverlayfsHotfix,
} from "../../companion/overlayfsHotfix";
import {
  byType,
  COMMAND,
  installRecordingMocks,
  INSTANCE,
  INVOCATION,
  MockRun,
  settle,
} from "./support/recordingMocks";

function instancesOf(count: number): alicloud.ecs.Instance[] {
  return Array.from(
    { length: count },
    (_, i) =>
      new alicloud.ecs.Instance(`vm-${i}`, {
        imageId: "aliyun_2_1903_x64_20G_alibase_20210120.vhd",
        instanceType: "ecs.g6.large",
        vswitchId: "vsw-test",
        securityGroups: ["sg-test"],
      }),
  );
}

async function deploy(hotfix: OverlayfsHotfix, instances: pulumi.CustomResource[] = []): Promise<void> {
  await settle(
    hotfix.commandId,
    hotfix.invocationIds,
    hotfix.invocationStatuses,
    hotfix.urn,
    ...instances.map((i) => i.urn),
  );
}

describe("OverlayfsHotfix", () => {
  let run: MockRun;
  beforeEach(async () => {
    run = await installRecordingMocks();
  });

  it("creates one RunShellScript command whose Base64 content decodes to the embedded script", async () => {
    const instances = instancesOf(1);
    const hotfix = new OverlayfsHotfix("fix", { instances });
    await deploy(hotfix, instances);
    const commands = byType(run, COMMAND);
    expect(commands).toHaveLength(1);
    const props = commands[0].props;
    expect(props.type).toBe("RunShellScript");
    expect(Buffer.from(String(props.commandContent), "base64").toString("utf8")).toBe(HOTFIX_SCRIPT);
    expect(props.enableParameter).toBe(false);
  });

  it("gives the command a timeout that fits a yum run, not the 60 s default", async () => {
    const hotfix = new OverlayfsHotfix("fix", { instances: ["i-abc"] });
    await deploy(hotfix);
    expect(byType(run, COMMAND)[0].props.timeout).toBe(DEFAULT_COMMAND_TIMEOUT_SECONDS);
    expect(DEFAULT_COMMAND_TIMEOUT_SECONDS).toBeGreaterThanOrEqual(600);
  });

  it("splits 120 instances into 3 invocations of at most 50, each listing and depending on its own instances", async () => {
    const instances = instancesOf(120);
    const hotfix = new OverlayfsHotfix("fix", { instances });
    await deploy(hotfix, instances);
    const invocations = byType(run, INVOCATION).sort((a, b) => a.name.localeCompare(b.name, "en", { numeric: true }));
    expect(invocations.map((i) => i.name)).toEqual(["fix-batch-0", "fix-batch-1", "fix-batch-2"]);
    const urnById = new Map(byType(run, INSTANCE).map((r) => [r.id, r.urn]));
    const commandUrn = byType(run, COMMAND)[0].urn;
    const sizes: number[] = [];
    const covered: string[] = [];
    for (const invocation of invocations) {
      const ids = invocation.props.instanceIds as string[];
      sizes.push(ids.length);
      covered.push(...ids);
      const urns = ids.map((id) => urnById.get(id));
      expect(urns.every((u) => u !== undefined)).toBe(true);
      // Property dependencies (what the pack follows at preview) and explicit dependsOn.
      expect([...invocation.propertyDependencies.instanceIds].sort()).toEqual([...urns].sort());
      expect(invocation.dependencies).toEqual(expect.arrayContaining(urns as string[]));
      expect(invocation.propertyDependencies.commandId).toEqual([commandUrn]);
      expect(invocation.props.commandId).toBe(byType(run, COMMAND)[0].id);
      expect(invocation.props.repeatMode).toBe("Once");
    }
    expect(sizes).toEqual([50, 50, 20]);
    expect(new Set(covered).size).toBe(120);
    expect(new Set(covered)).toEqual(new Set(urnById.keys()));
  });

  it("gives each invocation a create timeout longer than the command timeout", async () => {
    const hotfix = new OverlayfsHotfix("fix", { instances: ["i-abc"], commandTimeoutSeconds: 900 });
    await deploy(hotfix);
    const invocation = byType(run, INVOCATION)[0];
    expect(byType(run, COMMAND)[0].props.timeout).toBe(900);
    expect(invocation.customTimeouts?.create).toBe("25m");
    expect(invocationCreateTimeout(DEFAULT_COMMAND_TIMEOUT_SECONDS)).toBe("40m");
  });

  it("passes brownfield instance IDs as they are, without resource dependencies", async () => {
    const instances = instancesOf(1);
    const hotfix = new OverlayfsHotfix("fix", { instances: [...instances, "i-existing1", "i-existing2"] });
    await deploy(hotfix, instances);
    const invocation = byType(run, INVOCATION)[0];
    expect(invocation.props.instanceIds).toEqual([byType(run, INSTANCE)[0].id, "i-existing1", "i-existing2"]);
    expect(invocation.propertyDependencies.instanceIds).toEqual([byType(run, INSTANCE)[0].urn]);
  });

  it("exposes the invocation statuses and an overall status", async () => {
    const hotfix = new OverlayfsHotfix("fix", { instances: Array.from({ length: 51 }, (_, i) => `i-x${i}`) });
    const [commandId, ids, statuses, status] = await settle(
      hotfix.commandId,
      hotfix.invocationIds,
      hotfix.invocationStatuses,
      hotfix.status,
    );
    expect(commandId).toBe(byType(run, COMMAND)[0].id);
    expect(ids).toEqual(["t-fixbatch0", "t-fixbatch1"]);
    expect(statuses).toEqual(["Success", "Success"]);
    expect(status).toBe("Success");
  });

  it("reports the first status that is not Success", async () => {
    run = await installRecordingMocks({ invocationStatus: "Running" });
    const hotfix = new OverlayfsHotfix("fix", { instances: ["i-a"] });
    const [status] = await settle(hotfix.status);
    expect(status).toBe("Running");
  });

  it("bakes the caller's reboot choice into the command and the user data", async () => {
    const hotfix = new OverlayfsHotfix("fix", { instances: ["i-a"], allowReboot: true });
    await deploy(hotfix);
    const script = Buffer.from(String(byType(run, COMMAND)[0].props.commandContent), "base64").toString("utf8");
    expect(script).toContain(': "${ALINUX_HOTFIX_ALLOW_REBOOT:=yes}"');
    expect(hotfix.userData.text).toBe(script);
    expect(Buffer.from(hotfix.userData.base64, "base64").toString("utf8")).toBe(script);
  });

  it("parents its resources to the component", async () => {
    const hotfix = new OverlayfsHotfix("fix", { instances: ["i-a"] });
    await deploy(hotfix);
    const componentUrn = run.resources.find((r) => r.type === "alinux-guard:companion:OverlayfsHotfix")?.urn;
    expect(componentUrn).toBeDefined();
    for (const r of [...byType(run, COMMAND), ...byType(run, INVOCATION)]) expect(r.parent).toBe(componentUrn);
  });

  it("rejects a batch size over the API limit and a timeout under a minute", () => {
    expect(() => new OverlayfsHotfix("a", { instances: ["i-a"], batchSize: MAX_INSTANCES_PER_INVOCATION + 1 })).toThrow(
      /batchSize/,
    );
    expect(() => new OverlayfsHotfix("b", { instances: ["i-a"], batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new OverlayfsHotfix("c", { instances: ["i-a"], commandTimeoutSeconds: 30 })).toThrow(
      /commandTimeoutSeconds/,
    );
  });

  it("creates no invocation when there is no instance", async () => {
    const hotfix = new OverlayfsHotfix("fix", { instances: [] });
    await deploy(hotfix);
    expect(byType(run, INVOCATION)).toHaveLength(0);
    expect(byType(run, COMMAND)).toHaveLength(1);
  });
});

describe("chunk", () => {
  it("keeps order and never exceeds the size", () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunk([], 50)).toEqual([]);
    expect(() => chunk([1], 0)).toThrow();
  });
});
