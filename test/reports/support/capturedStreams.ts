// The engine event streams captured from real CLIs (scripts/capture-event-fixtures.ts), with their manifests.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import {
  DEFAULT_FIXTURE_DIR,
  type CapturedStream,
  type FixtureManifest,
} from "../../../scripts/capture-event-fixtures";

/** The current CLI (tools/cli/ensure-pulumi-cli.sh --current); earlier current CLIs' streams stay beside it. */
export const CURRENT_CLI = "v3.276.0";
/** Every CLI whose `pulumi policy analyze --json` stream was captured (the current one and its predecessors). */
export const ANALYZE_CLIS = ["v3.260.0", CURRENT_CLI] as const;

export interface Captured extends CapturedStream {
  readonly cli: string;
  readonly path: string;
}

export function capturedStreams(): Captured[] {
  if (!existsSync(DEFAULT_FIXTURE_DIR)) return [];
  return readdirSync(DEFAULT_FIXTURE_DIR)
    .filter((d) => existsSync(path.join(DEFAULT_FIXTURE_DIR, d, "manifest.json")))
    .sort()
    .flatMap((d) => {
      const manifest = JSON.parse(
        readFileSync(path.join(DEFAULT_FIXTURE_DIR, d, "manifest.json"), "utf8"),
      ) as FixtureManifest;
      return manifest.streams.map((s) => ({
        ...s,
        cli: manifest.cli,
        path: path.join(DEFAULT_FIXTURE_DIR, d, s.file),
      }));
    });
}

export function captured(cli: string, scenario: string, source: CapturedStream["source"] = "event-log"): Captured {
  const found = capturedStreams().find((s) => s.cli === cli && s.scenario === scenario && s.source === source);
  if (!found)
    throw new Error(`no captured ${source} stream of ${scenario} from ${cli} (run scripts/capture-event-fixtures.ts)`);
  return found;
}

export const EXAMPLES_ROOT = path.resolve(__dirname, "..", "..", "..", "examples");
