// Writes the reports a command was asked for, each to its own file (parent directories created).
import { mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { jsonReport } from "./jsonReport";
import { junitReport } from "./junitReport";
import { markdownReport } from "./markdownReport";
import type { PolicyReport } from "./reportModel";
import { sarifReport } from "./sarifReport";

export interface ReportFiles {
  readonly sarif?: string;
  readonly junit?: string;
  readonly json?: string;
  readonly markdown?: string;
}

const WRITERS: Record<keyof ReportFiles, (r: PolicyReport) => string> = {
  sarif: (r) => `${JSON.stringify(sarifReport(r), null, 2)}\n`,
  junit: junitReport,
  json: jsonReport,
  markdown: markdownReport,
};

/** Writes every requested report; returns the files written, by format. */
export function writeReports(report: PolicyReport, files: ReportFiles): [keyof ReportFiles, string][] {
  const written: [keyof ReportFiles, string][] = [];
  for (const format of Object.keys(WRITERS) as (keyof ReportFiles)[]) {
    const file = files[format];
    if (!file) continue;
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    writeFileSync(file, WRITERS[format](report));
    written.push([format, file]);
  }
  return written;
}
