// An ECS instance on aliyun_2_1903_x64_20G_alibase_20210120.vhd, the last Alibaba Cloud Linux 2.1903 base image
// with the OverlayFS dentry-leak kernel (4.19.91-22.2.al7), and no hotfix at provisioning.
// Expected: `pulumi preview --policy-pack ../../policies` fails with the mandatory violation
// alinux2-overlayfs-dentry-leak.
import * as alicloud from "@pulumi/alicloud";

const zone = alicloud.getZonesOutput({ availableResourceCreation: "Instance" }).zones[0].id;
const image = alicloud.ecs.getImagesOutput({
  nameRegex: "^aliyun_2_1903_x64_20G_alibase_20210120\\.vhd$",
  owners: "system",
  mostRecent: true,
});

const vpc = new alicloud.vpc.Network("app-vpc", { vpcName: "app-vpc", cidrBlock: "10.0.0.0/16" });
const vswitch = new alicloud.vpc.Switch("app-vsw", { vpcId: vpc.id, cidrBlock: "10.0.1.0/24", zoneId: zone });
const securityGroup = new alicloud.ecs.SecurityGroup("app-sg", { vpcId: vpc.id });

export const instanceImage = image.images[0].id;

new alicloud.ecs.Instance("web", {
  instanceName: "web",
  imageId: instanceImage,
  instanceType: "ecs.g6.large",
  availabilityZone: zone,
  vswitchId: vswitch.id,
  securityGroups: [securityGroup.id],
  systemDiskCategory: "cloud_essd",
});
