// An ECS instance on a custom image (m-…), whose ID says nothing about its kernel. The image was built from an
// affected Alibaba Cloud Linux 2.1903 image; ./policy-config.json declares its kernel under `imageKernels`.
// Expected: with --policy-pack-config policy-config.json the preview fails (mandatory violation); without it the
// pack cannot know the kernel and only warns (advisory alinux-image-kernel-unknown).
import * as alicloud from "@pulumi/alicloud";

const zone = alicloud.getZonesOutput({ availableResourceCreation: "Instance" }).zones[0].id;
const golden = alicloud.ecs.getImagesOutput({ owners: "self", nameRegex: "^golden-al2-", mostRecent: true });

const vpc = new alicloud.vpc.Network("app-vpc", { vpcName: "app-vpc", cidrBlock: "10.2.0.0/16" });
const vswitch = new alicloud.vpc.Switch("app-vsw", { vpcId: vpc.id, cidrBlock: "10.2.1.0/24", zoneId: zone });
const securityGroup = new alicloud.ecs.SecurityGroup("app-sg", { vpcId: vpc.id });

export const goldenImage = golden.images[0].id;

new alicloud.ecs.Instance("api", {
  instanceName: "api",
  imageId: goldenImage,
  instanceType: "ecs.g6.large",
  availabilityZone: zone,
  vswitchId: vswitch.id,
  securityGroups: [securityGroup.id],
  systemDiskCategory: "cloud_essd",
});
