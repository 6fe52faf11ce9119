/**
 * Every Pulumi resource type (`@pulumi/alicloud` 3.108.0) that launches ECS instances from an image, and where
 * each keeps what the pack needs (alinux2-facts.md §5). To cover a new launch surface, add one entry here.
 */
export interface LaunchSurface {
  /** Pulumi type token (`__pulumiType` of the `@pulumi/alicloud` class). */
  readonly type: string;
  /** What a person calls it, for messages. */
  readonly label: string;
  /** Properties naming the image, in order of precedence. */
  readonly imageProperties: readonly string[];
  /** Properties whose text runs on first boot (plain or base64). */
  readonly userDataProperties: readonly string[];
  /** Properties naming a launch template the image may come from (when no image property is set). */
  readonly launchTemplate?: { readonly idProperty: string; readonly nameProperty?: string };
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

const ACK_ALINUX2_IMAGE_TYPES = ["AliyunLinux", "AliyunLinuxUEFI"];

export const LAUNCH_SURFACES: readonly LaunchSurface[] = [
  {
    type: "alicloud:ecs/instance:Instance",
    label: "ECS instance",
    imageProperties: ["imageId"],
    userDataProperties: ["userData"],
    launchTemplate: { idProperty: "launchTemplateId", nameProperty: "launchTemplateName" },
    isLaunchTemplate: false,
    invocationTarget: true,
  },
  {
    type: "alicloud:ecs/ecsInstanceSet:EcsInstanceSet",
    label: "ECS instance set",
    imageProperties: ["imageId"],
    userDataProperties: [],
    launchTemplate: { idProperty: "launchTemplateId", nameProperty: "launchTemplateName" },
    isLaunchTemplate: false,
    invocationTarget: true,
    instanceIdsOutput: "instanceIds",
  },
  {
    type: "alicloud:ecs/launchTemplate:LaunchTemplate",
    label: "launch template",
    imageProperties: ["imageId"],
    // `userdata` is the spelling deprecated in provider 1.120.0, still accepted.
    userDataProperties: ["userData", "userdata"],
    isLaunchTemplate: true,
    invocationTarget: false,
  },
  {
    type: "alicloud:ecs/ecsLaunchTemplate:EcsLaunchTemplate",
    label: "launch template",
    imageProperties: ["imageId"],
    userDataProperties: ["userData", "userdata"],
    isLaunchTemplate: true,
    invocationTarget: false,
  },
  {
    type: "alicloud:ess/scalingConfiguration:ScalingConfiguration",
    label: "scaling configuration",
    imageProperties: ["imageId", "imageName"],
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
    imageProperties: ["imageId"],
    userDataProperties: ["userData", "preUserData"],
    // `platform` is the deprecated spelling of `imageType` (provider 1.145.0).
    // AliyunLinuxSecurity: "Alinux security-hardened image", major version not stated (cs/nodePool.d.ts).
    osFamily: { properties: ["imageType", "platform"], alinux2Values: ACK_ALINUX2_IMAGE_TYPES, maybeAlinux2Values: ["AliyunLinuxSecurity"] },
    isLaunchTemplate: false,
    invocationTarget: false,
  },
  {
    type: "alicloud:cs/kubernetes:Kubernetes",
    label: "ACK dedicated cluster",
    imageProperties: ["imageId"],
    userDataProperties: [],
    // Provider default is AliyunLinux3 (cs/kubernetes.d.ts), so an unset platform is not Alinux 2.
    // QbootAliyunLinux: the quick-boot Alinux 2 of the older ACK API (alinux2-facts.md §5).
    osFamily: { properties: ["platform"], alinux2Values: ["AliyunLinux", "QbootAliyunLinux"] },
    isLaunchTemplate: false,
    invocationTarget: false,
  },
];

const BY_TYPE = new Map(LAUNCH_SURFACES.map((surface) => [surface.type, surface]));

export function launchSurfaceOf(type: string): LaunchSurface | undefined {
  return BY_TYPE.get(type);
}

export const ECS_COMMAND_TYPE = "alicloud:ecs/command:Command";
export const ECS_INVOCATION_TYPE = "alicloud:ecs/ecsInvocation:EcsInvocation";
