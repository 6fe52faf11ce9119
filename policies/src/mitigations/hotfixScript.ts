/**
 * Recognises a script that installs the kernel hotfix, by what it does rather than by who wrote it: some
 * non-comment line runs `yum install` / `dnf install` and some non-comment line names the hotfix package.
 * Scripts arrive as plain text or base64 (Cloud Assistant command content is always base64; user data may be
 * either), so both readings are tried.
 */
export function scriptInstallsHotfix(value: string, hotfixPackage: string): boolean {
  return readingsOf(value).some((text) => textInstallsHotfix(text, hotfixPackage));
}

const INSTALL_LINE = /\b(?:yum|dnf)\b[^\n]*\binstall\b/;

function textInstallsHotfix(text: string, hotfixPackage: string): boolean {
  let installs = false;
  let names = false;
  for (const rawLine of text.split("\n")) {
    const line = rawLine.trim();
    if (line.startsWith("#")) continue;
    installs ||= INSTALL_LINE.test(line);
    names ||= line.includes(hotfixPackage);
    if (installs && names) return true;
  }
  return false;
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
