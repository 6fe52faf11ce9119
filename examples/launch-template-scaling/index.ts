// Two auto-scaling launch paths on the affected image aliyun_2_1903_x64_20G_alibase_20210120.vhd:
//   * a launch template used by a scaling group (the group takes its image from the template), and
//   * a scaling configuration of a second scaling group.
// Expected: the preview fails; the mandatory violation names the launch template, the scaling group that uses it
// and the scaling configuration.
import * as alicloud from "@pulumi/alicloud";

const AFFECTED_IMAGE = "aliyun_2_1903_x64_20G_alibase_20210120.vhd";
const zone = alicloud.getZonesOutput({ availableResourceCreation: "VSwitch" }).zones[0].id;

const vpc = new alicloud.vpc.Network("workers-vpc", { vpcName: "workers-vpc", cidrBlock: "10.1.0.0/16" });
const vswitch = new alicloud.vpc.Switch("workers-vsw", { vpcId: vpc.id, cidrBlock: "10.1.1.0/24", zoneId: zone });
const securityGroup = new alicloud.ecs.SecurityGroup("workers-sg", { vpcId: vpc.id });

const template = new alicloud.ecs.EcsLaunchTemplate("workers-template", {
  launchTemplateName: "workers",
  imageId: AFFECTED_IMAGE,
  instanceType: "ecs.g6.large",
  securityGroupId: securityGroup.id,
  vswitchId: vswitch.id,
  systemDisk: { category: "cloud_essd", size: 40 },
});

new alicloud.ess.ScalingGroup("workers-from-template", {
  scalingGroupName: "workers-from-template",
  minSize: 0,
  maxSize: 4,
  vswitchIds: [vswitch.id],
  launchTemplateId: template.id,
});

const batchGroup = new alicloud.ess.ScalingGroup("batch", {
  scalingGroupName: "batch",
  minSize: 0,
  maxSize: 4,
  vswitchIds: [vswitch.id],
});

new alicloud.ess.ScalingConfiguration("batch-config", {
  scalingGroupId: batchGroup.id,
  imageId: AFFECTED_IMAGE,
  instanceType: "ecs.c6.large",
  securityGroupId: securityGroup.id,
  systemDiskCategory: "cloud_essd",
  forceDelete: true,
  active: true,
});
