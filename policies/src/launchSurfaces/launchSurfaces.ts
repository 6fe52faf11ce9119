/**
 * Every Pulumi resource type (`@pulumi/alicloud` 3.108.0) that launches ECS instances from an image, and where
 * each keeps what the pack needs (alinux2-facts.md §5). To cover a new launch surface, add one entry here.
 */
export interface LaunchSurface {
  /** Pulumi type token (`__pulumiType` of the `@pulumi/alicloud` class). */
  readonly type: string;
  /** What a person calls it, for messages. */
  readonly label: string;
  /**
   * Every property that names an image the resource launches (or builds) from. Each is read on its own, so a
   * resource with several (a manager node and queues of compute nodes) gets a verdict per image.
   */
  readonly imageProperties: readonly ImageProperty[];
  /** Top-level properties whose text runs on first boot (plain or base64). */
  readonly userDataProperties: readonly string[];
  /** Properties naming a launch template the image may come from (when no launch image property is set). */
  readonly launchTemplate?: LaunchTemplateReference;
  /**
   * Property choosing an OS family without an image ID (ACK): the values that mean Alibaba Cloud Linux 2, and the
   * values that may (the documentation does not say which major version they are).
   */
  readonly osFamily?: {
    readonly properties: readonly string[];
    readonly alinux2Values: readonly string[];
    readonly maybeAlinux2Values?: readonly string[];
  };
  /** A launch template other resources can take their image and user data from. */
  readonly isLaunchTemplate: boolean;
  /** Cloud Assistant invocations can target the instances it creates (by instance ID). */
  readonly invocationTarget: boolean;
  /** Output property listing the IDs of the instances it created (instance sets). */
  readonly instanceIdsOutput?: string;
}

/**
 * Where a resource names the resource it takes its image from. By default a launch template (any surface with
 * `isLaunchTemplate`), whose user data also counts when the resource sets none.
 */
export interface LaunchTemplateReference {
  readonly idProperty: string;
  readonly nameProperty?: string;
  /**
   * The image comes from another launch surface instead (a Lingjun node installed with its node group's image):
   * `type` of that surface, `label` for messages, and `idOutput`, the output holding the ID the reference names
   * (its own `id` is composite). Only its image is taken: its user data is not known to run on the resource's
   * instances, so it is never counted as a mitigation (fail closed).
   */
  readonly source?: { readonly type: string; readonly label: string; readonly idOutput: string };
}

/** What messages call the resource a reference names. */
export const templateLabelOf = (ref: LaunchTemplateReference): string => ref.source?.label ?? "launch template";

/**
 * Where a resource names an image. `path` is a property path: dots for nested objects and `[]` for every element of
 * a list (`queues[].computeNodes[].imageId`); the nesting is part of the table, so readers never special-case it.
 */
export interface ImageProperty {
  readonly path: string;
  /**
   * What the value is: an image ID (default), or an image name (ESS `imageName`: a public image's name is its ID,
   * a custom image's name is free text that says nothing about its kernel).
   */
  readonly names?: "id" | "name";
  /**
   * The value is an image ID only while this property has this value (`baseImageType` `IMAGE`); otherwise it names
   * something the pack cannot resolve (an image family), so its kernel cannot be read.
   */
  readonly idOnlyWhen?: { readonly property: string; readonly value: string; readonly otherwise: string };
  /**
   * "launch" (default): the image the resource starts instances from now; the OS-family and launch-template
   * fallbacks apply only when no launch image is set. "upgrade": an image the resource moves to later (ACK
   * `upgradePolicy.imageId`), checked as well but never a reason to skip the fallbacks.
   */
  readonly role?: "launch" | "upgrade";
}

const ID = (path: string): ImageProperty => ({ path });

/** Lingjun nodes take their image from the node group they join (its `nodeGroupId` output; its `id` is composite). */
const LINGJUN_NODE_GROUP: LaunchTemplateReference = {
  idProperty: "nodeGroupId",
  source: { type: "alicloud:eflo/nodeGroup:NodeGroup", label: "node group", idOutput: "nodeGroupId" },
};

const ACK_ALINUX2_IMAGE_TYPES = ["AliyunLinux", "AliyunLinuxUEFI"];

export const LAUNCH_SURFACES: readonly LaunchSurface[] = [
  {
    type: "alicloud:ecs/instance:Instance",
    label: "ECS instance",
    imageProperties: [ID("imageId")],
    userDataProperties: ["userData"],
    launchTemplate: { idProperty: "launchTemplateId", nameProperty: "launchTemplateName" },
    isLaunchTemplate: false,
    invocationTarget: true,
  },
  {
    type: "alicloud:ecs/ecsInstanceSet:EcsInstanceSet",
    label: "ECS instance set",
    imageProperties: [ID("imageId")],
    userDataProperties: [],
    launchTemplate: { idProperty: "launchTemplateId", nameProperty: "launchTemplateName" },
    isLaunchTemplate: false,
    invocationTarget: true,
    instanceIdsOutput: "instanceIds",
  },
  {
    type: "alicloud:ecs/launchTemplate:LaunchTemplate",
    label: "launch template",
    imageProperties: [ID("imageId")],
    // `userdata` is the spelling deprecated in provider 1.120.0, still accepted.
    userDataProperties: ["userData", "userdata"],
    isLaunchTemplate: true,
    invocationTarget: false,
  },
  {
    type: "alicloud:ecs/ecsLaunchTemplate:EcsLaunchTemplate",
    label: "launch template",
    imageProperties: [ID("imageId")],
    userDataProperties: ["userData", "userdata"],
    isLaunchTemplate: true,
    invocationTarget: false,
  },
  {
    type: "alicloud:ess/scalingConfiguration:ScalingConfiguration",
    label: "scaling configuration",
    imageProperties: [ID("imageId"), { path: "imageName", names: "name" }],
    userDataProperties: ["userData"],
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:ess/scalingGroup:ScalingGroup",
    label: "scaling group",
    imageProperties: [],
    userDataProperties: [],
    launchTemplate: { idProperty: "launchTemplateId" },
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:ecs/autoProvisioningGroup:AutoProvisioningGroup",
    label: "auto provisioning group",
    imageProperties: [],
    userDataProperties: [],
    launchTemplate: { idProperty: "launchTemplateId" },
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:cs/nodePool:NodePool",
    label: "ACK node pool",
    imageProperties: [ID("imageId"), { path: "upgradePolicy.imageId", role: "upgrade" }],
    userDataProperties: ["userData", "preUserData"],
    // `platform` is the deprecated spelling of `imageType` (provider 1.145.0).
    // AliyunLinuxSecurity: "Alinux security-hardened image", major version not stated (cs/nodePool.d.ts).
    osFamily: {
      properties: ["imageType", "platform"],
      alinux2Values: ACK_ALINUX2_IMAGE_TYPES,
      maybeAlinux2Values: ["AliyunLinuxSecurity"],
    },
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:cs/kubernetes:Kubernetes",
    label: "ACK dedicated cluster",
    imageProperties: [ID("imageId")],
    userDataProperties: [],
    // Provider default is AliyunLinux3 (cs/kubernetes.d.ts), so an unset platform is not Alinux 2.
    // QbootAliyunLinux: the quick-boot Alinux 2 of the older ACK API (alinux2-facts.md §5).
    osFamily: { properties: ["platform"], alinux2Values: ["AliyunLinux", "QbootAliyunLinux"] },
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:ehpc/cluster:Cluster",
    label: "E-HPC cluster",
    imageProperties: [ID("imageId")],
    userDataProperties: [],
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:ehpc/clusterV2:ClusterV2",
    label: "E-HPC cluster",
    imageProperties: [ID("manager.managerNode.imageId"), ID("queues[].computeNodes[].imageId")],
    userDataProperties: [],
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:ehpc/queue:Queue",
    label: "E-HPC queue",
    imageProperties: [ID("computeNodes[].imageId")],
    userDataProperties: [],
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:rds/custom:Custom",
    label: "RDS Custom instance",
    imageProperties: [ID("imageId")],
    userDataProperties: [],
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:eflo/nodeGroup:NodeGroup",
    label: "Lingjun node group",
    imageProperties: [ID("imageId")],
    userDataProperties: ["userData"],
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:eflo/cluster:Cluster",
    label: "Lingjun cluster",
    // Each node group has its own `userData`; the pack reads top-level user data only, so none counts here.
    imageProperties: [ID("nodeGroups[].imageId")],
    userDataProperties: [],
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:eflo/nodeGroupAttachment:NodeGroupAttachment",
    label: "Lingjun node",
    // ExtendCluster adds the node to the node group and installs the group's image on it; the attachment has no image
    // of its own, only its user data (eflo/nodeGroupAttachment.d.ts; `imageId`: "the default image of the node group",
    // UpdateNodeGroup). The group's `id` is `<cluster_id>:<node_group_id>`, so the reference matches `nodeGroupId`.
    // Without `nodeGroupId` it names no group and has no image the pack can see: no verdict.
    imageProperties: [],
    userDataProperties: ["userData"],
    launchTemplate: LINGJUN_NODE_GROUP,
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:eflo/node:Node",
    label: "Lingjun node",
    // A Lingjun node bought and, with `nodeGroupId`, added to that group by ExtendCluster with the node's `userData`
    // and no image (terraform-provider-alicloud resource_alicloud_eflo_node.go, v1.265.0 to v1.289.0: at create for
    // PayAsYouGo, on `status` "Using" for Subscription; ExtendCluster has no image parameter, help.aliyun.com/zh/pai/
    // developer-reference/api-eflo-controller-2022-12-15-extendcluster). INFERRED, as for the attachment: it is
    // installed with the group's default image. Fail closed: a Subscription node naming a group is judged even while
    // not "Using". Without `nodeGroupId` it names no group and has no image the pack can see: no verdict, like the
    // attachment.
    imageProperties: [],
    userDataProperties: ["userData"],
    launchTemplate: LINGJUN_NODE_GROUP,
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:eflo/hyperNode:HyperNode",
    label: "Lingjun hyper node",
    // A hyper computing node: with `nodeGroupId` the provider calls ExtendCluster (NodeGroups[].HyperNodes[]) with its
    // `userData` ("custom user data for the sub computing node", eflo/hyperNode.d.ts) and no image
    // (resource_alicloud_eflo_hyper_node.go, v1.267.0 to v1.289.0; ExtendCluster as above). INFERRED, as for the
    // attachment: its sub computing nodes are installed with the group's default image. Without `nodeGroupId`: no
    // image the pack can see, no verdict, like the attachment.
    imageProperties: [],
    userDataProperties: ["userData"],
    launchTemplate: LINGJUN_NODE_GROUP,
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:cddc/dedicatedPropreHost:DedicatedPropreHost",
    label: "dedicated cluster host",
    imageProperties: [ID("imageId")],
    userDataProperties: ["userData"],
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:ecs/ecsImagePipeline:EcsImagePipeline",
    label: "image pipeline",
    // The pipeline boots its base image to build custom images from it (ecs/ecsImagePipeline.d.ts).
    imageProperties: [
      { path: "baseImage", idOnlyWhen: { property: "baseImageType", value: "IMAGE", otherwise: "an image family" } },
    ],
    userDataProperties: [],
    isLaunchTemplate: false,
    invocationTarget: false,
  },
];

const BY_TYPE = new Map(LAUNCH_SURFACES.map((surface) => [surface.type, surface]));

export function launchSurfaceOf(type: string): LaunchSurface | undefined {
  return BY_TYPE.get(type);
}

/** Resources that make a custom image from a source the stack may hold (alinux2-facts.md §5; ecs/image.d.ts, ecs/imageCopy.d.ts). */
export const ECS_IMAGE_TYPE = "alicloud:ecs/image:Image";
export const ECS_IMAGE_COPY_TYPE = "alicloud:ecs/imageCopy:ImageCopy";
export const ECS_SNAPSHOT_TYPES: readonly string[] = [
  "alicloud:ecs/snapshot:Snapshot",
  "alicloud:ecs/ecsSnapshot:EcsSnapshot",
];

export const ECS_COMMAND_TYPE = "alicloud:ecs/command:Command";
export const ECS_INVOCATION_TYPE = "alicloud:ecs/ecsInvocation:EcsInvocation";
