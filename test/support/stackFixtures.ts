/**
 * Builders for stack resources as the engine sends them to a stack policy: preview (IDs unknown, links through
 * property dependencies) or after deploy (IDs known, links through IDs). Used by unit specs.
 */
import { StackResourceInput, UNKNOWN, urnOf } from "./policyRuntime";

export { T } from "./resourceTypes";
import { T } from "./resourceTypes";

/** Affected, in the hotfix range: kernel 4.19.91-22.2.al7 stated in the release notes. */
export const HOTFIXABLE_IMAGE = "aliyun_2_1903_x64_20G_alibase_20210120.vhd";
/** Affected, older than the hotfix range: kernel 4.19.91-18.al7 stated in the release notes. */
export const PRE_HOTFIX_IMAGE = "aliyun_2_1903_x64_20G_alibase_20200324.vhd";
/** Past every advisory: kernel 4.19.91-24.al7 stated in the release notes. */
export const FIXED_IMAGE = "aliyun_2_1903_x64_20G_alibase_20210630.vhd";
/** Kernel 4.19.91-23.al7 (stated): past the OverlayFS advisory, inside the released-inode and page-fault ones. */
export const OVERLAYFS_FIXED_ONLY_IMAGE = "aliyun_2_1903_x64_20G_alibase_20210325.vhd";
export const OTHER_OS_IMAGE = "aliyun_3_x64_20G_alibase_20230727.vhd";

export const HOTFIX_SCRIPT = [
  "#!/bin/bash",
  "set -eu",
  'yum install -y "kernel-hotfix-4375449-$(uname -r | awk -F"-" \'{print $NF}\')"',
  "",
].join("\n");
export const UNRELATED_SCRIPT = "#!/bin/bash\nyum install -y nginx\nsystemctl enable --now nginx\n";

export const base64 = (text: string) => Buffer.from(text, "utf8").toString("base64");

export function resource(type: string, name: string, props: Record<string, unknown>, extra: Partial<StackResourceInput> = {}): StackResourceInput {
  return { type, name, urn: urnOf(type, name), props, ...extra };
}

export const urnFor = (r: StackResourceInput): string => r.urn ?? urnOf(r.type, r.name);

export function command(name: string, script: string, extra: Record<string, unknown> = {}): StackResourceInput {
  return resource(T.command, name, { name, type: "RunShellScript", commandContent: base64(script), timeout: 1800, ...extra });
}

/** An invocation as preview shows it: IDs unknown, targets and command linked through property dependencies. */
export function previewInvocation(name: string, targets: readonly StackResourceInput[], cmd: StackResourceInput, extra: Record<string, unknown> = {}): StackResourceInput {
  return resource(
    T.invocation,
    name,
    { instanceIds: targets.map(() => UNKNOWN), commandId: UNKNOWN, ...extra },
    {
      dependencies: [...targets.map(urnFor), urnFor(cmd)],
      propertyDependencies: { instanceIds: targets.map(urnFor), commandId: [urnFor(cmd)] },
    },
  );
}

/** An invocation as state holds it after deploy: known IDs, no property dependencies needed. */
export function deployedInvocation(name: string, instanceIds: readonly string[], commandId: string, extra: Record<string, unknown> = {}): StackResourceInput {
  return resource(T.invocation, name, { id: `t-${name}`, instanceIds: [...instanceIds], commandId, status: "Success", ...extra });
}
