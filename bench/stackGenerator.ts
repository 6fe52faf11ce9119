// Deterministic stacks for the benchmark, shaped like a `pulumi preview` of a real Alibaba Cloud estate:
// launch surfaces on affected / fixed / custom / other-OS images, launch templates with scaling groups,
// scaling configurations, node pools, Cloud Assistant commands and invocations linked by property
// dependencies (IDs unknown at preview), plus plain network resources, all under a few components.
// No image ID is unknown, so the stack policy has to examine every resource (an unknown image would end it early).
import type { ResourceInput, StackResourceInput } from "../tools/engine/requests";
import { unknown } from "../tools/engine/sentinels";

const HOTFIX = "#!/bin/bash\nyum install -y kernel-hotfix-4375449-`uname -r | awk -F\"-\" '{print $NF}'`\n";
const OTHER = "#!/bin/bash\nyum install -y nginx && systemctl enable --now nginx\n";
const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64");

const ALL_IMAGES = [
  "aliyun_2_1903_x64_20G_alibase_20210120.vhd", // affected, hotfixable
  "aliyun_2_1903_x64_20G_alibase_20210630.vhd", // fixed (past every advisory)
  "aliyun_2_1903_x64_20G_alibase_20210325.vhd", // fixed for OverlayFS, inside the two later advisories
  "aliyun_2_1903_x64_20G_alibase_20200324.vhd", // affected, below hotfix range
  "aliyun-2.1903-x64-20G-alibase-20190327.vhd", // affected, 2019 scheme
  "aliyun_3_x64_20G_alibase_20240819.vhd", // other OS
  "ubuntu_22_04_x64_20G_alibase_20240130.vhd", // other OS
  "m-bp1benchcustom0001", // custom (kernel declared in config)
  "m-bp1benchcustom0002", // custom (undeclared)
];
const COMPLIANT_IMAGES = [
  "aliyun_2_1903_x64_20G_alibase_20210630.vhd",
  "aliyun_3_x64_20G_alibase_20240819.vhd",
  "ubuntu_22_04_x64_20G_alibase_20240130.vhd",
  "centos_7_9_x64_20G_alibase_20240628.vhd",
];

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedStack {
  resources: StackResourceInput[];
  counts: Record<string, number>;
}

/**
 * About `size` resources (exactly `size`, plus the root stack and provider the harness adds). Each block of 20:
 * 8 instances, 1 launch template + 1 scaling group on it, 1 scaling configuration, 1 node pool, 2 commands,
 * 2 invocations (one installs the hotfix), 1 vswitch, 1 security group, 1 component parent, 1 OSS bucket.
 */
export function generateStack(size: number, seed = 42, mix: "mixed" | "compliant" = "mixed"): GeneratedStack {
  const rand = rng(seed);
  // "compliant": the same resources and links, but only fixed / other-OS images, so nothing is reported and the
  // run measures the analysis alone (no violation messages to encode and send).
  const IMAGES = mix === "mixed" ? ALL_IMAGES : COMPLIANT_IMAGES;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const resources: StackResourceInput[] = [];
  const counts: Record<string, number> = {};
  const add = (r: StackResourceInput) => {
    if (resources.length >= size) return r;
    resources.push(r);
    const short = r.type.split(":").pop() ?? r.type;
    counts[short] = (counts[short] ?? 0) + 1;
    return r;
  };
  for (let block = 0; resources.length < size; block++) {
    const comp = add({ type: "bench:index:Fleet", name: `fleet-${block}`, props: {}, provider: null });
    const vsw = add({
      type: "alicloud:vpc/switch:Switch",
      name: `vsw-${block}`,
      parent: comp,
      props: { id: unknown(), vpcId: unknown(), cidrBlock: `10.${block % 250}.0.0/24`, zoneId: "cn-hangzhou-h" },
    });
    const sg = add({
      type: "alicloud:ecs/securityGroup:SecurityGroup",
      name: `sg-${block}`,
      parent: comp,
      props: { id: unknown(), vpcId: unknown(), name: `sg-${block}` },
    });
    const net = { vswitchId: unknown(), securityGroups: [unknown()] };
    const instances: StackResourceInput[] = [];
    for (let i = 0; i < 8; i++) {
      const imageId = pick(IMAGES);
      const withUserData = rand() < 0.2;
      instances.push(
        add({
          type: "alicloud:ecs/instance:Instance",
          name: `web-${block}-${i}`,
          parent: comp,
          props: {
            id: unknown(),
            imageId,
            instanceType: "ecs.g7.large",
            ...net,
            tags: { team: `team-${block % 7}`, env: "prod" },
            ...(withUserData ? { userData: b64(rand() < 0.5 ? HOTFIX : OTHER) } : {}),
          },
          dependencies: [vsw, sg],
          propertyDependencies: { vswitchId: [vsw], securityGroups: [sg] },
        }),
      );
    }
    const lt = add({
      type: "alicloud:ecs/ecsLaunchTemplate:EcsLaunchTemplate",
      name: `lt-${block}`,
      parent: comp,
      props: { id: unknown(), imageId: pick(IMAGES), launchTemplateName: `lt-${block}`, ...net },
      dependencies: [vsw, sg],
      propertyDependencies: { vswitchId: [vsw], securityGroups: [sg] },
    });
    add({
      type: "alicloud:ess/scalingGroup:ScalingGroup",
      name: `asg-${block}`,
      parent: comp,
      props: { id: unknown(), launchTemplateId: unknown(), minSize: 1, maxSize: 10, vswitchIds: [unknown()] },
      dependencies: [lt, vsw],
      propertyDependencies: { launchTemplateId: [lt], vswitchIds: [vsw] },
    });
    add({
      type: "alicloud:ess/scalingConfiguration:ScalingConfiguration",
      name: `asc-${block}`,
      parent: comp,
      props: {
        id: unknown(),
        scalingGroupId: unknown(),
        imageId: pick(IMAGES),
        instanceType: "ecs.g7.large",
        securityGroupId: unknown(),
        userData: rand() < 0.3 ? HOTFIX : "",
      },
    });
    add({
      type: "alicloud:cs/nodePool:NodePool",
      name: `np-${block}`,
      parent: comp,
      props: {
        id: unknown(),
        clusterId: unknown(),
        imageType: rand() < 0.5 ? "AliyunLinux" : "AliyunLinux3",
        instanceTypes: ["ecs.g7.large"],
      },
    });
    const hotfixCmd = add({
      type: "alicloud:ecs/command:Command",
      name: `hotfix-${block}`,
      parent: comp,
      props: { id: unknown(), name: `hotfix-${block}`, type: "RunShellScript", commandContent: b64(HOTFIX) },
    });
    const otherCmd = add({
      type: "alicloud:ecs/command:Command",
      name: `nginx-${block}`,
      parent: comp,
      props: { id: unknown(), name: `nginx-${block}`, type: "RunShellScript", commandContent: b64(OTHER) },
    });
    const half = instances.slice(0, 4);
    const rest = instances.slice(4);
    for (const [name, cmd, targets] of [
      [`apply-hotfix-${block}`, hotfixCmd, half],
      [`apply-nginx-${block}`, otherCmd, rest],
    ] as const) {
      add({
        type: "alicloud:ecs/ecsInvocation:EcsInvocation",
        name,
        parent: comp,
        props: { id: unknown(), commandId: unknown(), instanceIds: targets.map(() => unknown()), repeatMode: "Once" },
        dependencies: [cmd, ...targets],
        propertyDependencies: { commandId: [cmd], instanceIds: [...targets] },
      });
    }
    add({
      type: "alicloud:oss/bucket:Bucket",
      name: `logs-${block}`,
      parent: comp,
      props: { id: unknown(), bucket: `logs-${block}`, acl: "private" },
    });
  }
  return { resources, counts };
}

/** Resource inputs for the Analyze throughput run: registrations of the same mix (without stack links). */
export function generateRegistrations(count: number, seed = 7): ResourceInput[] {
  const { resources } = generateStack(count, seed);
  return resources.map((r) => ({ type: r.type, name: r.name, props: r.props, parent: r.parent, provider: r.provider }));
}

/** The config the benchmark runs with: one declared custom kernel and a few exemptions (glob matching). */
export const BENCH_POLICY_CONFIG = {
  "alinux2-overlayfs-dentry-leak": {
    imageKernels: { "m-bp1benchcustom0001": "4.19.91-21.al7.x86_64" },
    exemptions: [
      { resource: "web-1-*", reason: "benchmark exemption", expires: "2999-12-31" },
      { resource: "*::asg-2", reason: "benchmark exemption", expires: "2999-12-31" },
      { resource: "lt-3", reason: "expired benchmark exemption", expires: "2001-01-01" },
    ],
  },
  "alinux-image-kernel-unknown": { imageKernels: { "m-bp1benchcustom0001": "4.19.91-21.al7.x86_64" } },
};

/**
 * An adversarial exemption list: 20 globs of 10 `*` each that never match (each ends in `#`, which no URN or name
 * holds), over characters URNs are full of. Turned into backtracking regular expressions, `**********#` alone takes
 * seconds per URN; the pack's glob matcher is linear whatever the pattern (policies/src/config/exemptions.ts).
 */
export function adversarialExemptions(): { resource: string; reason: string; expires: string }[] {
  const pool = ["", ":", "i", "n", "e", "-", "a", "c", "s", "t"];
  return Array.from({ length: 20 }, (_, k) => ({
    resource: `${pool.map((_, j) => `*${pool[(j + k) % pool.length]}`).join("")}#${k}`,
    reason: "benchmark: adversarial glob",
    expires: "2999-12-31",
  }));
}

/** BENCH_POLICY_CONFIG with the adversarial exemptions added to the main policy's. */
export function adversarialBenchConfig(): typeof BENCH_POLICY_CONFIG {
  const main = BENCH_POLICY_CONFIG["alinux2-overlayfs-dentry-leak"];
  return {
    ...BENCH_POLICY_CONFIG,
    "alinux2-overlayfs-dentry-leak": { ...main, exemptions: [...main.exemptions, ...adversarialExemptions()] },
  };
}
