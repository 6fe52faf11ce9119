// Microsoft's SARIF validator (`@microsoft/sarif-multitool validate --rule-kind "Gh;Sarif"`): the official SARIF
// 2.1.0 schema plus GitHub code scanning's ingestion rules (GHxxxx), run on a file, results read from its own SARIF
// output log (its exit code is 0 even when it reports errors, so the log is what counts).
//
// The npm package ships the .NET single-file executable in a per-platform package whose only install script is
// `chmod u+x Sarif.Multitool`; npm 11 does not run dependencies' install scripts unless approved, so this does that
// one chmod itself when the bit is missing.
import { spawnSync } from "node:child_process";
import { accessSync, chmodSync, constants, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface SarifFinding {
  readonly ruleId: string;
  readonly level: string;
  readonly message: string;
}

export function sarifMultitoolPath(): string {
  const pkg = require.resolve(`@microsoft/sarif-multitool-${process.platform}/package.json`);
  const exe = path.join(path.dirname(pkg), process.platform === "win32" ? "Sarif.Multitool.exe" : "Sarif.Multitool");
  try {
    accessSync(exe, constants.X_OK);
  } catch {
    chmodSync(exe, statSync(exe).mode | 0o100);
  }
  return exe;
}

/** Validates one SARIF file; returns every finding of the validator (errors, warnings, notes). */
export function validateSarif(file: string): SarifFinding[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), "sarif-validate-"));
  try {
    const output = path.join(dir, "validation.sarif");
    const res = spawnSync(sarifMultitoolPath(), ["validate", "--rule-kind", "Gh;Sarif", "--output", output, file], {
      encoding: "utf8",
      // The .NET runtime needs no ICU for this; without the switch it aborts on machines that have no libicu.
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: "1", DOTNET_CLI_TELEMETRY_OPTOUT: "1" },
    });
    if (res.error) throw res.error;
    let log: { runs: { results?: { ruleId: string; level?: string; message: { text?: string } }[] }[] };
    try {
      log = JSON.parse(readFileSync(output, "utf8")) as typeof log;
    } catch {
      throw new Error(`the SARIF validator wrote no log (exit ${String(res.status)}):\n${res.stdout}\n${res.stderr}`);
    }
    return log.runs
      .flatMap((r) => r.results ?? [])
      .map((r) => ({ ruleId: r.ruleId, level: r.level ?? "warning", message: r.message.text ?? "" }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
