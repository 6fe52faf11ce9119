import { parentPort } from "node:worker_threads";
import type { BatchRead, ReadBatch } from "./userDataReadings";
import { readUserDataValue } from "./userDataReadings";

/**
 * A worker thread of the user-data reading pool (userDataReadings.ts): reads each batch of values the pack's way, in
 * order, and sends the readings back. The readers load their parsers on the first batch, as in the main thread.
 */
async function answer(batch: ReadBatch): Promise<void> {
  const readings = [];
  for (const value of batch.values) readings.push(await readUserDataValue(value));
  const read: BatchRead = { id: batch.id, readings };
  parentPort?.postMessage(read);
}

// A rejected reading is left unhandled on purpose: it ends the worker, and the pool reads its values in the main thread.
parentPort?.on("message", (batch: ReadBatch) => void answer(batch));
