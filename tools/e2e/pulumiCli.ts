// Runs the real Pulumi CLI over the bundled examples, for test/e2e and `npm run demo`.
//
// Every run is hermetic: a temporary PULUMI_HOME, a local file backend (no Pulumi Cloud), an empty passphrase, no
// update check and no plugin downloads. The `alicloud` provider is the local STAND-IN (stand-in/), put on PATH so the
// engine picks it up as an ambient plugin; nothing calls Alibaba Cloud. Each example is copied to
// `.pulumi-e2e/<session>-<example>/` (git-ignored, two levels below the repository like `examples/<name>/`, so
// `@pulumi/*` and relative imports resolve from the root exactly as in place) because `pulumi stack init` writes the
// stack's encryption salt into `Pulumi.<stack>.yaml` next to `Pulumi.yaml`, which must not touch the repository.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const POLICY_PACK_DIR = path.join(REPO_ROOT, "policies");
export const EXAMPLES_DIR = path.join(REPO_ROOT, "examples");
export const STAND_IN_PROVIDER_DIR = path.join(REPO_ROOT, "stand-in", "pulumi-resource-alicloud");
export const ENSURE_CLI_SCRIPT = path.join(REPO_ROOT, "tools", "cli", "ensure-pulumi-cli.sh");
export const PACK_LAUNCHER_SCRIPT = path.join(REPO_ROOT, "tools", "cli", "policy-pack-launcher.sh");
const WORK_ROOT = path.join(REPO_ROOT, ".pulumi-e2e");

/** Exit code of tools/cli/ensure-pulumi-cli.sh when neither `pulumi` nor Go is available. */
export const CLI_UNAVAILABLE_EXIT_CODE = 3;
/** Exit code of tools/cli/ensure-pulumi-cli.sh when ALINUX_GUARD_NO_BUILD is set and the CLI is not built yet. */
export const CLI_NOT_BUILT_EXIT_CODE = 4;

export type CliStatus =
  | { readonly available: true; readonly binDir: string; readonly version: string }
  | { readonly available: false; readonly reason: string };

export interface EnsureCliOptions {
  /**
   * The current CLI (`ensure-pulumi-cli.sh --current`): `pulumi` v3.276.0 with `pulumi-language-yaml` and no Node.js
   * language host. It previews YAML programs and runs `pulumi policy analyze --file`; it runs Node.js packs but not
   * Node.js programs.
   */
  readonly current?: boolean;
  /** Use the CLI only if it is already on PATH or built; never start a build. */
  readonly noBuild?: boolean;
}

/**
 * Runs tools/cli/ensure-pulumi-cli.sh (which may build the CLI the first time; its progress goes to our stderr).
 * Exit 3 (no pulumi and no Go) or 4 (not built, noBuild) is reported as unavailable. Any other failure throws.
 */
export function ensurePulumiCli(options: EnsureCliOptions = {}): CliStatus {
  const args = [ENSURE_CLI_SCRIPT, ...(options.current ? ["--current"] : [])];
  const env = { ...process.env, ...(options.noBuild ? { ALINUX_GUARD_NO_BUILD: "1" } : {}) };
  const res = spawnSync("bash", args, { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "inherit"], encoding: "utf8" });
  if (res.error) throw res.error;
  if (res.status === CLI_UNAVAILABLE_EXIT_CODE) {
    return {
      available: false,
      reason: `neither \`pulumi\` (with ${options.current ? "pulumi-language-yaml" : "pulumi-language-nodejs"}) nor Go is installed, so tools/cli/ensure-pulumi-cli.sh cannot provide the Pulumi CLI`,
    };
  }
  if (res.status === CLI_NOT_BUILT_EXIT_CODE) {
    return {
      available: false,
      reason: `the CLI is not built yet (run \`bash tools/cli/ensure-pulumi-cli.sh${options.current ? " --current" : ""}\`)`,
    };
  }
  if (res.status !== 0) throw new Error(`tools/cli/ensure-pulumi-cli.sh failed with exit code ${String(res.status)}`);
  const binDir = res.stdout.trim().split("\n").pop() ?? "";
  const version = spawnSync(path.join(binDir, "pulumi"), ["version"], {
    encoding: "utf8",
    // Without this `pulumi version` spends ~7 s trying to reach the update service.
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  }).stdout.trim();
  return { available: true, binDir, version };
}

export interface PolicyEvent {
  readonly policyName: string;
  readonly policyPackName: string;
  readonly enforcementLevel: string;
  readonly message: string;
  readonly resourceUrn: string;
  readonly severity?: string;
}

export interface CliRun {
  readonly args: readonly string[];
  /** The version of the CLI that ran (as `pulumi version` prints it; empty when the session was not told). */
  readonly cliVersion: string;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout then stderr: what a person sees in the terminal (the order of the two streams aside). */
  readonly output: string;
  readonly durationMs: number;
}

/** Which stack policies of a pack passed and failed (`policyAnalyzeStackSummaryEvent`, current CLIs only). */
export interface PolicyStackSummary {
  readonly policyPackName: string;
  readonly passed: readonly string[];
  readonly failed: readonly string[];
}

export interface PreviewRun extends CliRun {
  /** Policy events from `--event-log` (`--json` omits them: pulumi/pulumi#18851). */
  readonly policyEvents: readonly PolicyEvent[];
  /** Stack-policy summaries from the event log; empty on CLIs that do not emit them (v3.68.0). */
  readonly stackSummaries: readonly PolicyStackSummary[];
  /** Error-severity diagnostics from the event log (e.g. the engine rejecting the policy pack config). */
  readonly errors: readonly string[];
  /** The `--event-log` file itself (in the session's temporary directory, removed by dispose()); absent for runs whose events come on stdout (`policy analyze --json`). */
  readonly eventLog?: string;
}

export interface PreviewOptions {
  /** `--policy-pack-config` file (absolute, or relative to the repository root). */
  readonly policyPackConfig?: string;
  /** `--policy-pack` directory (absolute, or relative to the repository root; default policies/). */
  readonly policyPack?: string;
  /** Further `pulumi preview` arguments. */
  readonly extraArgs?: readonly string[];
  /** Stack of the example's work copy (default `e2e`, created with the copy; others via `inExample(["stack", "init", …])`). */
  readonly stack?: string;
  /** Further environment variables (e.g. PULUMI_ENABLE_STREAMING_JSON_PREVIEW). */
  readonly env?: NodeJS.ProcessEnv;
}

interface EngineEventLine {
  readonly policyEvent?: PolicyEvent;
  readonly policyAnalyzeStackSummaryEvent?: {
    readonly policyPackName: string;
    readonly passed?: string[];
    readonly failed?: string[];
  };
  readonly diagnosticEvent?: { readonly message: string; readonly severity: string };
}

/** Parses engine events, one JSON object per line (an `--event-log` file, or `--json` output of `policy analyze`). */
export function parseEngineEvents(text: string): {
  policyEvents: PolicyEvent[];
  stackSummaries: PolicyStackSummary[];
  errors: string[];
} {
  const policyEvents: PolicyEvent[] = [];
  const stackSummaries: PolicyStackSummary[] = [];
  const errors: string[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let event: EngineEventLine;
    try {
      event = JSON.parse(line) as EngineEventLine;
    } catch {
      continue; // A torn last line when the CLI is killed.
    }
    if (event.policyEvent) policyEvents.push(event.policyEvent);
    const summary = event.policyAnalyzeStackSummaryEvent;
    if (summary)
      stackSummaries.push({
        policyPackName: summary.policyPackName,
        passed: summary.passed ?? [],
        failed: summary.failed ?? [],
      });
    if (event.diagnosticEvent?.severity === "error") errors.push(event.diagnosticEvent.message.trim());
  }
  return { policyEvents, stackSummaries, errors };
}

/** Parses a `--event-log` file (one JSON engine event per line); a missing file has no events. */
export function readEventLog(file: string): ReturnType<typeof parseEngineEvents> {
  return parseEngineEvents(existsSync(file) ? readFileSync(file, "utf8") : "");
}

/**
 * How the CLI shows one policy result to a person, on every CLI version this project runs: v3.68.0 prints
 * `[mandatory]  alinux-guard v0.1.0  <policy> (alicloud:ecs/instance:Instance: <name>)`, current CLIs
 * `- [mandatory] [severity: critical]  <policy>  (alicloud:ecs:Instance: <name>)` (the type token shortened). Only
 * the level, the policy and the resource are matched, on one line.
 */
export function shownPolicyResult(
  level: "mandatory" | "advisory",
  policy: string,
  resource?: { type: string; name: string },
): RegExp {
  const esc = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const shortType = resource?.type.replace(/^([^:]+):([^:/]+)\/[^:]+:/, "$1:$2:");
  const types = resource ? [...new Set([resource.type, shortType ?? resource.type])].map(esc).join("|") : "";
  const where = resource ? `[^\\n]*\\((?:${types}): ${esc(resource.name)}\\)` : "";
  return new RegExp(`\\[${level}\\][^\\n]*\\s${esc(policy)}\\s${where}`);
}

/** Whether `pulumi` in binDir starts a Node.js policy pack given as a directory (see policyPackArgument). */
function hasNodejsPackStarter(binDir: string, searchPath: string): boolean {
  const dirs = [binDir, ...searchPath.split(path.delimiter).filter((d) => d !== "")];
  return dirs.some(
    (d) =>
      existsSync(path.join(d, "pulumi-language-nodejs")) ||
      (d === binDir && existsSync(path.join(d, "pulumi-analyzer-policy-nodejs"))),
  );
}

/** One hermetic CLI environment: its own PULUMI_HOME, file backend and work copies. Call dispose() at the end. */
export class PulumiSession {
  readonly id = `${process.pid}-${randomBytes(3).toString("hex")}`;
  readonly tmpDir: string;
  readonly env: NodeJS.ProcessEnv;
  private readonly stacks = new Map<string, string>();
  private eventLogCounter = 0;
  /** Whether this CLI starts a directory pack itself (see policyPackArgument). */
  private readonly startsDirectoryPacks: boolean;

  /** `cliVersion` (what `pulumi version` printed) is recorded on every run of this session. */
  constructor(
    readonly binDir: string,
    readonly cliVersion = "",
  ) {
    this.tmpDir = mkdtempSync(path.join(os.tmpdir(), "alinux-guard-e2e-"));
    const home = path.join(this.tmpDir, "pulumi-home");
    mkdirSync(home, { recursive: true });
    this.env = {
      ...process.env,
      PATH: [binDir, STAND_IN_PROVIDER_DIR, process.env["PATH"] ?? ""].join(path.delimiter),
      PULUMI_HOME: home,
      PULUMI_CONFIG_PASSPHRASE: "",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      // `--event-log` is a debug flag before v3.13x; this makes it visible on the CLI we build (v3.68.0).
      PULUMI_DEBUG_COMMANDS: "true",
      // Example programs are type-checked by the repository's `tsc`; skipping ts-node's type check per preview saves
      // about 1.5 s of CPU each (measured on 2 cores).
      PULUMI_NODEJS_TRANSPILE_ONLY: "true",
      // No colour codes in the captured output.
      NO_COLOR: "1",
    };
    delete this.env["PULUMI_ACCESS_TOKEN"];
    delete this.env["PULUMI_BACKEND_URL"];
    this.startsDirectoryPacks = hasNodejsPackStarter(binDir, this.env["PATH"] ?? "");
  }

  /**
   * What `--policy-pack` is given for a pack directory: the directory itself when the CLI can start a Node.js pack
   * from a directory (a Node.js language host beside it or on PATH, or the `pulumi-analyzer-policy-nodejs` fallback
   * of CLIs before v3.274.0); otherwise (the current CLI built here, v3.274.0+, whose language host cannot be built)
   * an executable that starts the same pack process as the language host would (tools/cli/policy-pack-launcher.sh).
   */
  policyPackArgument(packDir: string): string {
    if (this.startsDirectoryPacks) return packDir;
    const res = spawnSync("bash", [PACK_LAUNCHER_SCRIPT, packDir], { env: this.env, encoding: "utf8" });
    if (res.error) throw res.error;
    if (res.status !== 0) throw new Error(`tools/cli/policy-pack-launcher.sh ${packDir} failed:\n${res.stderr}`);
    return res.stdout.trim();
  }

  /** Runs `pulumi <args>` in `cwd` and collects its output. Never throws on a non-zero exit. */
  run(args: readonly string[], cwd: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<CliRun> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(this.binDir, "pulumi"), [...args], {
        cwd,
        env: { ...this.env, ...extraEnv },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code, signal) => {
        resolve({
          args,
          cliVersion: this.cliVersion,
          exitCode: code ?? (signal ? 128 : 1),
          stdout,
          stderr,
          output: `${stdout}\n${stderr}`,
          durationMs: Date.now() - started,
        });
      });
    });
  }

  /**
   * A work copy of `examples/<example>` with a stack `e2e` on the session's file backend (created once, reused by
   * later previews of the same example).
   */
  async stackFor(example: string): Promise<string> {
    const existing = this.stacks.get(example);
    if (existing) return existing;
    const source = path.join(EXAMPLES_DIR, example);
    if (!existsSync(path.join(source, "Pulumi.yaml"))) throw new Error(`no example ${example} (${source}/Pulumi.yaml)`);
    const workDir = path.join(WORK_ROOT, `${this.id}-${example}`);
    mkdirSync(WORK_ROOT, { recursive: true });
    cpSync(source, workDir, {
      recursive: true,
      filter: (src) => !/(^|[\\/])(node_modules|Pulumi\.[^\\/]+\.yaml)$/.test(src),
    });
    mkdirSync(path.join(this.tmpDir, "state", example), { recursive: true });
    this.stacks.set(example, workDir);
    await this.initStack(example, "e2e");
    return workDir;
  }

  /** Creates another stack in the example's work copy, configured like `e2e` (alicloud:region only). */
  async initStack(example: string, stack: string): Promise<void> {
    const workDir = this.stacks.get(example) ?? (await this.stackFor(example));
    writeFileSync(path.join(workDir, `Pulumi.${stack}.yaml`), "config:\n  alicloud:region: cn-hangzhou\n");
    const init = await this.run(["stack", "init", stack, "--non-interactive"], workDir, {
      PULUMI_BACKEND_URL: this.backendFor(example),
    });
    if (init.exitCode !== 0) throw new Error(`pulumi stack init ${stack} failed for ${example}:\n${init.output}`);
  }

  /** The file backend of an example's work copy (PULUMI_BACKEND_URL), for commands run outside this class. */
  backendFor(example: string): string {
    return `file://${path.join(this.tmpDir, "state", example)}`;
  }

  /** `pulumi preview --policy-pack policies [--policy-pack-config …]` on one example. */
  async preview(example: string, options: PreviewOptions = {}): Promise<PreviewRun> {
    const workDir = await this.stackFor(example);
    const eventLog = path.join(this.tmpDir, `events-${example}-${++this.eventLogCounter}.jsonl`);
    const pack = options.policyPack ? path.resolve(REPO_ROOT, options.policyPack) : POLICY_PACK_DIR;
    const args = [
      "preview",
      "--non-interactive",
      "--color",
      "never",
      "--stack",
      options.stack ?? "e2e",
      "--policy-pack",
      this.policyPackArgument(pack),
    ];
    if (options.policyPackConfig) args.push("--policy-pack-config", path.resolve(REPO_ROOT, options.policyPackConfig));
    args.push("--event-log", eventLog, ...(options.extraArgs ?? []));
    const run = await this.run(args, workDir, { ...options.env, PULUMI_BACKEND_URL: this.backendFor(example) });
    return { ...run, ...readEventLog(eventLog), eventLog };
  }

  /** Any other command in the example's work copy (e.g. `up`, `stack export`), on its file backend. */
  async inExample(example: string, args: readonly string[]): Promise<CliRun> {
    const workDir = await this.stackFor(example);
    return this.run(args, workDir, { PULUMI_BACKEND_URL: this.backendFor(example) });
  }

  /** Whether this CLI has a (sub)command, e.g. ["policy", "analyze"]. */
  async hasCommand(words: readonly string[]): Promise<boolean> {
    const res = await this.run([...words, "--help"], this.tmpDir);
    // Cobra prints the parent's help (exit 0) for an unknown subcommand: compare the usage line.
    return res.exitCode === 0 && res.stdout.includes(`pulumi ${words.join(" ")} [`);
  }

  /**
   * `pulumi policy analyze --file <export> --policy-pack policies [--policy-pack-config …]`: the audit of an
   * already-deployed stack, without its program or any provider. Needs a CLI that has the command (>= 3.249).
   */
  analyzeExport(
    exportFile: string,
    options: { readonly policyPackConfig?: string; readonly extraArgs?: readonly string[] } = {},
  ): Promise<CliRun> {
    const args = [
      "policy",
      "analyze",
      "--file",
      exportFile,
      "--policy-pack",
      this.policyPackArgument(POLICY_PACK_DIR),
      "--non-interactive",
      "--color",
      "never",
    ];
    if (options.policyPackConfig) args.push("--policy-pack-config", path.resolve(REPO_ROOT, options.policyPackConfig));
    args.push(...(options.extraArgs ?? []));
    return this.run(args, REPO_ROOT);
  }

  /** The same audit with `--json`: the engine's events as JSON lines on stdout (policy events with their severity). */
  async analyzeExportEvents(
    exportFile: string,
    options: { readonly policyPackConfig?: string } = {},
  ): Promise<PreviewRun> {
    const args = [
      "policy",
      "analyze",
      "--file",
      exportFile,
      "--policy-pack",
      this.policyPackArgument(POLICY_PACK_DIR),
      "--non-interactive",
      "--json",
    ];
    if (options.policyPackConfig) args.push("--policy-pack-config", path.resolve(REPO_ROOT, options.policyPackConfig));
    const run = await this.run(args, REPO_ROOT);
    return { ...run, ...parseEngineEvents(run.stdout) };
  }

  dispose(): void {
    for (const workDir of this.stacks.values()) rmSync(workDir, { recursive: true, force: true });
    rmSync(this.tmpDir, { recursive: true, force: true });
  }
}
