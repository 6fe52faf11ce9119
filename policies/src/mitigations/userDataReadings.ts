import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Worker } from "node:worker_threads";
import { REBOOT_WORDS, REMEDY_WORDS } from "../knowledge/advisoryRemedy";
import { scriptReadings } from "./readingMemo";
import { ScriptReading, UNREADABLE } from "./scriptEffects";
import { readUserData } from "./userDataReader";

/**
 * The pack's readings of user data values: each read once per AnalyzeStack call (readingMemo.ts), and — for a stack
 * with many values to read — partly on other threads, so that a machine's other cores parse while this one judges.
 *
 * Why threads (measured 2026-12-02 on the project's 2-vCPU machine, shared; PERF-NOTES.md): reading the bench's 10 000
 * user data values cost ≈ 7-10 s of CPU in one thread with tree-sitter-bash, half of it the parse of the ≈ 5 000
 * shell scripts that name a kernel or an update; with unbash (shellParser.ts) it is ≈ 5 s, of which YAML is now the
 * largest part, then the shell parse and walk, MIME and Base64. No reader can skip the parse of a script that may
 * mitigate, so the only way to take that time off the AnalyzeStack call is to spend it on another core.
 *
 * How: the advisory policy announces up front which values it will read (prefetchUserData, in stack order); they
 * are queued. Worker threads (one fewer than the machine's cores, at most 3; none on one core) take batches from the
 * END of the queue, while the policy, reaching each surface in order, takes the value it needs from the front and
 * reads it in this thread if no worker has it yet (userDataReading). So the two meet in the middle, nobody waits
 * for a worker to start, and a stack of a few values never starts one (MIN_QUEUED_FOR_WORKERS). Readings are pure,
 * so which thread read a value never changes it; a worker that fails hands its values back to this thread.
 *
 * Workers start on first need, from the compiled pack only (bin/…/userDataReadingWorker.js; run from TypeScript
 * sources, everything is read in this thread), and are unref'd: they never hold the pack's process open.
 */

/** What the pack reads in user data: scripts naming a kernel package or an update, and in their documents reboots. */
export const USER_DATA_OPTIONS = { onlyIfMentions: REMEDY_WORDS, partsAlsoIfMentions: REBOOT_WORDS };

/** One value read the pack's way; never rejects (an unforeseen failure is "cannot be read", with no stack trace). */
export function readUserDataValue(value: string): Promise<ScriptReading> {
  return readUserData(value, USER_DATA_OPTIONS).catch(() => UNREADABLE);
}

/** The reading of a value: shared within the AnalyzeStack call, and read here now if it is queued and no worker has it. */
export async function userDataReading(value: string): Promise<ScriptReading> {
  // This thread's readings run in one chain of microtasks, in which the workers' answers (messages) are never
  // handled, so a worker would wait for its next batch: now and then, let the event loop turn.
  const pool = thePool();
  if (pool.shouldYield()) await new Promise((resolve) => setImmediate(resolve));
  const reading = scriptReadings.reading("userData", value, () => pool.pending(value) ?? readUserDataValue(value));
  pool.claim(value);
  return reading;
}

/**
 * Says which values the caller will ask userDataReading for, in the order it will ask: if they are many, they are
 * queued for the workers (a few are simply read as they are asked for).
 */
export function prefetchUserData(values: readonly string[]): void {
  // Stacks repeat a few values across thousands of surfaces: only distinct values not read yet count.
  const unread = [...new Set(values)].filter((value) => !scriptReadings.has("userData", value));
  const pool = thePool();
  if (!pool.usesWorkersFor(unread.length)) return;
  for (const value of unread) void scriptReadings.reading("userData", value, () => pool.enqueue(value));
  pool.dispatch();
}

/** Below this many queued values, no worker is started: starting one (≈ 0.1-0.3 s with the parsers) would cost more. */
export const MIN_QUEUED_FOR_WORKERS = 64;
/** Values per message to a worker (each message is a copy of the values and of the readings back). */
const BATCH = 16;
/**
 * How long this thread reads before it lets the event loop turn (to take the workers' answers and send them more):
 * well below the work a worker holds (BATCHES_PER_WORKER × BATCH values, ≈ 30 ms).
 */
const YIELD_MS = 4;
/** Batches each worker holds, so that it never waits for the next. */
const BATCHES_PER_WORKER = 2;

interface Job {
  readonly value: string;
  state: "queued" | "sent" | "done";
  readonly reading: Promise<ScriptReading>;
  resolve(reading: ScriptReading): void;
}

interface Slot {
  readonly worker: Worker;
  readonly inFlight: Map<number, Job[]>;
}

/** Messages between this thread and a worker (userDataReadingWorker.ts). */
export interface ReadBatch {
  readonly id: number;
  readonly values: readonly string[];
}
export interface BatchRead {
  readonly id: number;
  readonly readings: readonly ScriptReading[];
}

export class UserDataPool {
  /** Queued values in prefetch order; taken from the front by claim, from the back by workers. */
  private queue: Job[] = [];
  private head = 0;
  private readonly jobs = new Map<string, Job>();
  private slots: Slot[] | undefined;
  private nextBatch = 0;
  private disabled = false;
  private lastYield = 0;

  constructor(
    /** The compiled worker script, or undefined when there is none (then everything is read in this thread). */
    private readonly workerFile: string | undefined,
    private readonly workerCount: number,
    private readonly readHere: (value: string) => Promise<ScriptReading> = readUserDataValue,
  ) {}

  /** Whether workers are busy and this thread has not let the event loop turn for YIELD_MS (then it has now). */
  shouldYield(): boolean {
    if (!this.slots) return false;
    const now = performance.now();
    if (now - this.lastYield < YIELD_MS) return false;
    this.lastYield = now;
    return true;
  }

  /** Whether values this many are worth queueing for workers (or workers already run). */
  usesWorkersFor(count: number): boolean {
    if (this.slots) return true;
    return !this.disabled && this.workerFile !== undefined && this.workerCount >= 1 && count >= MIN_QUEUED_FOR_WORKERS;
  }

  /** A promise for the value's reading, by whichever thread gets to it first. */
  enqueue(value: string): Promise<ScriptReading> {
    const existing = this.pending(value);
    if (existing) return existing;
    let resolve!: (reading: ScriptReading) => void;
    const reading = new Promise<ScriptReading>((r) => (resolve = r));
    const job: Job = { value, state: "queued", reading, resolve };
    this.jobs.set(value, job);
    this.queue.push(job);
    return reading;
  }

  /** The reading of a value queued or under way, if it is. */
  pending(value: string): Promise<ScriptReading> | undefined {
    return this.jobs.get(value)?.reading;
  }

  /** Reads the value in this thread if it is queued and no worker has it. */
  claim(value: string): void {
    const job = this.jobs.get(value);
    if (!job || job.state !== "queued") return;
    this.finishHere(job);
    while (this.head < this.queue.length && this.queue[this.head].state !== "queued") this.head++;
  }

  /** Hands queued values to the workers (starting them if the queue is long enough). */
  dispatch(): void {
    const slots = this.workers();
    if (!slots) return;
    for (const slot of slots) while (slot.inFlight.size < BATCHES_PER_WORKER && this.sendBatch(slot));
  }

  private finishHere(job: Job): void {
    job.state = "sent";
    void this.readHere(job.value).then((reading) => this.finish(job, reading));
  }

  private finish(job: Job, reading: ScriptReading): void {
    if (job.state === "done") return;
    job.state = "done";
    if (this.jobs.get(job.value) === job) this.jobs.delete(job.value);
    job.resolve(reading);
  }

  private queued(): number {
    return this.queue.length - this.head;
  }

  private workers(): Slot[] | undefined {
    if (this.slots) return this.slots;
    if (!this.usesWorkersFor(this.queued())) return undefined;
    try {
      // Loaded here, not at start-up: a stack without many values to read never needs it.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose (see above); import() would make this async
      const { Worker } = require("node:worker_threads") as typeof import("node:worker_threads");
      this.slots = Array.from({ length: this.workerCount }, () => this.startWorker(new Worker(this.workerFile!)));
    } catch {
      this.disabled = true;
      return undefined;
    }
    return this.slots;
  }

  private startWorker(worker: Worker): Slot {
    const slot: Slot = { worker, inFlight: new Map() };
    worker.unref();
    worker.on("message", (message: BatchRead) => {
      const jobs = slot.inFlight.get(message.id);
      if (!jobs) return;
      slot.inFlight.delete(message.id);
      jobs.forEach((job, i) => this.finish(job, message.readings[i] ?? UNREADABLE));
      while (slot.inFlight.size < BATCHES_PER_WORKER && this.sendBatch(slot));
    });
    const fail = () => this.workerFailed(slot);
    worker.on("error", fail);
    worker.on("messageerror", fail);
    worker.on("exit", fail);
    return slot;
  }

  /** Sends the last queued values to a worker; false when none are left. */
  private sendBatch(slot: Slot): boolean {
    const jobs: Job[] = [];
    while (jobs.length < BATCH && this.queue.length > this.head) {
      const job = this.queue.pop()!;
      if (job.state === "queued") jobs.push(job);
    }
    if (jobs.length === 0) {
      this.queue = [];
      this.head = 0;
      return false;
    }
    const id = this.nextBatch++;
    for (const job of jobs) job.state = "sent";
    slot.inFlight.set(id, jobs);
    const batch: ReadBatch = { id, values: jobs.map((job) => job.value) };
    slot.worker.postMessage(batch);
    return true;
  }

  /** A worker failed or exited: its values are read here, and no worker is used again. */
  private workerFailed(slot: Slot): void {
    this.disabled = true;
    for (const jobs of slot.inFlight.values()) for (const job of jobs) if (job.state !== "done") this.finishHere(job);
    slot.inFlight.clear();
    if (this.slots) {
      const others = this.slots.filter((s) => s !== slot);
      this.slots = undefined;
      for (const other of others) {
        other.worker.removeAllListeners();
        for (const jobs of other.inFlight.values())
          for (const job of jobs) if (job.state !== "done") this.finishHere(job);
        void other.worker.terminate();
      }
    }
  }

  /** Stops the workers (for specs; the pack's own pool lives as long as the process). */
  async close(): Promise<void> {
    const slots = this.slots ?? [];
    this.slots = undefined;
    this.disabled = true;
    for (const slot of slots) {
      slot.worker.removeAllListeners();
      await slot.worker.terminate();
    }
  }
}

/** The compiled worker next to this module, if this is the compiled pack. */
function compiledWorker(): string | undefined {
  const file = path.join(__dirname, "userDataReadingWorker.js");
  return fs.existsSync(file) ? file : undefined;
}

/** The pack's pool, made on first use (nothing of it is paid at start-up). */
let pool: UserDataPool | undefined;
function thePool(): UserDataPool {
  return (pool ??= new UserDataPool(compiledWorker(), Math.min(3, os.availableParallelism() - 1)));
}
