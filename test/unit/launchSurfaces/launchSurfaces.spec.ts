import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as alicloud from "@pulumi/alicloud";
import {
  ECS_COMMAND_TYPE,
  ECS_IMAGE_COPY_TYPE,
  ECS_IMAGE_TYPE,
  ECS_INVOCATION_TYPE,
  ECS_SNAPSHOT_TYPES,
  LAUNCH_SURFACES,
  launchSurfaceOf,
} from "../../../policies/src/launchSurfaces/launchSurfaces";

/** The provider classes behind each token: the pack matches tokens, so they must be the SDK's own. */
const CLASSES: Record<string, { __pulumiType: string }> = {
  Instance: alicloud.ecs.Instance as never,
  EcsInstanceSet: alicloud.ecs.EcsInstanceSet as never,
  LaunchTemplate: alicloud.ecs.LaunchTemplate as never,
  EcsLaunchTemplate: alicloud.ecs.EcsLaunchTemplate as never,
  ScalingConfiguration: alicloud.ess.ScalingConfiguration as never,
  ScalingGroup: alicloud.ess.ScalingGroup as never,
  AutoProvisioningGroup: alicloud.ecs.AutoProvisioningGroup as never,
  NodePool: alicloud.cs.NodePool as never,
  Kubernetes: alicloud.cs.Kubernetes as never,
  EhpcCluster: alicloud.ehpc.Cluster as never,
  EhpcClusterV2: alicloud.ehpc.ClusterV2 as never,
  EhpcQueue: alicloud.ehpc.Queue as never,
  RdsCustom: alicloud.rds.Custom as never,
  EfloNodeGroup: alicloud.eflo.NodeGroup as never,
  EfloCluster: alicloud.eflo.Cluster as never,
  DedicatedPropreHost: alicloud.cddc.DedicatedPropreHost as never,
  EcsImagePipeline: alicloud.ecs.EcsImagePipeline as never,
};

const sdkDir = path.dirname(require.resolve("@pulumi/alicloud/package.json"));

function argsPropertiesOf(token: string): string[] {
  const [, module, rest] = /^alicloud:([^/]+)\/([^:]+):/.exec(token) ?? [];
  const dts = fs.readFileSync(path.join(sdkDir, module, `${rest}.d.ts`), "utf8");
  const args = /export interface \w+Args \{([\s\S]*?)\n\}/.exec(dts)?.[1] ?? "";
  return [...args.matchAll(/^\s+(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]);
}

describe("launch surfaces", () => {
  it("covers every resource type the issue names, with the provider SDK's own tokens", () => {
    const tokens = LAUNCH_SURFACES.map((s) => s.type).sort();
    expect(tokens).toEqual(Object.values(CLASSES).map((c) => c.__pulumiType).sort());
    expect(ECS_COMMAND_TYPE).toBe((alicloud.ecs.Command as unknown as { __pulumiType: string }).__pulumiType);
    expect(ECS_INVOCATION_TYPE).toBe((alicloud.ecs.EcsInvocation as unknown as { __pulumiType: string }).__pulumiType);
    const token = (cls: unknown) => (cls as { __pulumiType: string }).__pulumiType;
    expect(ECS_IMAGE_TYPE).toBe(token(alicloud.ecs.Image));
    expect(ECS_IMAGE_COPY_TYPE).toBe(token(alicloud.ecs.ImageCopy));
    expect(ECS_SNAPSHOT_TYPES).toEqual([token(alicloud.ecs.Snapshot), token(alicloud.ecs.EcsSnapshot)]);
  });

  it.each(LAUNCH_SURFACES.flatMap((s) => s.imageProperties.filter((p) => p.path.includes(".")).map((p) => [s.type, p.path] as const)))(
    "%s: every step of the nested image path %s is a property of the provider's input types",
    (_token, imagePath) => {
      const input = fs.readFileSync(path.join(sdkDir, "types", "input.d.ts"), "utf8");
      for (const step of imagePath.split(".").slice(1)) {
        expect(input, step).toMatch(new RegExp(`^\\s+${step.replace("[]", "")}\\?:`, "m"));
      }
    },
  );

  it.each(LAUNCH_SURFACES.map((s) => [s.type, s] as const))("%s reads only properties its Args declare", (token, surface) => {
    const declared = argsPropertiesOf(token);
    const read = [
      ...surface.imageProperties.map((p) => p.path.split(/[.[]/)[0]),
      ...surface.imageProperties.flatMap((p) => (p.idOnlyWhen ? [p.idOnlyWhen.property] : [])),
      ...surface.userDataProperties,
      ...(surface.launchTemplate ? [surface.launchTemplate.idProperty, surface.launchTemplate.nameProperty].filter((p): p is string => !!p) : []),
      ...(surface.osFamily?.properties ?? []),
    ];
    for (const property of read) expect(declared, `${token} ${property}`).toContain(property);
  });

  it("finds a surface by token and nothing for other types", () => {
    expect(launchSurfaceOf("alicloud:ecs/instance:Instance")?.invocationTarget).toBe(true);
    expect(launchSurfaceOf("alicloud:ecs/ecsLaunchTemplate:EcsLaunchTemplate")?.isLaunchTemplate).toBe(true);
    expect(launchSurfaceOf("alicloud:oss/bucket:Bucket")).toBeUndefined();
  });

  it("lets Cloud Assistant target only resources that are instances", () => {
    const targets = LAUNCH_SURFACES.filter((s) => s.invocationTarget).map((s) => s.type);
    expect(targets.sort()).toEqual(["alicloud:ecs/ecsInstanceSet:EcsInstanceSet", "alicloud:ecs/instance:Instance"]);
  });
});
