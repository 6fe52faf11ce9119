// An ECS instance on the affected image aliyun_2_1903_x64_20G_alibase_20210120.vhd that the team cannot move yet.
// ./policy-config.json exempts it by logical name, with a reason and an expiry date.
// Expected: with --policy-pack-config policy-config.json the preview succeeds and the pack reports the exemption;
// without the config (or once the exemption has expired) the preview fails like affected-instance.
import * as alicloud from "@pulumi/alicloud";

const zone = alicloud.getZonesOutput({ availableResourceCreation: "Instance" }).zones[0].id;

const vpc = new alicloud.vpc.Network("legacy-vpc", { vpcName: "legacy-vpc", cidrBlock: "10.3.0.0/16" });
const vswitch = new alicloud.vpc.Switch("legacy-vsw", { vpcId: vpc.id, cidrBlock: "10.3.1.0/24", zoneId: zone });
const securityGroup = new alicloud.ecs.SecurityGroup("legacy-sg", { vpcId: vpc.id });

new alicloud.ecs.Instance("legacy-batch", {
  instanceName: "legacy-batch",
  imageId: "aliyun_2_1903_x64_20G_alibase_20210120.vhd",
  instanceType: "ecs.g6.large",
  availabilityZone: zone,
  vswitchId: vswitch.id,
  securityGroups: [securityGroup.id],
  systemDiskCategory: "cloud_essd",
});
