/** Pulumi type tokens of the resources the specs describe (`__pulumiType` of the @pulumi/alicloud classes). */
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
  command: "alicloud:ecs/command:Command",
  invocation: "alicloud:ecs/ecsInvocation:EcsInvocation",
  bucket: "alicloud:oss/bucket:Bucket",
  vswitch: "alicloud:vpc/switch:Switch",
} as const;
