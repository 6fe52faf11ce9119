// Shared helpers for the harness specs of the real pack: start it like the engine, and describe Alibaba Cloud
// resources the way the engine sends them (preview: computed outputs unknown, links as property dependencies;
// after deploy: cloud IDs known). Image IDs and kernels come from the pack's contract, not from its output.
import { afterAll, afterEach, beforeAll } from "vitest";
import { PolicyPackHarness, type StartOptions } from "../../tools/engine/analyzerClient";
import type { AnalyzeResult, Diagnostic } from "../../tools/engine/protocolViews";
import type { StackResourceInput } from "../../tools/engine/requests";
import { ensurePackBuilt } from "../../tools/engine/packBuild";
import { unknown } from "../../tools/engine/sentinels";

export const OVERLAYFS = "alinux2-overlayfs-dentry-leak";
export const RELEASED_INODE = "alinux2-released-inode-crash";
export const PAGE_FAULT = "alinux2-page-fault-crash";
export const KERNEL_UNKNOWN = "alinux-image-kernel-unknown";
export const END_OF_LIFE = "alinux2-end-of-life";
export const POLICY_NAMES = [OVERLAYFS, RELEASED_INODE, PAGE_FAULT, KERNEL_UNKNOWN, END_OF_LIFE];

export { T } from "../support/resourceTypes";
import { T } from "../support/resourceTypes";

/** Image IDs named by the pack's contract (issue text and alinux2 facts). */
export const IMAGES = {
  /** 4.19.91-22.2.al7: affected, inside the hotfix range. */
  affectedHotfixable: "aliyun_2_1903_x64_20G_alibase_20210120.vhd",
  /** 4.19.24-9.al7: affected, below the hotfix range. */
  affected2019: "aliyun-2.1903-x64-20G-alibase-20190327.vhd",
  /** 4.19.91-18.al7: affected, below 4.19.91-19.1.al7, so the hotfix does not count. */
  belowHotfixRange: "aliyun_2_1903_x64_20G_alibase_20200324.vhd",
  /** 4.19.91-24.al7: past every advisory. */
  fixed: "aliyun_2_1903_x64_20G_alibase_20210630.vhd",
  /** 4.19.91-23.al7: past the OverlayFS advisory, inside the released-inode and page-fault ones. */
  overlayfsFixedOnly: "aliyun_2_1903_x64_20G_alibase_20210325.vhd",
  alinux3: "aliyun_3_x64_20G_alibase_20240819.vhd",
  ubuntu: "ubuntu_22_04_x64_20G_alibase_20240130.vhd",
  centos: "centos_7_9_x64_20G_alibase_20240628.vhd",
  windows: "win2022_21H2_x64_dtc_en-us_40G_alibase_20240110.vhd",
  custom: "m-bp1harnesscustom0001",
  alinux2Unrecognised: "aliyun_2_1903_x64_20G_harness_custom.img",
} as const;

export const HOTFIX_PACKAGE = "kernel-hotfix-4375449";
/** The advisory's install line, in a script. */
export const HOTFIX_SCRIPT = `#!/bin/bash\nset -e\nyum install -y ${HOTFIX_PACKAGE}-\`uname -r | awk -F"-" '{print $NF}'\`\n`;
export const NOT_A_HOTFIX_SCRIPT = "#!/bin/bash\nyum install -y nginx\n";
export const b64 = (s: string): string => Buffer.from(s, "utf8").toString("base64");

/** Any Alibaba Cloud Linux 2 kernel release as a message would print it. */
export const KERNEL_RELEASE = /\b4\.19\.\d+-\d+(\.\d+)*\.al7\b/;

/** Build the pack if needed and start it like the engine (one process per spec file). */
/**
 * One pack process for the spec file that calls this (vitest hooks): started before its tests, stopped after them,
 * and put back to the default config after each test. Returns an accessor for the running harness.
 */
export function usePackPerSpecFile(): () => PolicyPackHarness {
  let harness: PolicyPackHarness | undefined;
  beforeAll(async () => {
    harness = await startPack();
  });
  afterAll(async () => {
    await harness?.stop();
  });
  afterEach(async () => {
    await harness?.configure();
  });
  return () => {
    if (!harness) throw new Error("the pack is not running (usePackPerSpecFile hooks did not start it)");
    return harness;
  };
}

export async function startPack(opts: StartOptions = {}): Promise<PolicyPackHarness> {
  // ALINUX_GUARD_PACK_DIR points the specs at another built copy of the pack (e.g. an unpacked `npm pack` tarball).
  const packDir = opts.packDir ?? process.env.ALINUX_GUARD_PACK_DIR;
  if (!packDir) ensurePackBuilt();
  return PolicyPackHarness.start({ project: "alinux-guard-specs", stack: "dev", ...opts, packDir });
}

let seq = 0;
/** A resource as the engine sends it in AnalyzeStack. At preview (default) computed outputs are unknown. */
export function res(type: string, name: string, props: Record<string, unknown> = {}, extra: Partial<StackResourceInput> = {}): StackResourceInput {
  return { type, name, props, ...extra };
}

/** An ECS instance at preview: `id` unknown, network fields often unknown too. */
export function previewInstance(name: string, imageId: unknown, props: Record<string, unknown> = {}): StackResourceInput {
  return res(T.instance, name, { id: unknown(), imageId, instanceType: "ecs.g7.large", ...props });
}

/** An ECS instance after deploy: known cloud ID. */
export function deployedInstance(name: string, imageId: unknown, props: Record<string, unknown> = {}): StackResourceInput {
  seq += 1;
  return res(T.instance, name, { id: `i-harness${String(seq).padStart(6, "0")}`, imageId, instanceType: "ecs.g7.large", ...props });
}

/** A Cloud Assistant command (content base64, as the provider requires). */
export function command(name: string, script: string, props: Record<string, unknown> = {}): StackResourceInput {
  return res(T.command, name, { id: unknown(), name, type: "RunShellScript", commandContent: b64(script), ...props });
}

/**
 * A Cloud Assistant invocation of `cmd` on `targets`, at preview: the IDs are unknown, so the engine links them
 * only through property dependencies (`instanceIds`, `commandId`).
 */
export function previewInvocation(name: string, cmd: StackResourceInput, targets: StackResourceInput[], props: Record<string, unknown> = {}): StackResourceInput {
  return res(
    T.invocation,
    name,
    { id: unknown(), commandId: unknown(), instanceIds: targets.map(() => unknown()), ...props },
    { dependencies: [cmd, ...targets], propertyDependencies: { commandId: [cmd], instanceIds: targets } },
  );
}

/** The same invocation after deploy, linked only by cloud IDs (no property dependencies), e.g. IDs pasted into config. */
export function deployedInvocationByIds(name: string, cmd: StackResourceInput, targets: StackResourceInput[], props: Record<string, unknown> = {}): StackResourceInput {
  const idOf = (r: StackResourceInput) => (r.props as { id: string }).id;
  return res(T.invocation, name, { id: `t-${name}`, commandId: idOf(cmd), instanceIds: targets.map(idOf), ...props });
}

export function byPolicy(r: AnalyzeResult, policyName: string): Diagnostic[] {
  return r.diagnostics.filter((d) => d.policyName === policyName);
}

/** The "can't run during preview" advisory the SDK emits when a policy reads an unknown value. */
export function isCantRunAdvisory(d: Diagnostic, policyName: string): boolean {
  return d.policyName === policyName && d.enforcementLevel === "advisory" && d.message.startsWith(`can't run policy '${policyName}' from policy pack 'alinux-guard@v`) && d.message.includes("during preview");
}

/** Every message the pack produced, for "never echoes X" checks. */
export function allText(r: AnalyzeResult): string {
  return r.diagnostics.map((d) => `${d.message}\n${d.description}`).join("\n") + r.notApplicable.map((n) => n.reason).join("\n");
}
