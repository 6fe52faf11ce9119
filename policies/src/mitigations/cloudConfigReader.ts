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
 */
export async function readCloudConfig(text: string, documentOptions: ReadOptions = {}): Promise<ScriptReading> {
  const options = optionsForParts([text], documentOptions);
  const { parseDocument } = await (yamlModule ??= import("yaml"));
  let config: unknown;
  try {
    const document = parseDocument(text, { uniqueKeys: false });
    if (document.errors.length > 0) return { state: "cannot-be-read", reason: "its #cloud-config is not valid YAML" };
    config = document.toJS({ maxAliasCount: 100 });
  } catch {
    return { state: "cannot-be-read", reason: "its #cloud-config is not valid YAML" };
  }
  if (config === null || config === undefined) return { state: "runs", effects: [], notes: [] };
  if (typeof config !== "object" || Array.isArray(config))
    return { state: "cannot-be-read", reason: "its #cloud-config is not a YAML mapping" };
  const c = config as Record<string, unknown>;
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
  if (c.package_upgrade === true)
    packageEffects.push({ kind: "update", packages: [], ...base, origin: "package_upgrade" });
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
  if (power && typeof power === "object" && power.mode === "reboot") {
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
  if (c.package_reboot_if_required === true) {
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
    else if (Array.isArray(entry) && entry.every((w) => typeof w === "string" || typeof w === "number"))
      lines.push(entry.map((w) => shellQuote(String(w))).join(" "));
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
