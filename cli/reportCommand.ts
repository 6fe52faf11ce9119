// `alinux-guard report --events <file> [report options]`: turns a saved engine event stream (--event-log, streaming
// `preview --json`, or `policy analyze --json`; reports/eventSources.ts detects which) into the reports asked for.
import { existsSync, readFileSync, statSync } from "node:fs";
import { parseArgs } from "node:util";
import { readEventStream } from "../reports/eventSources";
import { createPackRules } from "../reports/packRules";
import { buildReport, type PolicyReport } from "../reports/reportModel";
import { readSourcePositions, SourceLocator, type RecordedPosition } from "../reports/sourceLocations";
import { writeReports } from "../reports/writeReports";
import { REPORT_OPTIONS, REPORT_OPTIONS_HELP, reportOptionValues, type ReportOptionValues } from "./reportOptions";
import { EXIT_OK, EXIT_VIOLATIONS, UsageError } from "./usageError";

export const REPORT_HELP = `usage: alinux-guard report --events <file> [options]

Reads a saved Pulumi engine event stream and writes CI reports from its policy events. Accepted streams:
  pulumi preview --policy-pack … --event-log <file>
  PULUMI_ENABLE_STREAMING_JSON_PREVIEW=true pulumi preview --policy-pack … --json > <file>   (CLI v3.191.0+)
  pulumi policy analyze --file <export> --policy-pack … --json > <file>                    (CLI v3.229.0+)

  --events <file>             the event stream (required)
  --stack-export <file>       a \`pulumi stack export\` of the stack: its recorded source positions place the findings
${REPORT_OPTIONS_HELP}`;

/** Checks --program-dir, writes the reports, prints the verdict; returns the exit code. */
export function finishReport(report: PolicyReport, options: ReportOptionValues, out: NodeJS.WritableStream): number {
  const written = writeReports(report, options.files);
  out.write(`alinux-guard: ${report.verdict.summary}\n`);
  for (const [format, file] of written) out.write(`  ${format.padEnd(8)} ${file}\n`);
  return report.verdict.failed ? EXIT_VIOLATIONS : EXIT_OK;
}

export function checkProgramDir(dir: string | undefined): void {
  if (dir !== undefined && !(existsSync(dir) && statSync(dir).isDirectory()))
    throw new UsageError(`--program-dir ${dir} is not a directory`);
}

function sourcePositionsOf(file: string): Map<string, RecordedPosition> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new UsageError(`cannot read --stack-export ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return readSourcePositions(text);
  } catch {
    throw new UsageError(`--stack-export ${file} is not a stack export (not JSON)`);
  }
}

export function reportCommand(argv: readonly string[], out: NodeJS.WritableStream = process.stdout): number {
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: { ...REPORT_OPTIONS, events: { type: "string" }, "stack-export": { type: "string" } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) {
    out.write(`${REPORT_HELP}\n`);
    return EXIT_OK;
  }
  if (positionals.length > 0)
    throw new UsageError(`unexpected argument ${positionals[0]} (the events file goes after --events)`);
  if (!values.events) throw new UsageError("report needs --events <file> (see alinux-guard report --help)");
  const options = reportOptionValues(values);
  checkProgramDir(options.programDir);
  const run = readEventStream(values.events);
  const positions = values["stack-export"] ? sourcePositionsOf(values["stack-export"]) : undefined;
  const locator = new SourceLocator(options.programDir, process.cwd(), positions);
  const report = buildReport(run, createPackRules(), locator, { failOn: options.failOn, eventsFile: values.events });
  return finishReport(report, options, out);
}
