// Starts a policy pack the way the Pulumi Node language host does (RunPlugin in
// sdk/nodejs/cmd/pulumi-language-nodejs: `node <@pulumi/pulumi/cmd/run-policy-pack> <engineAddr> <packDir>`,
// resolved from the pack dir, cwd = pack dir, PULUMI_NODEJS_* / PULUMI_CONFIG environment) and reads the port
// from the first stdout line as pkg/resource/plugin/plugin.go does.
import { spawn, type ChildProcess } from "node:child_process";
import type { PackTree } from "./packTree";

/** What the language host puts in the pack's environment and on its command line. */
export interface SpawnOptions {
  organization: string;
  project: string;
  stack: string;
  /** `pulumi preview` (true) or `pulumi up` (false). */
  dryRun: boolean;
  /** Stack config, `"<project>:<key>" -> value`, passed as PULUMI_CONFIG. */
  stackConfig: Record<string, string>;
  /** Extra environment for the pack process. */
  env?: Record<string, string>;
  /** How long to wait for the port line. */
  startTimeoutMs?: number;
  /** Node.js options placed before the runner, like the `nodeargs` runtime option (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}

/** A pack process that has written a valid port line. */
export interface SpawnedPack {
  readonly child: ChildProcess;
  readonly port: number;
  /** The exact first stdout line the engine parsed as the port. */
  readonly firstStdoutLine: string;
  /** Wall time from spawn to the port line, in ms (what the engine waits for before Handshake). */
  readonly startupMs: number;
  /** stdout after the port line, and stderr, as far as they were read before the port line. */
  readonly stdoutRest: string;
  readonly stderr: string;
}

export class PackStartError extends Error {
  constructor(
    message: string,
    readonly stdout: string,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(message);
    this.name = "PackStartError";
  }
}

/** Spawn the pack in `packDir` like the language host and wait for its port line. */
export async function spawnPack(tree: PackTree, packDir: string, opts: SpawnOptions): Promise<SpawnedPack> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...(opts.env ?? {}) };
  // Keep the harness's own test-runner variables out of the pack, as a CLI-launched pack would not see them.
  for (const k of Object.keys(env)) if (k.startsWith("VITEST") || k.startsWith("__VITEST")) delete env[k];
  if (env.NODE_OPTIONS && /vitest|tsx/.test(env.NODE_OPTIONS)) delete env.NODE_OPTIONS;
  env.PULUMI_NODEJS_ORGANIZATION = opts.organization;
  env.PULUMI_NODEJS_PROJECT = opts.project;
  env.PULUMI_NODEJS_STACK = opts.stack;
  env.PULUMI_NODEJS_DRY_RUN = String(opts.dryRun);
  if (Object.keys(opts.stackConfig).length > 0) env.PULUMI_CONFIG = JSON.stringify(opts.stackConfig);
  else delete env.PULUMI_CONFIG;

  const t0 = performance.now();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), tree.runPolicyPackPath, "127.0.0.1:0", packDir], {
    cwd: packDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const { line, startupMs, stdoutBefore, stderrBefore } = await readPortLine(child, t0, opts.startTimeoutMs ?? 90_000);
  const port = parseEnginePort(line);
  if (port === undefined) {
    child.kill("SIGKILL");
    throw new PackStartError(
      `policy pack at ${packDir} wrote an invalid port to stdout: ${JSON.stringify(line)}`,
      stdoutBefore,
      stderrBefore,
      null,
    );
  }
  return {
    child,
    port,
    firstStdoutLine: line,
    startupMs,
    stdoutRest: stdoutBefore.slice(line.length + 1),
    stderr: stderrBefore,
  };
}

/**
 * The engine's port parsing (pkg/resource/plugin/plugin.go): read stdout one byte at a time up to the first
 * newline, strip two .NET console escape sequences, TrimSpace, Atoi, range 1..65535.
 */
export function parseEnginePort(line: string): number | undefined {
  const cleaned = line.replace("\x1b[?1h\x1b=", "").replace("\x1b[?1l\x1b>", "").trim();
  if (!/^[+-]?\d+$/.test(cleaned)) return undefined;
  const port = Number(cleaned);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return port;
}

function readPortLine(
  child: ChildProcess,
  t0: number,
  timeoutMs: number,
): Promise<{ line: string; startupMs: number; stdoutBefore: string; stderrBefore: string }> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdout?.off("data", onOut);
      child.stderr?.off("data", onErr);
      child.off("exit", onExit);
      f();
    };
    const onOut = (b: Buffer) => {
      out += b.toString("utf8");
      const nl = out.indexOf("\n");
      if (nl >= 0) {
        const startupMs = performance.now() - t0;
        finish(() => resolve({ line: out.slice(0, nl), startupMs, stdoutBefore: out, stderrBefore: err }));
      }
    };
    const onErr = (b: Buffer) => (err += b.toString("utf8"));
    const onExit = (code: number | null) => {
      let msg = `policy pack exited with code ${code} before writing its port`;
      if (err.includes("Cannot find module '@pulumi/pulumi/cmd/run-policy-pack'")) {
        msg = "it looks like the policy pack's dependencies are not installed; try running npm install or yarn install";
      }
      finish(() => reject(new PackStartError(`${msg}\nstderr:\n${err}`, out, err, code)));
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish(() =>
        reject(
          new PackStartError(
            `policy pack did not write its port within ${timeoutMs} ms\nstderr:\n${err}`,
            out,
            err,
            null,
          ),
        ),
      );
    }, timeoutMs);
    child.stdout?.on("data", onOut);
    child.stderr?.on("data", onErr);
    child.on("exit", onExit);
    child.on("error", (e) => finish(() => reject(new PackStartError(String(e), out, err, null))));
  });
}
