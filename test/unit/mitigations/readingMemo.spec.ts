import { describe, expect, it } from "vitest";
import { ReadingMemo } from "../../../policies/src/mitigations/readingMemo";
import { NO_EFFECTS, ScriptReading } from "../../../policies/src/mitigations/scriptEffects";

describe("ReadingMemo", () => {
  const counting = () => {
    let reads = 0;
    return { read: () => (reads++, Promise.resolve<ScriptReading>(NO_EFFECTS)), reads: () => reads };
  };

  it("reads a value once for all the pack's policies within one AnalyzeStack call", async () => {
    const memo = new ReadingMemo();
    const c = counting();
    for (const policy of ["advisory-a", "advisory-b", "advisory-c"]) {
      memo.startRun(policy);
      await memo.reading("userData", "x", c.read);
      await memo.reading("userData", "x", c.read);
    }
    expect(c.reads()).toBe(1);
  });

  it("keeps nothing from one call to the next", async () => {
    const memo = new ReadingMemo();
    const c = counting();
    for (let call = 0; call < 3; call++) {
      for (const policy of ["advisory-a", "advisory-b"]) {
        memo.startRun(policy);
        await memo.reading("userData", "k", c.read);
      }
    }
    expect(c.reads()).toBe(3);
  });

  it("reads different keys, and the same key of another kind of script, separately", async () => {
    const memo = new ReadingMemo();
    const c = counting();
    memo.startRun("p");
    await memo.reading("userData", "a", c.read);
    await memo.reading("userData", "b", c.read);
    await memo.reading("command", "a", c.read);
    expect(c.reads()).toBe(3);
    expect([memo.has("userData", "a"), memo.has("command", "b"), memo.has("command", "a")]).toEqual([
      true,
      false,
      true,
    ]);
  });
});
