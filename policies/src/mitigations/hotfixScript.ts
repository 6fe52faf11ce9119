/**
 * Recognises a script that installs the kernel hotfix, by what it does rather than by who wrote it: a non-comment
 * line runs `yum install` / `dnf install` on the hotfix package — named on that line, or through shell variables
 * whose assignments (directly or through other variables) name it, as in `PKG="kernel-hotfix-4375449-$r"` then
 * `yum install -y "$PKG"`. A script that only mentions the package (an `echo`, a comment, an `rpm -q`) does not
 * count. Scripts arrive as plain text or base64 (Cloud Assistant command content is always base64; user data may
 * be either), so both readings are tried.
 */
export function scriptInstallsHotfix(value: string, hotfixPackage: string): boolean {
  const key = `${hotfixPackage}\u0000${value}`;
  let verdict = verdicts.get(key);
  if (verdict === undefined) {
    verdict = readingsOf(value).some((text) => textInstallsHotfix(text, hotfixPackage));
    // Large stacks repeat the same few scripts on thousands of resources; keep the memo bounded.
    if (verdicts.size >= MAX_REMEMBERED_SCRIPTS) verdicts.clear();
    verdicts.set(key, verdict);
  }
  return verdict;
}

const MAX_REMEMBERED_SCRIPTS = 512;
const verdicts = new Map<string, boolean>();

const COMMAND_SEPARATOR = /;|&&|\|\||\|/;
const INSTALL_LINE = /\b(?:yum|dnf)\b[^\n]*\binstall\b/;
const ASSIGNMENT = /(?:^|[\s;])([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|'[^']*'|[^\s;]*)/g;
const REFERENCE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

function textInstallsHotfix(text: string, hotfixPackage: string): boolean {
  const lines = text.split("\n").map((line) => line.trim()).filter((line) => line.length > 0 && !line.startsWith("#"));
  // Judge each command of a line on its own: `rpm -q <hotfix> || yum install -y kpatch` installs no hotfix.
  const installLines = lines.flatMap((line) => line.split(COMMAND_SEPARATOR)).filter((command) => INSTALL_LINE.test(command));
  if (installLines.length === 0) return false;
  if (installLines.some((line) => line.includes(hotfixPackage))) return true;
  const naming = variablesNaming(lines, hotfixPackage);
  return installLines.some((line) => referencesOf(line).some((name) => naming.has(name)));
}

/** Shell variables whose value names the package, directly or through other such variables (to a fixpoint). */
function variablesNaming(lines: readonly string[], hotfixPackage: string): Set<string> {
  const assignments: { name: string; value: string }[] = [];
  for (const line of lines) {
    for (const match of line.matchAll(ASSIGNMENT)) assignments.push({ name: match[1], value: match[2] });
  }
  const naming = new Set(assignments.filter((a) => a.value.includes(hotfixPackage)).map((a) => a.name));
  for (let grew = naming.size > 0; grew; ) {
    grew = false;
    for (const { name, value } of assignments) {
      if (!naming.has(name) && referencesOf(value).some((ref) => naming.has(ref))) {
        naming.add(name);
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
