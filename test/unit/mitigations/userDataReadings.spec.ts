import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  MIN_QUEUED_FOR_WORKERS,
  readUserDataValue,
  UserDataPool,
} from "../../../policies/src/mitigations/userDataReadings";
import { ScriptReading } from "../../../policies/src/mitigations/scriptEffects";
import { ensurePackBuilt } from "../../../tools/engine/packBuild";
import { defaultPackDir } from "../../../tools/engine/packTree";
import { CORPUS } from "./corpus/mitigationCorpus";

// The worker runs the compiled pack (a worker thread cannot load TypeScript sources).
const compiledWorker = path.join(defaultPackDir, "bin/src/mitigations/userDataReadingWorker.js");
const values = [...new Set(CORPUS.filter((c) => c.via === "userData").map((c) => c.value))];
const many = Array.from({ length: Math.ceil((3 * MIN_QUEUED_FOR_WORKERS) / values.length) }, (_, copy) =>
  values.map((v) => `${v}${"\n".repeat(copy)}`),
).flat();

/** A pool whose in-thread reads are counted. */
function countingPool(workerFile: string | undefined, workers = 1) {
  let here = 0;
  const pool = new UserDataPool(workerFile, workers, (value) => (here++, readUserDataValue(value)));
  return { pool, here: () => here };
}

/** Reads values the way the advisory policy does: all queued, then each claimed in order and awaited. */
async function readAll(pool: UserDataPool, list: readonly string[]): Promise<ScriptReading[]> {
  const readings = list.map((v) => pool.enqueue(v));
  pool.dispatch();
  const out: ScriptReading[] = [];
  for (const [i, v] of list.entries()) {
    pool.claim(v);
    out.push(await readings[i]);
  }
  return out;
}

describe("UserDataPool", () => {
  let expected: ScriptReading[];
  beforeAll(async () => {
    ensurePackBuilt();
    expected = [];
    for (const v of many) expected.push(JSON.parse(JSON.stringify(await readUserDataValue(v))) as ScriptReading);
  }, 120_000);

  it("reads queued values partly on a worker, with the readings this thread gives", { timeout: 120_000 }, async () => {
    const { pool, here } = countingPool(compiledWorker);
    try {
      const readings = await readAll(pool, many);
      expect(readings).toEqual(expected);
      expect(here()).toBeLessThan(many.length); // the worker read some
      expect(here()).toBeGreaterThan(0); // and this thread did not wait for it to start
    } finally {
      await pool.close();
    }
  });

  it("reads everything in this thread when a worker fails", { timeout: 60_000 }, async () => {
    const crashing = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "ud-pool-")), "crash.js");
    fs.writeFileSync(crashing, `require("node:worker_threads").parentPort.on("message", () => process.exit(3));\n`);
    const { pool, here } = countingPool(crashing);
    try {
      expect(await readAll(pool, many)).toEqual(expected);
      expect(here()).toBe(many.length);
    } finally {
      await pool.close();
    }
  });

  it("starts no worker for a few values, or without a compiled worker", async () => {
    expect(new UserDataPool(compiledWorker, 1).usesWorkersFor(MIN_QUEUED_FOR_WORKERS - 1)).toBe(false);
    expect(new UserDataPool(undefined, 1).usesWorkersFor(10_000)).toBe(false);
    expect(new UserDataPool(compiledWorker, 0).usesWorkersFor(10_000)).toBe(false);
    const { pool, here } = countingPool(undefined);
    expect(await readAll(pool, values)).toEqual(expected.slice(0, values.length));
    expect(here()).toBe(values.length);
  });
});
