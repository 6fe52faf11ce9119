/**
 * The companion stack: ECS instances on a pinned Alibaba Cloud Linux 2.1903 image (plus any existing
 * instance IDs, "brownfield") get the OverlayFS dentry-leak hotfix through OverlayfsHotfix.
 * Only `alicloud:region` must be set; every other setting has a default (see docs/companion.md).
 */
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_COMMAND_TIMEOUT_SECONDS, OverlayfsHotfix } from "./overlayfsHotfix";

/**
 * Default image: the last public AL2.1903 base image whose release notes state an affected kernel,
 * kernel-4.19.91-22.2.al7 (released 2021-01-20; AlibabaCloudDocs/ecs release notes). That kernel is in
 * the hotfix range, so the hotfix applies without a reboot.
 */
export const DEFAULT_IMAGE_ID = "aliyun_2_1903_x64_20G_alibase_20210120.vhd";

export interface CompanionSettings {
  /** Number of new instances to create (0: only fix `existingInstanceIds`). */
  instanceCount: number;
  imageId: string;
  instanceType: string;
  /** Zone for the vSwitch; when undefined, the first zone offering `instanceType` is looked up. */
  zoneId?: string;
  systemDiskCategory: string;
  vpcCidr: string;
  vswitchCidr: string;
  /** Instance IDs that exist already and need the hotfix too (brownfield). */
  existingInstanceIds: string[];
  allowReboot: boolean;
  commandTimeoutSeconds: number;
  /** Prefix for resource and cloud names. */
  namePrefix: string;
}

export const DEFAULT_SETTINGS: CompanionSettings = {
  instanceCount: 1,
  imageId: DEFAULT_IMAGE_ID,
  instanceType: "ecs.g6.large",
  zoneId: undefined,
  systemDiskCategory: "cloud_essd",
  vpcCidr: "172.16.0.0/16",
  vswitchCidr: "172.16.0.0/24",
  existingInstanceIds: [],
  allowReboot: false,
  commandTimeoutSeconds: DEFAULT_COMMAND_TIMEOUT_SECONDS,
  namePrefix: "alinux-hotfix",
};

const INSTANCE_ID = /^i-[0-9a-z]+$/;

/** Reads the project config (namespace = project name) and applies the defaults. */
export function readSettings(config: pulumi.Config = new pulumi.Config()): CompanionSettings {
  const existing = config.getObject<unknown>("existingInstanceIds") ?? DEFAULT_SETTINGS.existingInstanceIds;
  if (!Array.isArray(existing) || existing.some((id) => typeof id !== "string" || !INSTANCE_ID.test(id))) {
    throw new Error(
      `config existingInstanceIds must be a list of ECS instance IDs (i-...), got ${JSON.stringify(existing)}`,
    );
  }
  const instanceCount = config.getNumber("instanceCount", { min: 0 }) ?? DEFAULT_SETTINGS.instanceCount;
  if (!Number.isInteger(instanceCount))
    throw new Error(`config instanceCount must be a whole number, got ${instanceCount}`);
  return {
    instanceCount,
    imageId: config.get("imageId") ?? DEFAULT_SETTINGS.imageId,
    instanceType: config.get("instanceType") ?? DEFAULT_SETTINGS.instanceType,
    zoneId: config.get("zoneId") ?? DEFAULT_SETTINGS.zoneId,
    systemDiskCategory: config.get("systemDiskCategory") ?? DEFAULT_SETTINGS.systemDiskCategory,
    vpcCidr: config.get("vpcCidr") ?? DEFAULT_SETTINGS.vpcCidr,
    vswitchCidr: config.get("vswitchCidr") ?? DEFAULT_SETTINGS.vswitchCidr,
    existingInstanceIds: [...new Set(existing as string[])],
    allowReboot: config.getBoolean("allowReboot") ?? DEFAULT_SETTINGS.allowReboot,
    commandTimeoutSeconds:
      config.getNumber("commandTimeoutSeconds", { min: 60 }) ?? DEFAULT_SETTINGS.commandTimeoutSeconds,
    namePrefix: config.get("namePrefix") ?? DEFAULT_SETTINGS.namePrefix,
  };
}

export interface CompanionStack {
  instances: alicloud.ecs.Instance[];
  hotfix: OverlayfsHotfix;
}

export function defineCompanionStack(s: CompanionSettings): CompanionStack {
  const instances: alicloud.ecs.Instance[] = [];
  if (s.instanceCount > 0) {
    const tags = { "alinux-guard": "overlayfs-hotfix-companion" };
    const zoneId: pulumi.Input<string> =
      s.zoneId ??
      alicloud
        .getZonesOutput({ availableResourceCreation: "VSwitch", availableInstanceType: s.instanceType })
        .apply((z) => {
          if (z.ids.length === 0) throw new Error(`no zone in this region offers ${s.instanceType} and vSwitches`);
          return z.ids[0];
        });
    const vpc = new alicloud.vpc.Network(`${s.namePrefix}-vpc`, {
      vpcName: `${s.namePrefix}-vpc`,
      cidrBlock: s.vpcCidr,
      tags,
    });
    const vswitch = new alicloud.vpc.Switch(`${s.namePrefix}-vsw`, {
      vswitchName: `${s.namePrefix}-vsw`,
      vpcId: vpc.id,
      cidrBlock: s.vswitchCidr,
      zoneId,
      tags,
    });
    // No ingress rule: Cloud Assistant needs none, and nobody logs in.
    const sg = new alicloud.ecs.SecurityGroup(`${s.namePrefix}-sg`, {
      securityGroupName: `${s.namePrefix}-sg`,
      description: "alinux-guard companion: no inbound access",
      vpcId: vpc.id,
      tags,
    });
    for (let i = 0; i < s.instanceCount; i++) {
      instances.push(
        new alicloud.ecs.Instance(`${s.namePrefix}-${i}`, {
          instanceName: `${s.namePrefix}-${i}`,
          imageId: s.imageId,
          instanceType: s.instanceType,
          vswitchId: vswitch.id,
          securityGroups: [sg.id],
          systemDiskCategory: s.systemDiskCategory,
          internetMaxBandwidthOut: 0,
          tags,
        }),
      );
    }
  }
  const hotfix = new OverlayfsHotfix(`${s.namePrefix}-overlayfs`, {
    instances: [...instances, ...s.existingInstanceIds],
    allowReboot: s.allowReboot,
    commandTimeoutSeconds: s.commandTimeoutSeconds,
  });
  return { instances, hotfix };
}
