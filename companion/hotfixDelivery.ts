/**
 * The OverlayFS dentry-leak hotfix script (companion/shell/apply-overlayfs-hotfix.sh, embedded at
 * build time by companion/embed.ts) and the two ways to ship it: as a Cloud Assistant command and as
 * user data for launch surfaces (launch templates, scaling configurations, node pools).
 */
import { HOTFIX_SCRIPT, HOTFIX_SCRIPT_SHA256 } from "./generated/embeddedHotfixScript";

export { HOTFIX_SCRIPT, HOTFIX_SCRIPT_SHA256 };

/** Hotfix ID and package-name prefix, as Alibaba's advisory (273061) names them. */
export const HOTFIX_ID = "4375449";
export const HOTFIX_PACKAGE_PREFIX = `kernel-hotfix-${HOTFIX_ID}`;

/**
 * The script's exit codes (documented in docs/companion.md). 193 and 194 are avoided on purpose:
 * Cloud Assistant stops (193) or restarts (194) the instance on them.
 */
export const HOTFIX_EXIT_CODES = {
  OK: 0,
  ENVIRONMENT: 2,
  REBOOT_REQUIRED: 3,
  HOTFIX_PACKAGE_MISSING: 4,
  YUM_LOCK_TIMEOUT: 5,
  YUM_FAILED: 6,
  VERIFY_FAILED: 7,
  NO_FIXED_KERNEL: 8,
  UNKNOWN_KERNEL: 9,
} as const;

export interface HotfixScriptOptions {
  /**
   * Allow the script to schedule a reboot (`shutdown -r +1`) after it had to update an older kernel.
   * Default false: the script then exits 3 (REBOOT_REQUIRED) and says a reboot is pending.
   */
  allowReboot?: boolean;
}

/** The one line of the script that holds the reboot default; renderHotfixScript rewrites it. */
export const REBOOT_DEFAULT_LINE = ': "${ALINUX_HOTFIX_ALLOW_REBOOT:=no}"';

/** The script text to run, with the caller's reboot choice baked in as the default. */
export function renderHotfixScript(options: HotfixScriptOptions = {}): string {
  const lines = HOTFIX_SCRIPT.split("\n");
  const at = lines.flatMap((line, i) => (line === REBOOT_DEFAULT_LINE ? [i] : []));
  if (at.length !== 1) {
    throw new Error(
      `the embedded hotfix script must contain the line ${REBOOT_DEFAULT_LINE} exactly once (found ${at.length})`,
    );
  }
  if (!options.allowReboot) return HOTFIX_SCRIPT;
  lines[at[0]] = REBOOT_DEFAULT_LINE.replace(":=no}", ":=yes}");
  return lines.join("\n");
}

export function toBase64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

/**
 * Cloud Assistant's CreateCommand takes Base64 only, at most 16 KB once encoded (the 2021 API docs;
 * newer pages say 18 KB; the lower figure is enforced here).
 */
export const MAX_COMMAND_CONTENT_BASE64_BYTES = 16 * 1024;

/** The Base64 `commandContent` of the `alicloud.ecs.Command`. Throws if it exceeds the API limit. */
export function hotfixCommandContent(options: HotfixScriptOptions = {}): string {
  const content = toBase64(renderHotfixScript(options));
  if (content.length > MAX_COMMAND_CONTENT_BASE64_BYTES) {
    throw new Error(
      `hotfix command content is ${content.length} bytes in Base64, over the Cloud Assistant limit of ${MAX_COMMAND_CONTENT_BASE64_BYTES}`,
    );
  }
  return content;
}

export interface HotfixUserData {
  /** The script as plain text (a `#!/bin/bash` user-data script). */
  text: string;
  /** The same script, Base64-encoded. */
  base64: string;
}

/**
 * The hotfix script as user data for instances launched later by a launch surface:
 * - `alicloud.ecs.EcsLaunchTemplate` / `alicloud.ecs.LaunchTemplate` `userData`: use `base64`;
 * - `alicloud.ess.ScalingConfiguration` `userData`: `base64` (the provider also accepts plain text and
 *   encodes it itself, per terraform-provider-alicloud resource_alicloud_ess_scaling_configuration.go);
 * - `alicloud.cs.NodePool` `userData` ("Node custom data, base64-encoded"): use `base64`;
 * - `alicloud.ecs.Instance` `userData` ("base64-encoded value ... is the recommended usage"): `base64`.
 * The script must be the whole user data: to combine it with other user data, use a cloud-init
 * multi-part archive (not done here).
 */
export function hotfixUserData(options: HotfixScriptOptions = {}): HotfixUserData {
  const text = renderHotfixScript(options);
  return { text, base64: toBase64(text) };
}
