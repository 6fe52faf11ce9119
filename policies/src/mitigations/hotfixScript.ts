import { KernelRelease } from "../knowledge/kernelRelease";

/**
 * Recognises a script that installs the kernel hotfix, by what it does rather than by who wrote it: a command whose
 * program is `yum` or `dnf` (after `sudo`, `env`, assignments and the like) with the `install` subcommand, not
 * `--downloadonly`, naming the hotfix package — directly, or through shell variables whose assignments (directly or
 * through other variables) name it, as in `PKG="kernel-hotfix-4375449-$r"` then `yum install -y "$PKG"`. Comments,
 * here-documents, `echo`/`rpm -q` lines and commands that merely mention the package do not count. When the script
 * pins a release (`kernel-hotfix-4375449-22.2.al7.x86_64`), it counts only for that kernel.
 *
 * This is a static reading: it cannot see control flow (`exit 0` before the install, `if false`). Scripts arrive as
 * plain text or base64 (Cloud Assistant command content is always base64; user data may be either), so both
 * readings are tried.
 */
export function scriptInstallsHotfix(value: string, hotfixPackage: string, kernel?: KernelRelease): boolean {
  const found = analyseScript(value, hotfixPackage);
  if (!found.installs) return false;
  if (!kernel || found.pinnedReleases.length === 0) return true;
  return found.pinnedReleases.some((pinned) => pinned === kernel.release || pinned.startsWith(`${kernel.release}.`));
}

interface HotfixInstall {
  readonly installs: boolean;
  /** Releases hard-coded after the package name (`22.2.al7.x86_64`); empty when it is computed (`$(uname -r …)`). */
  readonly pinnedReleases: readonly string[];
}

function analyseScript(value: string, hotfixPackage: string): HotfixInstall {
  const key = `${hotfixPackage}\u0000${value}`;
  let found = analyses.get(key);
  if (found === undefined) {
    const readings = readingsOf(value).map((text) => analyseText(text, hotfixPackage));
    found = readings.find((reading) => reading.installs) ?? { installs: false, pinnedReleases: [] };
    // Large stacks repeat the same few scripts on thousands of resources; keep the memo bounded.
    if (analyses.size >= MAX_REMEMBERED_SCRIPTS) analyses.clear();
    analyses.set(key, found);
  }
  return found;
}

const MAX_REMEMBERED_SCRIPTS = 512;
const analyses = new Map<string, HotfixInstall>();

const COMMAND_SEPARATOR = /;|&&|\|\||\||\bthen\b|\bdo\b|\belse\b/;
const ASSIGNMENT = /(?:^|[\s;])([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s;]*)/g;
const REFERENCE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;
const HEREDOC = /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/;
/** Words that run the next word as the command. */
const PREFIX_WORDS = new Set(["sudo", "env", "command", "exec", "nohup", "time", "nice", "!", "{", "(", "if", "while", "until"]);

function analyseText(text: string, hotfixPackage: string): HotfixInstall {
  const lines = scriptLines(text);
  const naming = variablesNaming(lines, hotfixPackage);
  const pinned = new Set<string>();
  let installs = false;
  for (const command of lines.flatMap((line) => line.split(COMMAND_SEPARATOR))) {
    if (!isPackageInstall(command)) continue;
    const namesPackage = command.includes(hotfixPackage) || referencesOf(command).some((name) => naming.has(name));
    if (!namesPackage) continue;
    installs = true;
    for (const release of pinnedReleasesIn(command, hotfixPackage)) pinned.add(release);
    for (const name of referencesOf(command)) {
      for (const release of naming.get(name) ?? []) pinned.add(release);
    }
  }
  return { installs, pinnedReleases: [...pinned] };
}

/** Lines the shell runs: comments and here-document bodies removed, blank lines dropped. */
function scriptLines(text: string): string[] {
  const lines: string[] = [];
  let heredocEnd: string | undefined;
  for (const raw of text.split("\n")) {
    if (heredocEnd !== undefined) {
      if (raw.trim() === heredocEnd) heredocEnd = undefined;
      continue;
    }
    const line = withoutComment(raw).trim();
    if (line.length === 0) continue;
    heredocEnd = HEREDOC.exec(line)?.[2];
    lines.push(line);
  }
  return lines;
}

/** The line up to an unquoted `#` that starts a word (a shell comment). */
function withoutComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === "\\" && quote === '"') i++;
      else if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]))) return line.slice(0, i);
  }
  return line;
}

/** Whether a command runs `yum`/`dnf` with the `install` subcommand (and does not only download). */
function isPackageInstall(command: string): boolean {
  const words = command.trim().split(/\s+/);
  let i = 0;
  while (i < words.length) {
    const word = words[i];
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(word) || PREFIX_WORDS.has(word)) i++;
    else if (word.startsWith("-") && i > 0 && PREFIX_WORDS.has(words[i - 1])) i++;
    else if (word === "timeout" && i + 1 < words.length) i += 2;
    else break;
  }
  const program = (words[i] ?? "").replace(/^["']|["']$/g, "").split("/").pop();
  if (program !== "yum" && program !== "dnf") return false;
  const rest = words.slice(i + 1);
  return rest.includes("install") && !rest.includes("--downloadonly");
}

/** Releases written literally after the package name: `kernel-hotfix-4375449-22.2.al7.x86_64` → `22.2.al7.x86_64`. */
function pinnedReleasesIn(text: string, hotfixPackage: string): string[] {
  const releases: string[] = [];
  let at = text.indexOf(hotfixPackage);
  while (at >= 0) {
    const literal = /^-([0-9][0-9A-Za-z._]*[0-9A-Za-z_])(?![$`{(])/.exec(text.slice(at + hotfixPackage.length));
    if (literal) releases.push(literal[1]);
    at = text.indexOf(hotfixPackage, at + hotfixPackage.length);
  }
  return releases;
}

/**
 * Shell variables whose value names the package, directly or through other such variables (to a fixpoint), each
 * with the releases its value pins.
 */
function variablesNaming(lines: readonly string[], hotfixPackage: string): Map<string, string[]> {
  const assignments: { name: string; value: string }[] = [];
  for (const line of lines) {
    for (const match of line.matchAll(ASSIGNMENT)) assignments.push({ name: match[1], value: match[2] });
  }
  const naming = new Map<string, string[]>();
  for (const { name, value } of assignments) {
    if (value.includes(hotfixPackage)) naming.set(name, [...(naming.get(name) ?? []), ...pinnedReleasesIn(value, hotfixPackage)]);
  }
  for (let grew = naming.size > 0; grew; ) {
    grew = false;
    for (const { name, value } of assignments) {
      if (naming.has(name)) continue;
      const via = referencesOf(value).filter((ref) => naming.has(ref));
      if (via.length > 0) {
        naming.set(name, via.flatMap((ref) => naming.get(ref) ?? []));
        grew = true;
      }
    }
  }
  return naming;
}

function referencesOf(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((match) => match[1]);
}

/** The plain reading, plus the base64-decoded one when the value is valid base64 of mostly printable text. */
export function readingsOf(value: string): string[] {
  const readings = [value];
  const compact = value.replace(/\s+/g, "");
  if (compact.length >= 8 && compact.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    const decoded = Buffer.from(compact, "base64").toString("utf8");
    if (isMostlyText(decoded)) readings.push(decoded);
  }
  return readings;
}

function isMostlyText(text: string): boolean {
  if (text.length === 0) return false;
  let printable = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === 9 || code === 10 || code === 13 || (code >= 32 && code !== 0xfffd)) printable++;
  }
  return printable / text.length > 0.95;
}
