import type {
  PackageEffect,
  RebootEffect,
  ScriptEffect,
  ScriptReading,
  ShellValue,
} from "../mitigations/scriptEffects";
import { globMatches } from "../mitigations/shellScriptReader";
import { assessKernel, KernelAdvisory } from "./advisories";
import { formatKernelRelease, KernelRelease } from "./kernelRelease";

/**
 * Words without which a script can neither install a kernel hotfix package nor update the kernel: the readers skip
 * parsing scripts without them (which can only lose a mitigation, never make one).
 */
export const REMEDY_WORDS = /kernel|update|upgrade/;

/**
 * Words without which a part of user data cannot reboot the machine: where another part of the same user data
 * names REMEDY_WORDS, parts with these are read too (the update and the reboot may be in different parts).
 */
export const REBOOT_WORDS = /reboot|shutdown|init/;

/** Whether what a script does mitigates an advisory on one kernel. */
export type Remedy =
  { readonly mitigates: true; readonly how: string } | { readonly mitigates: false; readonly why: string };

/** How the script is run, which the script itself does not say. */
export interface RunContext {
  /** The script runs as root (user data; a Cloud Assistant invocation without another `username`). */
  readonly asRoot: boolean;
  /** Exit code 194 restarts the instance (Cloud Assistant; cloud-init gives it no meaning). */
  readonly exit194Reboots: boolean;
}

/**
 * Two routes out of an affected kernel at provisioning:
 * - the live hotfix: `yum`/`dnf` install, non-interactive, not `--downloadonly`, as root, of
 *   `<hotfix package>-<sub-version>` where the sub-version is this kernel's (computed from `uname -r` as the advisory
 *   does, or pinned to this kernel's release: alinux2-more-advisories.md §B: `kernel-hotfix-4375449` alone names no
 *   package), not removed later in the script, on a kernel in the hotfix's range;
 * - the kernel route, the advisory's own fix below the hotfix range: `yum update -y kernel` (or of everything, or
 *   `upgrade`) followed by a reboot at provisioning. The repositories' newest Alibaba Cloud Linux 2 kernels
 *   (4.19.91-27.x, alinux2-facts.md §2) are past every advisory in the data, so it mitigates every affected kernel.
 */
export function remedyFor(
  advisory: KernelAdvisory,
  kernel: KernelRelease,
  reading: ScriptReading,
  run: RunContext,
): Remedy {
  if (reading.state === "does-not-run") return { mitigates: false, why: `it does not run: ${reading.reason}` };
  if (reading.state === "cannot-be-read") return { mitigates: false, why: `it cannot be read: ${reading.reason}` };
  const uname = `${formatKernelRelease(kernel)}.${kernel.arch ?? "x86_64"}`;
  const applies = (effect: ScriptEffect) =>
    effect.kernelConditions.every(
      (c) => c.anyOf.some((p) => globMatches(p, uname)) && !c.noneOf.some((p) => globMatches(p, uname)),
    );
  const effects = reading.effects.filter(applies);
  const hasRoot = (effect: ScriptEffect) => effect.runsAs === "root" || (effect.runsAs === "script-user" && run.asRoot);
  const why: string[] = [];
  const problem = (effect: PackageEffect): string | undefined => {
    if (!hasRoot(effect)) return `it runs ${effect.manager} without root`;
    if (effect.downloadOnly) return "it only downloads (--downloadonly)";
    if (effect.opaqueArguments) return `its ${effect.manager} command has an argument the pack cannot follow`;
    if (!effect.assumeYes) return `its ${effect.manager} command has no -y, so it waits for an answer`;
    if (effect.installsNothing) return `its ${effect.manager} command installs nothing (${effect.installsNothing})`;
    if (effect.background) return `it runs ${effect.manager} in the background (&) and does not wait for it`;
    return undefined;
  };
  /** An `--exclude` pattern that matches one of these names, or that the pack cannot read. */
  const excluded = (effect: PackageEffect, matches: (pattern: string) => boolean) =>
    (effect.excludes ?? []).some((pattern) => {
      const text = literalOf(pattern);
      return text === undefined || matches(text);
    });

  // The kernel route.
  const reboots = (effect: ScriptEffect): effect is RebootEffect | Extract<ScriptEffect, { kind: "exit" }> =>
    (effect.kind === "reboot" && hasRoot(effect)) ||
    (effect.kind === "exit" && effect.code === 194 && run.exit194Reboots);
  for (const [i, effect] of effects.entries()) {
    if ((effect.kind !== "update" && effect.kind !== "install") || !updatesKernel(effect)) continue;
    const blocked =
      problem(effect) ??
      (excluded(effect, mayExcludeKernel) ? `its ${effect.manager} command excludes the kernel` : undefined);
    if (blocked) {
      why.push(`it updates the kernel, but ${blocked}`);
      continue;
    }
    if (effects.slice(i + 1).some(reboots))
      return { mitigates: true, how: "updates the kernel and reboots at provisioning" };
    why.push("it updates the kernel but does not reboot, so the affected kernel keeps running");
  }

  // The live hotfix, where the advisory documents one (advisories without one are mitigated by the kernel route only).
  const hotfix = advisory.hotfix;
  if (!hotfix) return { mitigates: false, why: why[0] ?? "it does not update the kernel and reboot" };
  const installs = effects.filter(
    (e): e is PackageEffect => e.kind === "install" && e.packages.some((p) => namesPackage(p, hotfix.package)),
  );
  if (installs.length > 0) {
    const assessment = assessKernel(advisory, kernel);
    if (assessment !== "affected-hotfixable") {
      why.push(
        `it installs ${hotfix.package}, which cannot fix kernel ${formatKernelRelease(kernel)} (it covers ${formatKernelRelease(hotfix.appliesFrom)} to ${formatKernelRelease(hotfix.appliesThrough)})`,
      );
    }
    for (const effect of installs) {
      if (assessment !== "affected-hotfixable") break;
      const name = `${hotfix.package}-${kernel.release}`;
      const blocked =
        problem(effect) ??
        (excluded(effect, (p) =>
          [hotfix.package, name, `${name}.${kernel.arch ?? "x86_64"}`].some((n) => globMatches(p, n)),
        )
          ? `its ${effect.manager} command excludes it`
          : undefined);
      if (blocked) {
        why.push(`it installs ${hotfix.package}, but ${blocked}`);
        continue;
      }
      const fits = effect.packages.filter((p) => installsReleaseFor(p, hotfix.package, kernel));
      if (fits.length === 0) {
        why.push(
          effect.packages.some((p) => literalIs(p, hotfix.package))
            ? `it names ${hotfix.package} without the kernel sub-version (no such package)`
            : `it installs ${hotfix.package} for another kernel's release`,
        );
        continue;
      }
      const at = reading.effects.indexOf(effect);
      if (
        reading.effects
          .slice(at + 1)
          .some(
            (later) =>
              later.kind === "remove" &&
              applies(later) &&
              later.packages.some((p) => removes(p, hotfix.package, kernel)),
          )
      ) {
        why.push(`it installs ${hotfix.package} but removes it later`);
        continue;
      }
      return { mitigates: true, how: `installs ${hotfix.package} for kernel ${formatKernelRelease(kernel)}` };
    }
  }
  if (why.length > 0) return { mitigates: false, why: why[0] };
  return { mitigates: false, why: `it neither installs ${hotfix.package} nor updates the kernel and reboots` };
}

/**
 * Whether an `--exclude` pattern may leave the kernel package alone: yum matches it against the name and its forms
 * with version, release and architecture, so it does if it matches `kernel` or `kernel.<arch>`, names a version
 * (`kernel-4.19…`), or is a glob whose literal start could begin any of those (`k*`, `kernel-4*`).
 */
function mayExcludeKernel(pattern: string): boolean {
  if (globMatches(pattern, "kernel") || /^kernel(\.[a-z0-9_]+)?$/.test(pattern) || /^kernel-\d/.test(pattern))
    return true;
  const start = pattern.split(/[*?[]/)[0];
  return start.length < pattern.length && ("kernel-".startsWith(start) || /^kernel-\d/.test(start));
}

function updatesKernel(effect: PackageEffect): boolean {
  if (effect.kind === "update" && effect.packages.length === 0) return true;
  return effect.packages.some((p) => {
    const text = literalOf(p);
    return text === "kernel" || text === "kernel.x86_64";
  });
}

function literalOf(value: ShellValue): string | undefined {
  return value.every((p) => p.kind === "text")
    ? value.map((p) => (p.kind === "text" ? p.text : "")).join("")
    : undefined;
}

function literalIs(value: ShellValue, text: string): boolean {
  return literalOf(value) === text;
}

function namesPackage(value: ShellValue, prefix: string): boolean {
  const first = value[0];
  return first?.kind === "text" && first.text.startsWith(prefix);
}

/** A removal naming the package, or a pattern matching it (`yum remove 'kernel-hotfix*'`). */
function removes(value: ShellValue, prefix: string, kernel: KernelRelease): boolean {
  if (namesPackage(value, prefix)) return true;
  const text = literalOf(value);
  const name = `${prefix}-${kernel.release}`;
  return (
    text !== undefined &&
    /[*?[]/.test(text) &&
    [name, `${name}.${kernel.arch ?? "x86_64"}`].some((n) => globMatches(text, n))
  );
}

/** `<prefix>-<this kernel's sub-version>`: from `uname -r` as the advisory computes it, or written for this kernel. */
function installsReleaseFor(value: ShellValue, prefix: string, kernel: KernelRelease): boolean {
  const [first, second] = value;
  if (first?.kind !== "text") return false;
  if (value.length === 2 && first.text === `${prefix}-` && second.kind === "kernel-sub-version") return true;
  const text = literalOf(value);
  if (text === undefined || !text.startsWith(`${prefix}-`)) return false;
  const release = text.slice(prefix.length + 1);
  // The release alone (`21.al7`) or with an architecture Alibaba Cloud Linux 2 ships (`21.al7.x86_64`).
  return (
    release === kernel.release ||
    (release.startsWith(`${kernel.release}.`) && /^(x86_64|aarch64)$/.test(release.slice(kernel.release.length + 1)))
  );
}
