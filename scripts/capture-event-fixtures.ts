// Regenerates the engine event streams that test/reports/ turns into reports, from a real Pulumi CLI:
//
//   npx tsx scripts/capture-event-fixtures.ts <cli-bin-dir> [--out <dir>]
//
// <cli-bin-dir> holds `pulumi` (e.g. the output of `bash tools/cli/ensure-pulumi-cli.sh`). What is captured depends on
// what that CLI can do, detected rather than assumed:
//   - `--event-log` of `pulumi preview --policy-pack policies` (what the Automation API reads) for every scenario
//     of tools/e2e/scenarios.ts whose program runtime has a language host beside `pulumi`;
//   - the streaming JSON of `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --json` for the same runs,
//     when the CLI streams (v3.191.0 and later; older ones print a digest without policy events);
//   - `pulumi policy analyze --file <export> --json` on examples/audit-export (v3.229.0 and later).
// Files go to <dir>/<cli version>/ (default test/reports/fixtures/events/) with a manifest.json naming the command,
// the exit code and the source of each. Runs are hermetic (tools/e2e/pulumiCli.ts). Absolute paths of this machine
// (the repository, the session's temporary directory, the example's work copy, and the pack's launcher for a CLI
// without a Node.js language host — tools/cli/policy-pack-launcher.sh) are replaced by `<repo>`, `<tmp>` and
// `<pack-launcher>`, and nothing else is changed: the files are what the CLI wrote.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { EXAMPLES_DIR, POLICY_PACK_DIR, PulumiSession, REPO_ROOT, type CliRun } from "../tools/e2e/pulumiCli";
import { SCENARIOS, type Scenario } from "../tools/e2e/scenarios";
import { ensurePackBuilt } from "../tools/engine/packBuild";

export const DEFAULT_FIXTURE_DIR = path.join(REPO_ROOT, "test", "reports", "fixtures", "events");

export type CapturedSource = "event-log" | "streaming-json" | "policy-analyze-json";

export interface CapturedStream {
  readonly file: string;
  readonly source: CapturedSource;
  readonly scenario: string;
  readonly example: string;
  readonly policyPackConfig?: string;
  readonly command: string;
  readonly exitCode: number;
}

export interface FixtureManifest {
  readonly cli: string;
  readonly streams: readonly CapturedStream[];
}

function runtimeOf(example: string): string {
  const yaml = readFileSync(path.join(EXAMPLES_DIR, example, "Pulumi.yaml"), "utf8");
  return /^runtime:\s*(?:\n\s+name:\s*)?([A-Za-z]+)/m.exec(yaml)?.[1] ?? "nodejs";
}

function semver(version: string): [number, number, number] {
  const m = /v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

function atLeast(version: string, minimum: string): boolean {
  const [a, b, c] = semver(version);
  const [x, y, z] = semver(minimum);
  return a !== x ? a > x : b !== y ? b > y : c >= z;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const outIndex = args.indexOf("--out");
  const outRoot = outIndex >= 0 ? path.resolve(args[outIndex + 1] ?? "") : DEFAULT_FIXTURE_DIR;
  const binDir = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--out");
  if (!binDir || !existsSync(path.join(binDir, "pulumi"))) {
    console.error("usage: tsx scripts/capture-event-fixtures.ts <directory holding pulumi> [--out <dir>]");
    process.exit(2);
  }
  ensurePackBuilt(POLICY_PACK_DIR);
  const session = new PulumiSession(path.resolve(binDir));
  try {
    const version = (await session.run(["version"], session.tmpDir)).stdout.trim();
    const outDir = path.join(outRoot, version);
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const streams: CapturedStream[] = [];
    const packArgument = session.policyPackArgument(POLICY_PACK_DIR);
    const launched = packArgument !== POLICY_PACK_DIR;
    const packFlag = launched ? `"$(tools/cli/policy-pack-launcher.sh policies)"` : "policies";
    const normalise = (text: string, example?: string): string => {
      let out = launched ? text.split(packArgument).join("<pack-launcher>") : text;
      if (example)
        out = out
          .split(path.join(REPO_ROOT, ".pulumi-e2e", `${session.id}-${example}`))
          .join(`<repo>/examples/${example}`);
      return out.split(session.tmpDir).join("<tmp>").split(REPO_ROOT).join("<repo>");
    };
    const save = (name: string, text: string, entry: Omit<CapturedStream, "file">, run: CliRun) => {
      writeFileSync(path.join(outDir, name), normalise(text, entry.example));
      streams.push({ file: name, ...entry });
      console.log(`  ${name}: exit ${run.exitCode}, ${text.split("\n").filter(Boolean).length} events`);
    };
    const command = (s: Scenario, extra: string) =>
      `pulumi preview --policy-pack ${packFlag}${s.policyPackConfig ? ` --policy-pack-config ${s.policyPackConfig}` : ""} ${extra}`.trim();

    const streaming = atLeast(version, "3.191.0");
    for (const s of SCENARIOS) {
      const runtime = runtimeOf(s.example);
      if (!existsSync(path.join(binDir, `pulumi-language-${runtime}`))) {
        console.log(`  ${s.id}: skipped (no pulumi-language-${runtime} beside pulumi)`);
        continue;
      }
      const base = {
        scenario: s.id,
        example: s.example,
        ...(s.policyPackConfig ? { policyPackConfig: s.policyPackConfig } : {}),
      };
      const run = await session.preview(s.example, { policyPackConfig: s.policyPackConfig });
      save(
        `${s.id}.event-log.jsonl`,
        run.eventLog && existsSync(run.eventLog) ? readFileSync(run.eventLog, "utf8") : "",
        {
          ...base,
          source: "event-log",
          command: command(s, "--event-log <file>"),
          exitCode: run.exitCode,
        },
        run,
      );
      if (streaming) {
        const json = await session.preview(s.example, {
          policyPackConfig: s.policyPackConfig,
          extraArgs: ["--json"],
          env: { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" },
        });
        save(
          `${s.id}.streaming.jsonl`,
          json.stdout,
          {
            ...base,
            source: "streaming-json",
            command: `PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true ${command(s, "--json")}`,
            exitCode: json.exitCode,
          },
          json,
        );
      }
    }
    if (await session.hasCommand(["policy", "analyze"])) {
      const exportFile = path.join(EXAMPLES_DIR, "audit-export", "stack-export.json");
      const run = await session.analyzeExport(exportFile, { extraArgs: ["--json"] });
      save(
        "audit-export.policy-analyze.jsonl",
        run.stdout,
        {
          scenario: "audit-export",
          example: "audit-export",
          source: "policy-analyze-json",
          command: `pulumi policy analyze --file examples/audit-export/stack-export.json --policy-pack ${packFlag} --json`,
          exitCode: run.exitCode,
        },
        run,
      );
    }
    const manifest: FixtureManifest = { cli: version, streams };
    writeFileSync(path.join(outDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    console.log(`wrote ${streams.length} streams from pulumi ${version} to ${path.relative(REPO_ROOT, outDir)}/`);
  } finally {
    session.dispose();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  });
}
