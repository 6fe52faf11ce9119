import { gunzipSync } from "node:zlib";
import { parseCloudConfig, ParsedCloudConfig, readCloudConfig } from "./cloudConfigReader";
import { combineReadings, optionsForParts, ReadOptions, ScriptReading } from "./scriptEffects";
import { readShellScript } from "./shellScriptReader";

/**
 * Reads ECS user data as the instance gets it and cloud-init runs it: Base64 (the API's encoding; a value that is
 * not Base64 is sent as plain text by the provider) decoded, gzip (magic 1f 8b) inflated with node's zlib, a MIME
 * multi-part archive (`Content-Type: multipart/…`, parsed with `postal-mime`, which decodes each part's
 * Content-Transfer-Encoding: base64 or quoted-printable) split into parts by their Content-Type, then each part by
 * its type or first line:
 * - `#!` shell script (text/x-shellscript): runs, if the `#!` line names a shell and does not end in CR (a CRLF
 *   `#!` line makes the kernel look for `/bin/bash\r`: "bad interpreter"); without a `#!` line cloud-init does not
 *   run it;
 * - `#cloud-config` (text/cloud-config): cloudConfigReader.ts;
 * - `#include`, `#include-once`, text/x-include-url: URLs are not followed (nothing fetched is known);
 * - `#cloud-boothook`, `#part-handler`, `## template: jinja`, `#cloud-config-archive`, text/plain parts: not read.
 */
export async function readUserData(value: string, options: ReadOptions = {}): Promise<ScriptReading> {
  const decoded = decodeTransport(value);
  if ("reason" in decoded) return { state: "cannot-be-read", reason: decoded.reason };
  return readDocument(decoded.text, 0, options);
}

/** Inflated user data is not read past this (ECS user data is at most 32 KiB before encoding). */
const MAX_INFLATED_BYTES = 4 * 1024 * 1024;
const MAX_MIME_DEPTH = 4;
const KNOWN_PART_TYPES = new Set([
  "text/x-shellscript",
  "text/cloud-config",
  "text/x-include-url",
  "text/x-include-once-url",
  "text/cloud-boothook",
  "text/part-handler",
  "text/jinja2",
  "text/cloud-config-archive",
  "text/x-shellscript-per-boot",
  "text/x-shellscript-per-instance",
  "text/x-shellscript-per-once",
  "multipart/mixed",
  "application/x-gzip",
]);
/** MIME part types whose parts cloud-init runs as programs (so they need a #! line). */
const SCRIPT_PART_TYPES = new Set([
  "text/x-shellscript",
  "text/x-shellscript-per-boot",
  "text/x-shellscript-per-instance",
  "text/x-shellscript-per-once",
  "text/cloud-boothook",
]);
/** Loaded on first use, then reused (each `import()` call is a trip through the module loader). */
let postalMime: ReturnType<typeof loadPostalMime> | undefined;
const loadPostalMime = async () => (await import("postal-mime")).default;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** A character that is neither Base64 nor white space: the value is plain text (found without copying it). */
const NOT_BASE64 = /[^A-Za-z0-9+/=\s]/;
const SURROGATES = /[\uD800-\uDFFF]/;

function decodeTransport(value: string): { text: string } | { reason: string } {
  const compact = NOT_BASE64.test(value) ? undefined : value.replace(/\s+/g, "");
  if (compact === undefined || compact.length < 4 || compact.length % 4 !== 0 || !BASE64.test(compact)) {
    // Plain text, sent as UTF-8: never gzip (the magic's 0x8b cannot follow an ASCII byte in UTF-8). Only lone
    // surrogates change on the way (to U+FFFD), so only then is the text taken through UTF-8.
    return { text: SURROGATES.test(value) ? Buffer.from(value, "utf8").toString("utf8") : value };
  }
  let bytes = Buffer.from(compact, "base64");
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes, { maxOutputLength: MAX_INFLATED_BYTES });
    } catch {
      return { reason: "its gzip data is corrupt or inflates past 4 MiB" };
    }
  }
  return { text: bytes.toString("utf8") };
}

async function readDocument(text: string, depth: number, options: ReadOptions): Promise<ScriptReading> {
  const firstLine = text.slice(0, text.indexOf("\n") >= 0 ? text.indexOf("\n") : text.length);
  if (/^(content-type|mime-version):/i.test(firstLine)) return readMultipart(text, depth, options);
  return readByFirstLine(text, firstLine, undefined, options);
}

async function readByFirstLine(
  text: string,
  firstLine: string,
  contentType: string | undefined,
  options: ReadOptions,
): Promise<ScriptReading> {
  const type = contentType?.toLowerCase();
  // cloud-init gives a MIME part to the handler of its Content-Type (only an untyped text/plain part, which is not
  // read here, or a gzip'd one is typed by its first line): a text/cloud-config part is YAML whatever its first
  // line, a script part needs its #! line, and a #! line in a part of another type runs nothing.
  const typed = type !== undefined && type !== "application/x-gzip";
  if (type === "text/cloud-config") return readCloudConfig(text, options);
  if (firstLine.startsWith("#!") && (!typed || SCRIPT_PART_TYPES.has(type))) {
    if (firstLine.endsWith("\r"))
      return { state: "does-not-run", reason: "its #! line ends in CRLF (bad interpreter)" };
    const shebang = /^#!\s*(\/usr)?\/bin\/(env\s+)?(ba|da|k|z)?sh(?:\s+(.*?))?\s*$/.exec(firstLine);
    if (!shebang) return { state: "cannot-be-read", reason: "its #! line names no shell the pack reads" };
    const [, , env, , argument] = shebang;
    // The kernel passes the rest of the #! line as one argument: `env` then looks for a program named "bash -e".
    if (env && argument) return { state: "does-not-run", reason: "its #! line gives env a program name with options" };
    // `-n` reads without running, `-s` reads commands from standard input, `-c` runs the script's path as a command.
    if (argument && /^-[a-zA-Z]*[nsc]/.test(argument))
      return { state: "does-not-run", reason: "its #! line's shell options keep the script from running" };
    return readShellScript(text, "a shell script", options);
  }
  if (/^#cloud-config\s*$/.test(firstLine) && !typed) return readCloudConfig(text, options);
  if (
    (/^#include(-once)?\b/.test(firstLine) && !typed) ||
    type === "text/x-include-url" ||
    type === "text/x-include-once-url"
  ) {
    return { state: "does-not-run", reason: "it includes URLs, which the pack does not follow" };
  }
  if (
    /^#(cloud-boothook|part-handler|cloud-config-archive|cloud-config-jsonp|upstart-job)\b/.test(firstLine) ||
    /^##\s*template:/.test(firstLine)
  ) {
    return { state: "cannot-be-read", reason: "it is a kind of user data the pack does not read" };
  }
  if (typed) return { state: "does-not-run", reason: "it has no #! line" };
  return { state: "does-not-run", reason: "it has no #! line (cloud-init does not run it)" };
}

/**
 * Several text/cloud-config parts in one archive are merged by cloud-init into one configuration, by default a
 * later part's top-level key replacing an earlier part's (cloudConfigReader.ts parseCloudConfig): for each such part,
 * its parse and the keys later parts set. A part or header that sets its own merge rules (`merge_how` / `merge_type`, a
 * `Merge-Type` / `X-Merge-Type` header anywhere in the archive) could join or drop lists in ways the pack does not
 * follow: `ownRules`, and then no #cloud-config part of the archive counts. One part alone merges with nothing.
 */
async function cloudConfigMerge(
  archive: string,
  types: readonly string[],
  contents: readonly string[],
): Promise<{
  merged: Map<number, { parsed: ParsedCloudConfig; replacedByLater: ReadonlySet<string> }>;
  ownRules: boolean;
}> {
  const merged = new Map<number, { parsed: ParsedCloudConfig; replacedByLater: ReadonlySet<string> }>();
  const parts = types.flatMap((type, i) => (type === "text/cloud-config" ? [i] : []));
  if (parts.length < 2) return { merged, ownRules: false };
  const parsed = await Promise.all(parts.map((i) => parseCloudConfig(contents[i])));
  const keys = parsed.map((p) => new Set("config" in p ? Object.keys(p.config ?? {}) : []));
  const ownRules =
    /^(x-)?merge-type\s*:/im.test(archive) || keys.some((k) => k.has("merge_how") || k.has("merge_type"));
  const later = new Set<string>();
  for (let k = parts.length - 1; k >= 0; k--) {
    merged.set(parts[k], { parsed: parsed[k], replacedByLater: new Set(later) });
    for (const key of keys[k]) later.add(key);
  }
  return { merged, ownRules };
}

async function readMultipart(text: string, depth: number, documentOptions: ReadOptions): Promise<ScriptReading> {
  if (depth >= MAX_MIME_DEPTH) return { state: "cannot-be-read", reason: "its MIME parts are nested too deeply" };
  const PostalMime = await (postalMime ??= loadPostalMime());
  let parsed: Awaited<ReturnType<typeof PostalMime.parse>>;
  try {
    parsed = await PostalMime.parse(text, { maxNestingDepth: 16, attachmentEncoding: "arraybuffer" });
  } catch {
    return { state: "cannot-be-read", reason: "its MIME multi-part archive is malformed" };
  }
  const parts: { reading: ScriptReading; what: string }[] = [];
  const contents = parsed.attachments.map((attachment) =>
    Buffer.from(attachment.content as ArrayBuffer).toString("utf8"),
  );
  const options = optionsForParts(contents, documentOptions);
  const merging = await cloudConfigMerge(
    text,
    parsed.attachments.map((a) => a.mimeType.toLowerCase()),
    contents,
  );
  for (const [i, attachment] of parsed.attachments.entries()) {
    const content = contents[i];
    // Name the part's type only when it is one cloud-init knows: a header of user data is never echoed otherwise.
    const what = `MIME part ${i + 1} (${KNOWN_PART_TYPES.has(attachment.mimeType.toLowerCase()) ? attachment.mimeType.toLowerCase() : "of another type"})`;
    const firstLine = content.slice(0, content.indexOf("\n") >= 0 ? content.indexOf("\n") : content.length);
    const type = attachment.mimeType.toLowerCase();
    const merged = merging.merged.get(i);
    const reading = /^multipart\//.test(type)
      ? await readMultipart(content, depth + 1, options)
      : merged && merging.ownRules
        ? {
            state: "cannot-be-read" as const,
            reason:
              "its #cloud-config parts set their own merge rules (merge_how, Merge-Type), which the pack does not follow",
          }
        : merged
          ? await readCloudConfig(content, options, merged)
          : KNOWN_PART_TYPES.has(type)
            ? await readByFirstLine(content, firstLine, type, options)
            : { state: "does-not-run" as const, reason: "cloud-init has no handler for its Content-Type" };
    parts.push({ reading, what });
  }
  if (parsed.text?.trim() || parsed.html?.trim()) {
    parts.push({
      reading: { state: "cannot-be-read", reason: "text/plain and text/html parts are not read" },
      what: "a text/plain MIME part",
    });
  }
  if (parts.length === 0) return { state: "cannot-be-read", reason: "its MIME archive has no parts" };
  return combineReadings(parts);
}
