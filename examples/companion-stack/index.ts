// The companion stack of this repository (its program: ../../companion/index.ts, a Pulumi project of its own): ECS instances
// on the affected image aliyun_2_1903_x64_20G_alibase_20210120.vhd, plus a Cloud Assistant command that installs
// kernel-hotfix-4375449 and an invocation targeting every instance.
// Expected: the preview succeeds; the mandatory policy sees the hotfix and lets the instances through (the
// end-of-life advisory for Alibaba Cloud Linux 2 is still shown).
export * from "../../companion/index";
