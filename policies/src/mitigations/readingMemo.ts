import type { ScriptReading } from "./scriptEffects";

/**
 * Readings of scripts (user data, command content) shared by the pack's stack policies within one AnalyzeStack
 * call. The engine runs every stack policy over the same resources in turn, so without sharing each advisory
 * policy would read every script again. A reading depends on nothing but the key (the value, and for commands the
 * parameters), so reusing one is always correct; the scope only bounds memory and keeps measurements honest.
 *
 * Scope: each policy counts its own runs (`startRun`); the first policy to start its n-th run clears what the
 * (n-1)-th call read, so nothing is carried from one AnalyzeStack call to the next (a warm process pays what a
 * fresh preview pays). Keys stop being added past MAX_KEPT_CHARS within a call (a huge stack is read per policy
 * past that point rather than held in memory).
 */
export class ReadingMemo {
  private current = 0;
  private keptChars = 0;
  private readonly runsOf = new Map<string, number>();
  /** One map per kind of script, keyed by the value itself (a key built by concatenation would copy every value). */
  private readonly readings: Record<ScriptKind, Map<string, Promise<ScriptReading>>> = {
    userData: new Map(),
    command: new Map(),
  };

  /** Called as a policy starts checking a stack. */
  startRun(policy: string): void {
    const run = (this.runsOf.get(policy) ?? 0) + 1;
    this.runsOf.set(policy, run);
    if (run > this.current) {
      this.current = run;
      this.readings.userData.clear();
      this.readings.command.clear();
      this.keptChars = 0;
    }
  }

  /** Whether this key (of this kind of script) has been read, or is being read, in this call. */
  has(kind: ScriptKind, key: string): boolean {
    return this.readings[kind].has(key);
  }

  /** The reading for this key (of this kind of script): read once per call, then shared. */
  reading(kind: ScriptKind, key: string, read: () => Promise<ScriptReading>): Promise<ScriptReading> {
    const readings = this.readings[kind];
    let reading = readings.get(key);
    if (reading) return reading;
    reading = read();
    if (this.keptChars + key.length <= MAX_KEPT_CHARS) {
      readings.set(key, reading);
      this.keptChars += key.length;
    }
    return reading;
  }
}

/** User data (the value as the property holds it), or Cloud Assistant command content (with its parameters). */
export type ScriptKind = "userData" | "command";

/** Total key length kept per call: far above real stacks (ECS user data is at most 32 KiB a value). */
export const MAX_KEPT_CHARS = 256 * 1024 * 1024;

/** The pack's memo (one per process: readings are pure, so policies from any pack context may share it). */
export const scriptReadings = new ReadingMemo();
