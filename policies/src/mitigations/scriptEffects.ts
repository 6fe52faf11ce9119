/**
 * What a script does when the machine runs it, as the readers (shell, #cloud-config, user data, Cloud Assistant
 * content) find it statically. Advisory-neutral: it says which packages are installed, updated or removed and
 * whether the machine reboots; whether that mitigates a given advisory on a given kernel is decided elsewhere
 * (knowledge/advisoryRemedy.ts).
 */

/** A piece of a word as the shell would expand it at run time. */
export type ValuePiece =
  | { readonly kind: "text"; readonly text: string }
  /** The whole output of `uname -r` (`4.19.91-22.2.al7.x86_64`). */
  | { readonly kind: "kernel-release" }
  /** Its last `-` field (`22.2.al7.x86_64`), as the advisory computes it: `uname -r | awk -F"-" '{print $NF}'`. */
  | { readonly kind: "kernel-sub-version" }
  /** Anything the static reading does not follow (another command's output, an unset variable, a loop variable). */
  | { readonly kind: "unknown" };

export type ShellValue = readonly ValuePiece[];

/**
 * When an effect happens only for some kernels: inside a `case` on `uname -r` (or a variable holding it), the arm
 * whose patterns match, and whose earlier arms did not.
 */
export interface KernelCondition {
  /** `uname -r` must match one of these shell patterns… */
  readonly anyOf: readonly string[];
  /** …and none of these (the earlier arms of the same `case`). */
  readonly noneOf: readonly string[];
}

interface EffectBase {
  /** Where it came from, for messages: `runcmd`, `a shell part`, `packages`… never the text. */
  readonly origin: string;
  /** Only on kernels matching all of these. */
  readonly kernelConditions: readonly KernelCondition[];
  /**
   * Whose rights it runs with: the script's user (root for user data; the invocation's `username` for Cloud
   * Assistant), root through `sudo` / `su`, or another user (`sudo -u someone`).
   */
  readonly runsAs: "script-user" | "root" | "other-user";
}

/** yum/dnf (or cloud-init's `packages`) installing, updating or removing packages. */
export interface PackageEffect extends EffectBase {
  readonly kind: "install" | "update" | "remove";
  readonly manager: "yum" | "dnf" | "rpm" | "cloud-init";
  /** The package arguments; empty for `yum update` of everything. */
  readonly packages: readonly ShellValue[];
  /** Runs without asking (`-y`, `--assumeyes`; always for cloud-init and rpm). */
  readonly assumeYes: boolean;
  /** `--downloadonly` somewhere in the command: nothing is installed. */
  readonly downloadOnly: boolean;
  /** An argument the static reading cannot follow (a variable it cannot resolve): it could be any option. */
  readonly opaqueArguments: boolean;
  /** An option with which it installs nothing, whatever it names (`--assumeno`, `--installroot`, `tsflags=test`). */
  readonly installsNothing?: string;
  /** Patterns it leaves alone (`--exclude`, `-x`, `--setopt=exclude=…`), comma lists split. */
  readonly excludes?: readonly ShellValue[];
  /** Started in the background (`&`) and not waited for: the script goes on, and may reboot, before it ends. */
  readonly background?: boolean;
}

/** The machine restarts: `reboot`, `shutdown -r`, `systemctl reboot`, cloud-init `power_state`… */
export interface RebootEffect extends EffectBase {
  readonly kind: "reboot";
  readonly how: string;
}

/** The script ends with this literal exit code (Cloud Assistant restarts the instance on 194). */
export interface ExitEffect extends EffectBase {
  readonly kind: "exit";
  readonly code: number;
}

export type ScriptEffect = PackageEffect | RebootEffect | ExitEffect;

/** The reading of one script, one user data or one command content. */
export type ScriptReading =
  /** It runs; `effects` in the order they happen; `notes` name parts that do not count (never their text). */
  | { readonly state: "runs"; readonly effects: readonly ScriptEffect[]; readonly notes: readonly string[] }
  | { readonly state: "does-not-run"; readonly reason: string }
  | { readonly state: "cannot-be-read"; readonly reason: string };

/** How much to read. */
export interface ReadOptions {
  /**
   * Shell scripts that do not match this are not parsed (read as doing nothing): a caller that only cares about
   * some effects (e.g. anything naming a kernel package or updating packages) skips the parser for the rest.
   * Skipping can only lose effects, so it never makes a script count.
   */
  readonly onlyIfMentions?: RegExp;
  /**
   * In a document of several parts (MIME parts; a #cloud-config's modules) where some part matches onlyIfMentions,
   * the shell parts matching this are read too: the kernel update in one part and the reboot in another is still
   * the kernel route (`package_upgrade: true` with `runcmd: [reboot]`).
   */
  readonly partsAlsoIfMentions?: RegExp;
  /** Set by the document readers: some part of the enclosing document matches onlyIfMentions. */
  readonly documentMentions?: boolean;
}

/** The options for the parts of a document whose texts (decoded) are these. */
export function optionsForParts(texts: readonly string[], options: ReadOptions): ReadOptions {
  if (options.documentMentions || !options.onlyIfMentions || !options.partsAlsoIfMentions) return options;
  const mentions = options.onlyIfMentions;
  return texts.some((text) => mentions.test(text)) ? { ...options, documentMentions: true } : options;
}

/** What a reader failing in an unforeseen way yields: not a mitigation, and no stack trace in any message. */
export const UNREADABLE: ScriptReading = Object.freeze({
  state: "cannot-be-read",
  reason: "the pack failed to read it",
});

export const NO_EFFECTS: ScriptReading = Object.freeze({
  state: "runs",
  effects: Object.freeze([]),
  notes: Object.freeze([]),
});

export function literal(text: string): ShellValue {
  return [{ kind: "text", text }];
}

/** The value as text when every piece is literal. */
export function literalText(value: ShellValue): string | undefined {
  let text = "";
  for (const piece of value) {
    if (piece.kind !== "text") return undefined;
    text += piece.text;
  }
  return text;
}

/** Joins adjacent text pieces. */
export function concatValues(values: readonly ShellValue[]): ShellValue {
  const out: ValuePiece[] = [];
  for (const value of values) {
    for (const piece of value) {
      const last = out[out.length - 1];
      if (piece.kind === "text" && last?.kind === "text")
        out[out.length - 1] = { kind: "text", text: last.text + piece.text };
      else out.push(piece);
    }
  }
  return out;
}

/** Combines readings of several parts (MIME parts, cloud-config modules) in the order they run. */
export function combineReadings(
  readings: readonly { readonly reading: ScriptReading; readonly what: string }[],
): ScriptReading {
  const effects: ScriptEffect[] = [];
  const notes: string[] = [];
  let ran = false;
  for (const { reading, what } of readings) {
    if (reading.state === "runs") {
      ran = true;
      effects.push(...reading.effects);
      notes.push(...reading.notes);
    } else if (reading.state === "does-not-run") notes.push(`${what} does not run: ${reading.reason}`);
    else notes.push(`${what} cannot be read: ${reading.reason}`);
  }
  if (!ran && readings.length === 1) return readings[0].reading;
  return { state: "runs", effects, notes };
}
