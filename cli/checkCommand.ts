// `alinux-guard check [--cwd <dir>] [--stack <name>] [--policy-pack <dir>] [--policy-pack-config <file>] [report
// options]`: runs `pulumi preview` with the policy pack, shows progress on a terminal, prints the CLI's usual output,
// and writes the reports from the preview's engine events.
//
// Why the Automation API (`@pulumi/pulumi/automation`: LocalWorkspace, Stack.select, stack.preview({ policyPacks,
// policyPackConfigs, onEvent })) and not the CLI's streaming JSON: the Automation API reads the engine's event log
// (`--event-log`), which every CLI this project supports writes — v3.68.0 included — while streaming JSON needs
// v3.191.0+ and PULUMI_ENABLE_STREAMING_JSON_PREVIEW, and on older CLIs `preview --json` silently drops policy events
// (pulumi/pulumi#18851). It also hands us typed events as they happen (progress), the CLI's own output (the
// summary people already read), and its exit code on failure (CommandError.commandResult.code), which is passed
// through when the preview failed for a reason other than a policy violation (a program error, a rejected config).
// It uses the `pulumi` on PATH, like a user's own `pulumi preview`.
import { existsSync, statSync } from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import {
  CommandError,
  LocalWorkspace,
  PulumiCommand,
  Stack,
  StackNotFoundError,
  type EngineEvent,
} from "@pulumi/pulumi/automation";
import { parseEventStream } from "../reports/eventSources";
import { createPackRules } from "../reports/packRules";
import { buildReport } from "../reports/reportModel";
import { SourceLocator } from "../reports/sourceLocations";
import { checkProgramDir, finishReport } from "./reportCommand";
import { REPORT_OPTIONS, REPORT_OPTIONS_HELP, reportOptionValues } from "./reportOptions";
import { EXIT_OK, UsageError } from "./usageError";

/** This repository's policy pack: the default of --policy-pack. */
export const OWN_POLICY_PACK_DIR = path.resolve(__dirname, "..", "policies");

export const CHECK_HELP = `usage: alinux-guard check [options]

Runs \`pulumi preview\` (the pulumi CLI on PATH) with the policy pack and writes CI reports from its policy events.

  --cwd <dir>                 the Pulumi program (default: the current directory)
  --stack <name>              the stack to preview (default: the selected stack)
  --policy-pack <dir>         default: this repository's pack (${path.relative(process.cwd(), OWN_POLICY_PACK_DIR) || "."})
  --policy-pack-config <file> config for the pack (JSON, as for pulumi preview)
${REPORT_OPTIONS_HELP}
A preview that fails for another reason (program error, rejected config) exits with the CLI's own code.`;

export interface CheckIo {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream & { isTTY?: boolean };
}

function existingDir(option: string, dir: string): string {
  const full = path.resolve(dir);
  if (!existsSync(full) || !statSync(full).isDirectory()) throw new UsageError(`${option} ${dir} is not a directory`);
  return full;
}

function existingFile(option: string, file: string): string {
  const full = path.resolve(file);
  if (!existsSync(full) || !statSync(full).isFile()) throw new UsageError(`${option} ${file}: no such file`);
  return full;
}

interface ExecaFailure {
  readonly exitCode?: unknown;
  readonly stdout?: unknown;
  readonly stderr?: unknown;
}

/** A one-line progress display on a terminal: resources seen and policy findings so far. */
function progress(io: CheckIo): { onEvent: (e: EngineEvent) => void; done: () => void } {
  if (!io.err.isTTY) return { onEvent: () => {}, done: () => {} };
  let resources = 0;
  let findings = 0;
  let last = 0;
  const show = () => io.err.write(`\r\u001b[2Kpreview: ${resources} resources, ${findings} policy findings`);
  return {
    onEvent: (e) => {
      if (e.resourcePreEvent) resources++;
      if (e.policyEvent) findings++;
      const now = Date.now();
      if (now - last > 100) {
        last = now;
        show();
      }
    },
    done: () => io.err.write("\r\u001b[2K"),
  };
}

export async function checkCommand(
  argv: readonly string[],
  io: CheckIo = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: {
      ...REPORT_OPTIONS,
      cwd: { type: "string" },
      stack: { type: "string" },
      "policy-pack": { type: "string" },
      "policy-pack-config": { type: "string" },
    },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    io.out.write(`${CHECK_HELP}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${positionals[0]}`);
  const options = reportOptionValues(values);
  const workDir = existingDir("--cwd", values.cwd ?? ".");
  if (!["Pulumi.yaml", "Pulumi.yml"].some((f) => existsSync(path.join(workDir, f))))
    throw new UsageError(`no Pulumi project in ${workDir} (no Pulumi.yaml)`);
  const packDir = existingDir("--policy-pack", values["policy-pack"] ?? OWN_POLICY_PACK_DIR);
  if (!existsSync(path.join(packDir, "PulumiPolicy.yaml")))
    throw new UsageError(`--policy-pack ${packDir} is not a policy pack (no PulumiPolicy.yaml)`);
  const packConfig = values["policy-pack-config"]
    ? existingFile("--policy-pack-config", values["policy-pack-config"])
    : undefined;
  checkProgramDir(options.programDir);

  let pulumi: PulumiCommand;
  try {
    pulumi = await PulumiCommand.get();
  } catch (err) {
    throw new UsageError(
      `cannot run the pulumi CLI from PATH: ${(err instanceof Error ? err.message : String(err)).split("\n")[0]}`,
    );
  }
  const workspace = await LocalWorkspace.create({ workDir, pulumiCommand: pulumi });
  const stackName = values.stack ?? (await workspace.stack())?.name;
  if (!stackName) throw new UsageError(`no stack selected in ${workDir}: pass --stack <name>`);
  let stack: Stack;
  try {
    stack = await Stack.select(stackName, workspace);
  } catch (err) {
    if (err instanceof StackNotFoundError) throw new UsageError(`no stack named ${stackName} in ${workDir}`);
    throw err;
  }

  const lines: string[] = [];
  const display = progress(io);
  let stdout: string;
  let stderr: string;
  let exitCode = 0;
  try {
    const result = await stack.preview({
      policyPacks: [packDir],
      ...(packConfig ? { policyPackConfigs: [packConfig] } : {}),
      color: "never",
      onEvent: (e) => {
        lines.push(JSON.stringify(e));
        display.onEvent(e);
      },
    });
    stdout = result.stdout;
    stderr = result.stderr;
  } catch (err) {
    if (!(err instanceof CommandError)) throw err;
    // commandResult is what the Automation API's errors carry (internal in its typings). When the CLI exits
    // non-zero, @pulumi/pulumi 3.248 catches execa's rejection and reports code -2 with the output folded into one
    // message; execa's own error (commandResult.err) still has the real exit code and the two streams.
    const result = (
      err as unknown as { commandResult: { stdout: string; stderr: string; code: number; err?: ExecaFailure } }
    ).commandResult;
    const failure = result.err;
    stdout = typeof failure?.stdout === "string" ? failure.stdout : result.stdout;
    stderr = typeof failure?.stderr === "string" ? failure.stderr : result.stderr;
    exitCode =
      typeof failure?.exitCode === "number" && failure.exitCode !== 0
        ? failure.exitCode
        : result.code > 0
          ? result.code
          : 1;
  } finally {
    display.done();
  }
  io.out.write(stdout.endsWith("\n") || stdout === "" ? stdout : `${stdout}\n`);
  if (stderr.trim()) io.err.write(stderr.endsWith("\n") ? stderr : `${stderr}\n`);

  if (lines.length === 0) {
    // The CLI failed before the engine wrote any event (e.g. a bad flag, a backend it cannot log in to).
    io.err.write(
      `alinux-guard: pulumi preview failed (exit ${exitCode}) before the engine sent any event; no reports written\n`,
    );
    return exitCode || 1;
  }
  const run = parseEventStream(lines.join("\n"), "the preview's events");
  const report = buildReport(run, createPackRules(), new SourceLocator(options.programDir ?? workDir), {
    failOn: options.failOn,
  });
  const code = finishReport(report, options, io.out);
  // A failed preview that no mandatory violation explains (program error, rejected config): its own exit code.
  if (exitCode !== 0 && report.counts.mandatory === 0) return exitCode;
  return code;
}
