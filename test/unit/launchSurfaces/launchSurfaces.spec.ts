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
import { LINGJUN_NODE_TYPES, T } from "../../support/stackFixtures";

/**
 * The @pulumi/alicloud class a token names (`alicloud:<module>/<file>:<Class>` → `alicloud.<module>.<Class>`), or
 * undefined. The pack matches tokens, so every token it (or a spec) uses must be a class's own `__pulumiType`.
 */
function sdkClassOf(token: string): { __pulumiType: string } | undefined {
  const [, module, cls] = /^alicloud:([^/:]+)\/[^:]+:(\w+)$/.exec(token) ?? [];
  const namespace = module
    ? (alicloud as unknown as Record<string, Record<string, unknown> | undefined>)[module]
    : undefined;
  return namespace?.[cls] as { __pulumiType: string } | undefined;
}

const sdkDir = path.dirname(require.resolve("@pulumi/alicloud/package.json"));

function argsPropertiesOf(token: string): string[] {
  const [, module, rest] = /^alicloud:([^/]+)\/([^:]+):/.exec(token) ?? [];
  const dts = fs.readFileSync(path.join(sdkDir, module, `${rest}.d.ts`), "utf8");
  const args = /export interface \w+Args \{([\s\S]*?)\n\}/.exec(dts)?.[1] ?? "";
  return [...args.matchAll(/^\s+(?:readonly )?(\w+)\??:/gm)].map((m) => m[1]);
}

describe("launch surfaces", () => {
  it.each(LAUNCH_SURFACES.map((s) => [s.type] as const))(
    "%s is a resource class of the provider SDK, by its own token",
    (token) => {
      expect(sdkClassOf(token)?.__pulumiType).toBe(token);
    },
  );

  it("lists each type once", () => {
    expect(new Set(LAUNCH_SURFACES.map((s) => s.type)).size).toBe(LAUNCH_SURFACES.length);
  });

  it.each(Object.entries(T))("the fixtures' %s token (%s) is the provider SDK's own", (_key, token) => {
    expect(sdkClassOf(token)?.__pulumiType).toBe(token);
  });

  it("names commands, invocations, images and snapshots by the provider SDK's own tokens", () => {
    expect(ECS_COMMAND_TYPE).toBe((alicloud.ecs.Command as unknown as { __pulumiType: string }).__pulumiType);
    expect(ECS_INVOCATION_TYPE).toBe((alicloud.ecs.EcsInvocation as unknown as { __pulumiType: string }).__pulumiType);
    const token = (cls: unknown) => (cls as { __pulumiType: string }).__pulumiType;
    expect(ECS_IMAGE_TYPE).toBe(token(alicloud.ecs.Image));
    expect(ECS_IMAGE_COPY_TYPE).toBe(token(alicloud.ecs.ImageCopy));
    expect(ECS_SNAPSHOT_TYPES).toEqual([token(alicloud.ecs.Snapshot), token(alicloud.ecs.EcsSnapshot)]);
  });

  it.each(
    LAUNCH_SURFACES.flatMap((s) =>
      s.imageProperties.filter((p) => p.path.includes(".")).map((p) => [s.type, p.path] as const),
    ),
  )("%s: every step of the nested image path %s is a property of the provider's input types", (_token, imagePath) => {
    const input = fs.readFileSync(path.join(sdkDir, "types", "input.d.ts"), "utf8");
    for (const step of imagePath.split(".").slice(1)) {
      expect(input, step).toMatch(new RegExp(`^\\s+${step.replace("[]", "")}\\?:`, "m"));
    }
  });

  it.each(LAUNCH_SURFACES.map((s) => [s.type, s] as const))(
    "%s reads only properties its Args declare",
    (token, surface) => {
      const declared = argsPropertiesOf(token);
      const read = [
        ...surface.imageProperties.map((p) => p.path.split(/[.[]/)[0]),
        ...surface.imageProperties.flatMap((p) => (p.idOnlyWhen ? [p.idOnlyWhen.property] : [])),
        ...surface.userDataProperties,
        ...(surface.launchTemplate
          ? [surface.launchTemplate.idProperty, surface.launchTemplate.nameProperty].filter((p): p is string => !!p)
          : []),
        ...(surface.osFamily?.properties ?? []),
      ];
      for (const property of read) expect(declared, `${token} ${property}`).toContain(property);
    },
  );

  it("lists every row that takes its image from a node group among the Lingjun node types the hand-written specs cover", () => {
    const fromNodeGroup = LAUNCH_SURFACES.filter((s) => s.launchTemplate?.source?.type === T.nodeGroup).map(
      (s) => s.type,
    );
    expect(fromNodeGroup.sort()).toEqual([...LINGJUN_NODE_TYPES].sort());
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
