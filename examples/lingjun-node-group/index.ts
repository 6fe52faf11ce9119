// A Lingjun (eflo) node group on aliyun_2_1903_x64_20G_alibase_20210120.vhd, the last Alibaba Cloud Linux 2.1903 base
// image with the OverlayFS dentry-leak kernel (4.19.91-22.2.al7), and two nodes added to it by
// eflo.NodeGroupAttachment: a node is installed with its node group's image, so both launch the affected kernel.
//   * The node group installs the hotfix in its own user data (the companion's script): the group itself passes.
//   * "gpu-node-a" sets its own user data with the same hotfix script: it passes.
//   * "gpu-node-b" sets none. The group's user data is not known to run on a node attached later, so the pack does not
//     count it for the node (fail closed).
// Expected: the preview fails; the mandatory violation names gpu-node-b only, "through node group 'gpu-group'".
import * as alicloud from "@pulumi/alicloud";
import { hotfixUserData } from "../../companion/hotfixDelivery";

const AFFECTED_IMAGE = "aliyun_2_1903_x64_20G_alibase_20210120.vhd";
// The companion's hotfix script, Base64-encoded as eflo user data is in the provider's examples.
const hotfix = hotfixUserData().base64;
const zone = alicloud.getZonesOutput({ availableResourceCreation: "VSwitch" }).zones[0].id;

const vpc = new alicloud.vpc.Network("gpu-vpc", { vpcName: "gpu-vpc", cidrBlock: "10.2.0.0/16" });
const vswitch = new alicloud.vpc.Switch("gpu-vsw", { vpcId: vpc.id, cidrBlock: "10.2.1.0/24", zoneId: zone });

const cluster = new alicloud.eflo.Cluster("gpu-cluster", {
  clusterName: "gpu-cluster",
  clusterType: "Lite",
  hpnZone: "B1",
});

const group = new alicloud.eflo.NodeGroup("gpu-group", {
  clusterId: cluster.id,
  nodeGroupName: "gpu-group",
  machineType: "efg1.nvga1",
  az: zone,
  imageId: AFFECTED_IMAGE,
  userData: hotfix,
});

new alicloud.eflo.NodeGroupAttachment("gpu-node-a", {
  clusterId: cluster.id,
  nodeGroupId: group.nodeGroupId,
  nodeId: "e01-cn-example-a",
  hostname: "gpu-node-a",
  vpcId: vpc.id,
  vswitchId: vswitch.id,
  userData: hotfix,
});

new alicloud.eflo.NodeGroupAttachment("gpu-node-b", {
  clusterId: cluster.id,
  nodeGroupId: group.nodeGroupId,
  nodeId: "e01-cn-example-b",
  hostname: "gpu-node-b",
  vpcId: vpc.id,
  vswitchId: vswitch.id,
});
