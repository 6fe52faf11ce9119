// An ECS instance on aliyun_2_1903_x64_20G_alibase_20210325.vhd, the first Alibaba Cloud Linux 2.1903 base image
// past the OverlayFS dentry leak (kernel 4.19.91-23.al7) — but that kernel is inside two later crash advisories,
// 272587 (released inode in writeback) and 277447 (page-fault soft lockup).
// Expected: the preview succeeds with both advisories shown; with policy-config.strict.json (both set to mandatory)
// it is blocked.
import * as alicloud from "@pulumi/alicloud";

const zone = alicloud.getZonesOutput({ availableResourceCreation: "Instance" }).zones[0].id;

const vpc = new alicloud.vpc.Network("app-vpc", { vpcName: "app-vpc", cidrBlock: "10.0.0.0/16" });
const vswitch = new alicloud.vpc.Switch("app-vsw", { vpcId: vpc.id, cidrBlock: "10.0.1.0/24", zoneId: zone });
const securityGroup = new alicloud.ecs.SecurityGroup("app-sg", { vpcId: vpc.id });

new alicloud.ecs.Instance("web", {
  instanceName: "web",
  imageId: "aliyun_2_1903_x64_20G_alibase_20210325.vhd",
  instanceType: "ecs.g6.large",
  availabilityZone: zone,
  vswitchId: vswitch.id,
  securityGroups: [securityGroup.id],
  systemDiskCategory: "cloud_essd",
});
