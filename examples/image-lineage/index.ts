// A custom image made inside the stack from an instance on the affected image
// aliyun_2_1903_x64_20G_alibase_20210120.vhd (kernel 4.19.91-22.2.al7), and an instance launched from that image.
// The new image has an `m-…` ID the catalog cannot know; the pack traces it to its source instance (at preview
// through property dependencies) and blocks both instances.
// Expected: `pulumi preview --policy-pack ../../policies` fails with the mandatory violation
// alinux2-overlayfs-dentry-leak on `builder` and on `app`.
import * as alicloud from "@pulumi/alicloud";

const zone = alicloud.getZonesOutput({ availableResourceCreation: "Instance" }).zones[0].id;
const image = alicloud.ecs.getImagesOutput({
  nameRegex: "^aliyun_2_1903_x64_20G_alibase_20210120\\.vhd$",
  owners: "system",
  mostRecent: true,
});

const vpc = new alicloud.vpc.Network("lineage-vpc", { vpcName: "lineage-vpc", cidrBlock: "10.0.0.0/16" });
const vswitch = new alicloud.vpc.Switch("lineage-vsw", { vpcId: vpc.id, cidrBlock: "10.0.1.0/24", zoneId: zone });
const securityGroup = new alicloud.ecs.SecurityGroup("lineage-sg", { vpcId: vpc.id });

const network = {
  instanceType: "ecs.g6.large",
  availabilityZone: zone,
  vswitchId: vswitch.id,
  securityGroups: [securityGroup.id],
};

// The build host: the affected public image, nothing applied.
const builder = new alicloud.ecs.Instance("builder", {
  instanceName: "builder",
  imageId: image.images[0].id,
  ...network,
});

// A golden image captured from the build host.
const golden = new alicloud.ecs.Image("golden", { instanceId: builder.id, imageName: "golden-web" });

// An application instance launched from the golden image: it boots the same affected kernel.
new alicloud.ecs.Instance("app", { instanceName: "app", imageId: golden.id, ...network });
