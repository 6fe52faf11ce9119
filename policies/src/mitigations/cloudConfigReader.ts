import type { Tags } from "yaml";
import { combineReadings, literal, optionsForParts, ReadOptions, ScriptEffect, ScriptReading } from "./scriptEffects";
import { readShellScript } from "./shellScriptReader";

/**
 * Reads a `#cloud-config` document (YAML, parsed with the `yaml` package, loaded on first use) the way cloud-init
 * runs it on first boot, in its module order: `bootcmd` (init stage), `packages` / `package_upgrade`
 * (package-update-upgrade-install), `runcmd` (written as one shell script, run by scripts-user in the final stage),
 * then `power_state` (reboot last). A `runcmd` / `bootcmd` entry is a string (a shell line) or a list (argv, quoted
 * by cloud-init). `write_files` only writes files: nothing written there runs unless another entry runs it, and the
 * static reading does not follow that. `package_reboot_if_required` is not a reboot on Alibaba Cloud Linux: cloud-init
 * (cc_package_update_upgrade_install.py, REBOOT_FILE) reboots only if /var/run/reboot-required exists, which apt
 * writes and yum never does. A string entry is a shell line; a list entry is argv (Red Hat's cloud-init guide for
 * RHEL 8, "cloud-init and shell scripts").
 *
 * As cloud-init reads it: cloud-init loads the document with PyYAML's `safe_load`, which is YAML 1.1, so the
 * document is parsed as YAML 1.1 here (octal `0755`, merge keys `<<`), with PyYAML's booleans: `yes`/`no`/`on`/`off`/
 * `true`/`false` in their three spellings (the `yaml` package's 1.1 schema also takes `y`/`n`, PyYAML does not). Its
 * switches are then read as cloud-init reads them (util.get_cfg_option_bool → translate_bool): a boolean, or a
 * string or number whose text is `true`/`1`/`on`/`yes` in any case, so `package_upgrade: "yes"` and
 * `package_upgrade: 1` upgrade too; `package_upgrade` or its old name `apt_upgrade` (cc_package_update_upgrade_install
 * checks both). `power_state` reboots unless its `condition` is false or a command (whose exit status the static
 * reading does not know: not counted).
 */
export async function readCloudConfig(
  text: string,
  documentOptions: ReadOptions = {},
  /**
   * When the document is one of several #cloud-config parts of the same user data: its parse (already made to
   * merge them), and the keys later parts set, which cloud-init's merge replaces (see parseCloudConfig).
   */
  merged?: { readonly parsed: ParsedCloudConfig; readonly replacedByLater: ReadonlySet<string> },
): Promise<ScriptReading> {
  const options = optionsForParts([text], documentOptions);
  const parsed = merged?.parsed ?? (await parseCloudConfig(text));
  if ("reason" in parsed) return { state: "cannot-be-read", reason: parsed.reason };
  if (parsed.config === undefined) return { state: "runs", effects: [], notes: [] };
  const c: Record<string, unknown> = { ...parsed.config };
  for (const key of merged?.replacedByLater ?? []) delete c[key];
  const parts: { reading: ScriptReading; what: string }[] = [];

  for (const module of ["bootcmd"] as const) {
    const script = commandListScript(c[module]);
    if (script === null)
      parts.push({
        reading: { state: "cannot-be-read", reason: `its ${module} is not a list of commands` },
        what: module,
      });
    else if (script !== undefined)
      parts.push({ reading: await readShellScript(script, module, options), what: module });
  }

  const packageEffects: ScriptEffect[] = [];
  const base = {
    origin: "packages",
    kernelConditions: [],
    runsAs: "root" as const,
    assumeYes: true,
    downloadOnly: false,
    opaqueArguments: false,
    manager: "cloud-init" as const,
  };
  const upgrade = ["package_upgrade", "apt_upgrade"].find((key) => cloudInitTrue(c[key]));
  if (upgrade) packageEffects.push({ kind: "update", packages: [], ...base, origin: upgrade });
  if (c.packages !== undefined) {
    if (!Array.isArray(c.packages))
      parts.push({ reading: { state: "cannot-be-read", reason: "its packages is not a list" }, what: "packages" });
    else {
      const names = c.packages.map(packageName).filter((n): n is string => n !== undefined);
      if (names.length > 0) packageEffects.push({ kind: "install", packages: names.map(literal), ...base });
    }
  }
  if (packageEffects.length > 0)
    parts.push({ reading: { state: "runs", effects: packageEffects, notes: [] }, what: "packages" });

  const runcmd = commandListScript(c.runcmd);
  if (runcmd === null)
    parts.push({
      reading: { state: "cannot-be-read", reason: "its runcmd is not a list of commands" },
      what: "runcmd",
    });
  else if (runcmd !== undefined)
    parts.push({ reading: await readShellScript(runcmd, "runcmd", options), what: "runcmd" });

  const power = c.power_state as Record<string, unknown> | undefined;
  const condition = power && typeof power === "object" && "condition" in power ? power.condition : true;
  if (power && typeof power === "object" && power.mode === "reboot" && condition !== true) {
    parts.push({
      reading: {
        state: "runs",
        effects: [],
        notes: ["power_state has a condition: its reboot is not counted"],
      },
      what: "power_state",
    });
  } else if (power && typeof power === "object" && power.mode === "reboot") {
    parts.push({
      reading: {
        state: "runs",
        effects: [
          { kind: "reboot", how: "power_state reboot", origin: "power_state", kernelConditions: [], runsAs: "root" },
        ],
        notes: [],
      },
      what: "power_state",
    });
  }
  if (Array.isArray(c.write_files) && c.write_files.length > 0) {
    parts.push({
      reading: { state: "runs", effects: [], notes: ["files in write_files are only written, not run"] },
      what: "write_files",
    });
  }
  if (cloudInitTrue(c.package_reboot_if_required) || cloudInitTrue(c.apt_reboot_if_required)) {
    parts.push({
      reading: {
        state: "runs",
        effects: [],
        notes: [
          "package_reboot_if_required does not reboot Alibaba Cloud Linux (cloud-init checks a Debian-only file)",
        ],
      },
      what: "package_reboot_if_required",
    });
  }
  if (parts.length === 0) return { state: "runs", effects: [], notes: [] };
  const combined = combineReadings(parts);
  return combined.state === "runs"
    ? combined
    : {
        state: "runs",
        effects: [],
        notes: [
          `${parts[0].what} ${combined.state === "does-not-run" ? "does not run" : "cannot be read"}: ${combined.reason}`,
        ],
      };
}

/** A #cloud-config document as cloud-init loads it: a mapping (undefined for an empty document), or why it cannot be read. */
export type ParsedCloudConfig = { readonly config: Record<string, unknown> | undefined } | { readonly reason: string };

/**
 * Parses a #cloud-config document. Several parts of one user data are merged by cloud-init (handlers/cloud_config.py:
 * DEF_MERGERS `dict(replace)+list()+str()`): a later part's top-level key replaces an earlier part's, lists included,
 * so two parts' `runcmd` lists are not joined; a part that cannot be read is skipped (it replaces nothing).
 */
export async function parseCloudConfig(text: string): Promise<ParsedCloudConfig> {
  const { parseDocument } = await (yamlModule ??= import("yaml"));
  let config: unknown;
  try {
    const document = parseDocument(text, { uniqueKeys: false, version: "1.1", customTags: pyyamlBooleans });
    if (document.errors.length > 0) return { reason: "its #cloud-config is not valid YAML" };
    config = document.toJS({ maxAliasCount: 100 });
  } catch {
    return { reason: "its #cloud-config is not valid YAML" };
  }
  if (config === null || config === undefined) return { config: undefined };
  if (typeof config !== "object" || Array.isArray(config)) return { reason: "its #cloud-config is not a YAML mapping" };
  return { config: config as Record<string, unknown> };
}

/** cloud-init's util.translate_bool: a boolean, or text (of a string or number) it takes as true. */
function cloudInitTrue(value: unknown): boolean {
  if (typeof value === "boolean") return value;
  if (typeof value !== "string" && typeof value !== "number") return false;
  return ["true", "1", "on", "yes"].includes(String(value).toLowerCase().trim());
}

const PYYAML_TRUE = /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/;
const PYYAML_FALSE = /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/;

/** The YAML 1.1 schema's booleans, as PyYAML resolves them (without `y` / `n`). */
function pyyamlBooleans(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag !== "object" || tag.tag !== "tag:yaml.org,2002:bool" || !("test" in tag) || !tag.test) return tag;
    return { ...tag, test: tag.test.test("yes") ? PYYAML_TRUE : PYYAML_FALSE };
  });
}

/** Loaded on first use, then reused (each `import()` call is a trip through the module loader). */
let yamlModule: Promise<typeof import("yaml")> | undefined;

/**
 * The shell script cloud-init makes of a `runcmd` / `bootcmd` list: strings as lines, lists as quoted argv.
 * Undefined when absent; null when it is not such a list.
 */
function commandListScript(value: unknown): string | undefined | null {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) return null;
  const lines: string[] = [];
  for (const entry of value) {
    if (typeof entry === "string") lines.push(entry);
    else if (Array.isArray(entry) && entry.every((w) => ["string", "number", "boolean"].includes(typeof w)))
      // cloud-init quotes str() of each word: a YAML 1.1 boolean is `True` / `False`.
      lines.push(entry.map((w) => shellQuote(typeof w === "boolean" ? (w ? "True" : "False") : String(w))).join(" "));
    else return null;
  }
  return `#!/bin/sh\n${lines.join("\n")}\n`;
}

function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `name`, or `[name, version]` → `name-version` (cloud-init's form for a pinned version). */
function packageName(entry: unknown): string | undefined {
  if (typeof entry === "string") return entry;
  if (Array.isArray(entry) && entry.length === 2 && entry.every((w) => typeof w === "string"))
    return `${entry[0]}-${entry[1]}`;
  return undefined;
}
