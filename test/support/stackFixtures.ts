/**
 * The one dialect of stack resources for every layer. Unit specs run these descriptions through the in-process runtime
 * (policyRuntime.ts), protocol specs send the same descriptions to the spawned pack (tools/engine): both take the
 * engine's resource description (tools/engine/requests.ts `StackResourceInput`: links as URNs or as the resources
 * themselves) and assign URNs the engine's way. Two shapes: at preview computed outputs are unknown and resources link
 * through property dependencies; after deploy cloud IDs are known and resources link by ID.
 */
import type { ImageProperty, LaunchSurface } from "../../policies/src/launchSurfaces/launchSurfaces";
import { ResourceNaming, type ResourceInput, type StackResourceInput } from "../../tools/engine/requests";
import { unknown } from "../../tools/engine/sentinels";
import { HOTFIX, IMAGES } from "./contract";

export type { ResourceInput, StackResourceInput };

/**
 * Type tokens of the resources hand-written specs build (`__pulumiType` of the @pulumi/alicloud classes; checked
 * against the SDK in test/unit/launchSurfaces/launchSurfaces.spec.ts). Specs of every surface walk the launch-surface
 * table instead, so a new surface needs no entry here.
 */
export const T = {
  instance: "alicloud:ecs/instance:Instance",
  instanceSet: "alicloud:ecs/ecsInstanceSet:EcsInstanceSet",
  launchTemplate: "alicloud:ecs/launchTemplate:LaunchTemplate",
  ecsLaunchTemplate: "alicloud:ecs/ecsLaunchTemplate:EcsLaunchTemplate",
  scalingConfiguration: "alicloud:ess/scalingConfiguration:ScalingConfiguration",
  scalingGroup: "alicloud:ess/scalingGroup:ScalingGroup",
  autoProvisioningGroup: "alicloud:ecs/autoProvisioningGroup:AutoProvisioningGroup",
  nodePool: "alicloud:cs/nodePool:NodePool",
  kubernetes: "alicloud:cs/kubernetes:Kubernetes",
  nodeGroup: "alicloud:eflo/nodeGroup:NodeGroup",
  nodeGroupAttachment: "alicloud:eflo/nodeGroupAttachment:NodeGroupAttachment",
  node: "alicloud:eflo/node:Node",
  hyperNode: "alicloud:eflo/hyperNode:HyperNode",
  command: "alicloud:ecs/command:Command",
  invocation: "alicloud:ecs/ecsInvocation:EcsInvocation",
  bucket: "alicloud:oss/bucket:Bucket",
  vswitch: "alicloud:vpc/switch:Switch",
} as const;

/**
 * The Lingjun resources that take their image from the node group they name (`launchTemplate.source`), for the
 * hand-written specs of that link; launchSurfaces.spec.ts checks it is every such row of the table.
 */
export const LINGJUN_NODE_TYPES = [T.nodeGroupAttachment, T.node, T.hyperNode] as const;

/** A script that installs the hotfix with the advisory's own command. */
export const HOTFIX_SCRIPT = `#!/bin/bash\nset -e\n${HOTFIX.installCommand}\n`;
/** A script that neither installs the hotfix nor updates the kernel. */
export const UNRELATED_SCRIPT = "#!/bin/bash\nyum install -y nginx\nsystemctl enable --now nginx\n";

export const base64 = (text: string): string => Buffer.from(text, "utf8").toString("base64");

/** The stack and project the in-process runtime runs as (policyRuntime.ts), and so the URNs unit specs expect. */
export const UNIT_NAMING = new ResourceNaming("dev", "proj");

/** The URN the in-process runtime gives a resource (protocol specs ask the running pack: `pack().urnOf(r)`). */
export const urnFor = (r: ResourceInput): string => UNIT_NAMING.urnOf(r);

/** A resource as the engine sends it: inputs in Analyze, outputs in AnalyzeStack. */
export function resource(
  type: string,
  name: string,
  props: Record<string, unknown> = {},
  extra: Partial<StackResourceInput> = {},
): StackResourceInput {
  return { type, name, props, ...extra };
}

/** An ECS instance at preview: `id` unknown. */
export function previewInstance(
  name: string,
  imageId: unknown,
  props: Record<string, unknown> = {},
): StackResourceInput {
  return resource(T.instance, name, { id: unknown(), imageId, instanceType: "ecs.g7.large", ...props });
}

let deployedSeq = 0;
/** An ECS instance after deploy: a known cloud ID. */
export function deployedInstance(
  name: string,
  imageId: unknown,
  props: Record<string, unknown> = {},
): StackResourceInput {
  deployedSeq += 1;
  return resource(T.instance, name, {
    id: `i-harness${String(deployedSeq).padStart(6, "0")}`,
    imageId,
    instanceType: "ecs.g7.large",
    ...props,
  });
}

/** A Cloud Assistant command (content in base64, as the provider requires); its `id` is unknown until deployed. */
export function command(name: string, script: string, props: Record<string, unknown> = {}): StackResourceInput {
  return resource(T.command, name, {
    id: unknown(),
    name,
    type: "RunShellScript",
    commandContent: base64(script),
    timeout: 1800,
    ...props,
  });
}

/**
 * A Cloud Assistant invocation of `cmd` on `targets` at preview: the IDs are unknown, so the engine links them only
 * through property dependencies (`commandId`, `instanceIds`).
 */
export function previewInvocation(
  name: string,
  cmd: StackResourceInput,
  targets: readonly StackResourceInput[],
  props: Record<string, unknown> = {},
): StackResourceInput {
  return resource(
    T.invocation,
    name,
    { id: unknown(), commandId: unknown(), instanceIds: targets.map(() => unknown()), ...props },
    { dependencies: [cmd, ...targets], propertyDependencies: { commandId: [cmd], instanceIds: [...targets] } },
  );
}

/**
 * The invocation as state holds it after deploy: linked only by cloud IDs (no property dependencies), as when IDs
 * are pasted into config. `cmd` and `targets` are resources (their `id` is taken) or IDs.
 */
export function deployedInvocation(
  name: string,
  cmd: StackResourceInput | string,
  targets: readonly (StackResourceInput | string)[],
  props: Record<string, unknown> = {},
): StackResourceInput {
  const idOf = (r: StackResourceInput | string) =>
    typeof r === "string" ? r : String((r.props as { id: unknown }).id);
  const ids = { commandId: idOf(cmd), instanceIds: targets.map(idOf) };
  return resource(T.invocation, name, { id: `t-${name}`, ...ids, status: "Success", ...props });
}

/** Props with `value` at a launch-surface table path (`queues[].computeNodes[].imageId`: one element per list). */
export function propsAt(path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split(".");
  const key = head.replace("[]", "");
  const inner = rest.length === 0 ? value : propsAt(rest.join("."), value);
  return { [key]: head.endsWith("[]") ? [inner] : inner };
}

/** The concrete path the pack names for the first element of every list (`queues[0].computeNodes[0].imageId`). */
export const concretePath = (path: string): string => path.replace(/\[\]/g, "[0]");

/**
 * A resource of a launch surface whose image property `property` holds `image`, and nothing else that could decide
 * the verdict: an `idOnlyWhen` property gets the value that makes it an image ID, and an upgrade image gets a fixed
 * launch image beside it, so only the image under test speaks.
 */
export function surfaceResource(
  surface: LaunchSurface,
  property: ImageProperty,
  image: unknown,
  name = "target",
): StackResourceInput {
  const props = propsAt(property.path, image);
  if (property.idOnlyWhen) props[property.idOnlyWhen.property] = property.idOnlyWhen.value;
  if (property.role === "upgrade") props.imageId = IMAGES.fixed;
  return resource(surface.type, name, props);
}

/** Every (surface, image property) pair of the table whose property holds an image ID (not an image name). */
export function imageIdProperties(
  surfaces: readonly LaunchSurface[],
): [string, string, LaunchSurface, ImageProperty][] {
  return surfaces.flatMap((surface) =>
    surface.imageProperties
      .filter((p) => p.names !== "name")
      .map((property): [string, string, LaunchSurface, ImageProperty] => [
        surface.type,
        property.path,
        surface,
        property,
      ]),
  );
}

/**
 * What a surface with a `launchTemplate` reference takes its image from, as a resource of the stack at preview: a
 * launch template, or the `source` surface the row names (a node group), with `imageId`; and the resource linked to
 * it by property dependency on the reference, as the engine sends it at preview.
 */
export function templateAndConsumer(
  surface: LaunchSurface,
  imageId: unknown,
): [StackResourceInput, StackResourceInput] {
  const ref = surface.launchTemplate;
  if (!ref) throw new Error(`${surface.type} takes no launch template`);
  const template = ref.source
    ? resource(ref.source.type, "tpl", { id: unknown(), [ref.source.idOutput]: unknown(), imageId })
    : resource(T.ecsLaunchTemplate, "tpl", { id: unknown(), imageId, launchTemplateName: "tpl" });
  const links = { dependencies: [template], propertyDependencies: { [ref.idProperty]: [template] } };
  return [template, resource(surface.type, "target", { [ref.idProperty]: unknown() }, links)];
}
