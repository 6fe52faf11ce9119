// STAND-IN data: the fixed answers the stand-in `alicloud` provider gives to data-source invokes.
// Nothing here comes from Alibaba Cloud at run time; the image facts follow the public Alibaba Cloud Linux 2
// release notes (see docs/e2e-and-demo.md). Real users get live answers from the real provider.

export interface StandInImage {
  readonly imageId: string;
  readonly name: string;
  readonly description: string;
  readonly osName: string;
  readonly osNameEn: string;
  readonly osType: "linux" | "windows";
  readonly platform: string;
  readonly architecture: "x86_64" | "arm64";
  readonly creationTime: string;
  /** "system" (public), "self" (custom), "others" (shared) or "marketplace", as in the DescribeImages API. */
  readonly imageOwnerAlias: "system" | "self" | "others" | "marketplace";
  readonly size: number;
}

/** Public and custom images the stand-in knows. getImages filters this list; it never returns anything else. */
export const images: readonly StandInImage[] = [
  {
    imageId: "aliyun_2_1903_x64_20G_alibase_20210120.vhd",
    name: "aliyun_2_1903_x64_20G_alibase_20210120.vhd",
    description:
      "Alibaba Cloud Linux 2.1903 LTS 64-bit, kernel 4.19.91-22.2.al7 (affected by the OverlayFS dentry leak)",
    osName: "Alibaba Cloud Linux  2.1903 LTS 64位",
    osNameEn: "Alibaba Cloud Linux  2.1903 LTS 64 bit",
    osType: "linux",
    platform: "Aliyun",
    architecture: "x86_64",
    creationTime: "2021-01-20T00:00:00Z",
    imageOwnerAlias: "system",
    size: 20,
  },
  {
    imageId: "aliyun_2_1903_x64_20G_alibase_20210325.vhd",
    name: "aliyun_2_1903_x64_20G_alibase_20210325.vhd",
    description:
      "Alibaba Cloud Linux 2.1903 LTS 64-bit, kernel 4.19.91-23.al7 (past the OverlayFS dentry leak, inside advisories 272587 and 277447)",
    osName: "Alibaba Cloud Linux  2.1903 LTS 64位",
    osNameEn: "Alibaba Cloud Linux  2.1903 LTS 64 bit",
    osType: "linux",
    platform: "Aliyun",
    architecture: "x86_64",
    creationTime: "2021-03-25T00:00:00Z",
    imageOwnerAlias: "system",
    size: 20,
  },
  {
    imageId: "aliyun_2_1903_x64_20G_alibase_20210630.vhd",
    name: "aliyun_2_1903_x64_20G_alibase_20210630.vhd",
    description: "Alibaba Cloud Linux 2.1903 LTS 64-bit, kernel 4.19.91-24.al7 (past every advisory the pack knows)",
    osName: "Alibaba Cloud Linux  2.1903 LTS 64位",
    osNameEn: "Alibaba Cloud Linux  2.1903 LTS 64 bit",
    osType: "linux",
    platform: "Aliyun",
    architecture: "x86_64",
    creationTime: "2021-06-30T00:00:00Z",
    imageOwnerAlias: "system",
    size: 20,
  },
  {
    imageId: "aliyun_3_x64_20G_alibase_20230727.vhd",
    name: "aliyun_3_x64_20G_alibase_20230727.vhd",
    description: "Alibaba Cloud Linux 3.2104 LTS 64-bit",
    osName: "Alibaba Cloud Linux  3.2104 LTS 64位",
    osNameEn: "Alibaba Cloud Linux  3.2104 LTS 64 bit",
    osType: "linux",
    platform: "Aliyun",
    architecture: "x86_64",
    creationTime: "2023-07-27T00:00:00Z",
    imageOwnerAlias: "system",
    size: 20,
  },
  {
    imageId: "ubuntu_22_04_x64_20G_alibase_20230907.vhd",
    name: "ubuntu_22_04_x64_20G_alibase_20230907.vhd",
    description: "Ubuntu 22.04 64-bit",
    osName: "Ubuntu  22.04 64位",
    osNameEn: "Ubuntu  22.04 64 bit",
    osType: "linux",
    platform: "Ubuntu",
    architecture: "x86_64",
    creationTime: "2023-09-07T00:00:00Z",
    imageOwnerAlias: "system",
    size: 20,
  },
  {
    imageId: "m-bp1standin0golden",
    name: "golden-al2-20210301",
    description: "STAND-IN custom image built from aliyun_2_1903_x64_20G_alibase_20210120.vhd",
    osName: "Alibaba Cloud Linux  2.1903 LTS 64位",
    osNameEn: "Alibaba Cloud Linux  2.1903 LTS 64 bit",
    osType: "linux",
    platform: "Aliyun",
    architecture: "x86_64",
    creationTime: "2021-03-01T00:00:00Z",
    imageOwnerAlias: "self",
    size: 40,
  },
];

export interface StandInZone {
  readonly id: string;
  readonly localName: string;
  readonly availableInstanceTypes: readonly string[];
  readonly availableDiskCategories: readonly string[];
}

/** Zones of the stand-in region (the region itself is not checked). */
export const zones: readonly StandInZone[] = [
  {
    id: "cn-hangzhou-h",
    localName: "Hangzhou Zone H",
    availableInstanceTypes: ["ecs.g6.large", "ecs.c6.large", "ecs.g7.large"],
    availableDiskCategories: ["cloud_efficiency", "cloud_essd"],
  },
  {
    id: "cn-hangzhou-i",
    localName: "Hangzhou Zone I",
    availableInstanceTypes: ["ecs.g6.large", "ecs.g7.large"],
    availableDiskCategories: ["cloud_essd"],
  },
];

export interface StandInInstanceType {
  readonly id: string;
  readonly family: string;
  readonly cpuCoreCount: number;
  readonly memorySize: number;
}

export const instanceTypes: readonly StandInInstanceType[] = [
  { id: "ecs.c6.large", family: "ecs.c6", cpuCoreCount: 2, memorySize: 4 },
  { id: "ecs.g6.large", family: "ecs.g6", cpuCoreCount: 2, memorySize: 8 },
  { id: "ecs.g7.large", family: "ecs.g7", cpuCoreCount: 2, memorySize: 8 },
];
