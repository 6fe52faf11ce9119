import { describe, expect, it } from "vitest";
import type { PolicyResource } from "@pulumi/policy";
import { getAdvisory } from "../../../policies/src/knowledge/advisories";
import { parseKernelRelease } from "../../../policies/src/knowledge/kernelRelease";
import { launchSurfaceOf } from "../../../policies/src/launchSurfaces/launchSurfaces";
import { StackGraph } from "../../../policies/src/launchSurfaces/stackGraph";
import { cloudAssistantCoverage, TargetCoverage } from "../../../policies/src/mitigations/cloudAssistantHotfix";
import { findMitigation } from "../../../policies/src/mitigations/surfaceMitigation";
import { engineProps, secret, UNKNOWN } from "../../support/policyRuntime";
import { base64, HOTFIX_SCRIPT, LINGJUN_NODE_TYPES, T, UNRELATED_SCRIPT } from "../../support/stackFixtures";

const advisory = getAdvisory("alinux2-overlayfs-dentry-leak");
const kernel = parseKernelRelease("4.19.91-22.2.al7.x86_64")!;
const PKG = "kernel-hotfix-4375449";
const res = (
  type: string,
  name: string,
  props: Record<string, unknown>,
  propertyDependencies: Record<string, PolicyResource[]> = {},
): PolicyResource =>
  ({
    type,
    name,
    urn: `urn:${name}`,
    props: engineProps(props),
    dependencies: [],
    propertyDependencies,
  }) as unknown as PolicyResource;
const target = (resource: PolicyResource) => ({ resource, surface: launchSurfaceOf(resource.type)! });
const noCoverage = () => Promise.resolve(new Map<string, TargetCoverage>());
const INSTANCE = "alicloud:ecs/instance:Instance";
const find = (resource: PolicyResource, template?: PolicyResource, coverage = noCoverage) =>
  findMitigation(target(resource), template, coverage, advisory, kernel);

describe("findMitigation", () => {
  it("accepts the surface's own hotfix user data, plain, Base64 or secret", async () => {
    for (const userData of [HOTFIX_SCRIPT, base64(HOTFIX_SCRIPT), secret(base64(HOTFIX_SCRIPT))]) {
      expect(await find(res(INSTANCE, "a", { userData }))).toEqual({
        state: "mitigated",
        how: `its userData installs ${PKG} for kernel 4.19.91-22.2.al7`,
      });
    }
  });

  it("checks every user-data property of a node pool", async () => {
    const pool = res("alicloud:cs/nodePool:NodePool", "np", {
      userData: base64(UNRELATED_SCRIPT),
      preUserData: base64(HOTFIX_SCRIPT),
    });
    expect((await find(pool)).state).toBe("mitigated");
  });

  it.each(LINGJUN_NODE_TYPES)(
    "%s: counts its own user data, never its node group's (not known to run on a node added later)",
    async (NODE) => {
      const group = res(T.nodeGroup, "gpu", {
        imageId: "img-g",
        userData: base64(HOTFIX_SCRIPT),
      });
      expect((await find(res(NODE, "n1", {}), group)).state).toBe("none");
      const unrelated = await find(res(NODE, "n2", { userData: base64(UNRELATED_SCRIPT) }), group);
      expect(unrelated.state).toBe("none");
      expect((await find(res(NODE, "n3", { userData: base64(HOTFIX_SCRIPT) }), group)).state).toBe("mitigated");
    },
  );

  it("falls back to the launch template's user data only when the surface has none", async () => {
    const template = res("alicloud:ecs/ecsLaunchTemplate:EcsLaunchTemplate", "tpl", {
      userData: base64(HOTFIX_SCRIPT),
    });
    expect((await find(res(INSTANCE, "a", {}), template)).state).toBe("mitigated");
    const own = await find(res(INSTANCE, "b", { userData: UNRELATED_SCRIPT }), template);
    expect(own).toEqual({
      state: "none",
      notes: [`its userData: it neither installs ${PKG} nor updates the kernel and reboots`],
    });
  });

  it("is undetermined while user data is unknown and names where, never the value; a known mitigation still wins", async () => {
    const unknownUserData = res(INSTANCE, "web", { userData: UNKNOWN });
    const m = await find(unknownUserData);
    expect(m.state === "undetermined" && m.where).toBe("userData of ECS instance 'web'");
    const cmd = res("alicloud:ecs/command:Command", "fix", {
      type: "RunShellScript",
      commandContent: base64(HOTFIX_SCRIPT),
    });
    const inv = res(
      "alicloud:ecs/ecsInvocation:EcsInvocation",
      "inv",
      { instanceIds: [UNKNOWN], commandId: UNKNOWN },
      { instanceIds: [unknownUserData], commandId: [cmd] },
    );
    const coverage = () => cloudAssistantCoverage(new StackGraph([unknownUserData, cmd, inv]));
    expect((await find(unknownUserData, undefined, coverage)).state).toBe("mitigated");
  });

  it("counts an instance set only when invocations reach all of its instances", async () => {
    const set = res("alicloud:ecs/ecsInstanceSet:EcsInstanceSet", "set", {
      imageId: "x",
      id: "s",
      instanceIds: ["i-1", "i-2"],
    });
    const cmd = res("alicloud:ecs/command:Command", "fix", {
      id: "c",
      type: "RunShellScript",
      commandContent: base64(HOTFIX_SCRIPT),
    });
    const one = res("alicloud:ecs/ecsInvocation:EcsInvocation", "one", {
      instanceIds: ["i-1"],
      commandId: "c",
      status: "Success",
    });
    const two = res("alicloud:ecs/ecsInvocation:EcsInvocation", "two", {
      instanceIds: ["i-2"],
      commandId: "c",
      status: "Success",
    });
    const partial = await find(set, undefined, () => cloudAssistantCoverage(new StackGraph([set, cmd, one])));
    expect(partial).toEqual({ state: "none", notes: ["Cloud Assistant invocations reach only 1 of its 2 instances"] });
    expect((await find(set, undefined, () => cloudAssistantCoverage(new StackGraph([set, cmd, one, two])))).state).toBe(
      "mitigated",
    );
  });

  it("computes Cloud Assistant coverage only when a surface Cloud Assistant can target needs it", async () => {
    let computed = 0;
    const coverage = () => (computed++, Promise.resolve(new Map<string, TargetCoverage>()));
    await find(res("alicloud:ess/scalingConfiguration:ScalingConfiguration", "sc", {}), undefined, coverage);
    expect(computed).toBe(0);
    await find(res(INSTANCE, "a", {}), undefined, coverage);
    expect(computed).toBe(1);
  });
});

describe("findMitigation with many invocations", () => {
  it("keeps one note per command and reason, with a count", async () => {
    const a = res(INSTANCE, "a", { id: "i-a" });
    const other = res("alicloud:ecs/command:Command", "other", {
      id: "c",
      type: "RunShellScript",
      commandContent: base64(UNRELATED_SCRIPT),
    });
    const invocations = [...Array(40).keys()].map((i) =>
      res("alicloud:ecs/ecsInvocation:EcsInvocation", `inv-${i}`, {
        instanceIds: ["i-a"],
        commandId: "c",
        ...(i % 2 ? { repeatMode: "EveryReboot" } : {}),
      }),
    );
    const m = await find(a, undefined, () => cloudAssistantCoverage(new StackGraph([a, other, ...invocations])));
    expect(m).toEqual({
      state: "none",
      notes: [
        `Cloud Assistant invocation 'inv-0' (and 19 more) (command 'other'): it neither installs ${PKG} nor updates the kernel and reboots`,
        "Cloud Assistant invocation 'inv-1' (and 19 more) targets it, but it is scheduled (repeatMode EveryReboot), not run once at provisioning",
      ],
    });
  });
});
