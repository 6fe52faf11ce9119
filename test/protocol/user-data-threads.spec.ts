// The user-data corpus in one stack, large enough that the real pack reads it partly on its worker threads
// (policies/src/mitigations/userDataReadings.ts): every surface still gets the corpus's verdict and reason.
import * as os from "node:os";
import { describe, expect, it } from "vitest";
import { MIN_QUEUED_FOR_WORKERS } from "../../policies/src/mitigations/userDataReadings";
import { CORPUS } from "../unit/mitigations/corpus/mitigationCorpus";
import { POLICY } from "../support/contract";
import { previewInstance } from "../support/stackFixtures";
import { byPolicy, usePackPerSpecFile } from "./packSession";

const pack = usePackPerSpecFile();

describe("user data read on the pack's worker threads", () => {
  const cases = CORPUS.filter((c) => c.via === "userData");
  // Enough distinct copies of the corpus (trailing newlines added: nothing reads them) that the pack queues them for
  // its workers (when the machine has a second core): the pack counts distinct values only.
  const copies = Math.ceil((2 * MIN_QUEUED_FOR_WORKERS) / cases.length);
  const surfaces = Array.from({ length: copies }, (_, copy) =>
    cases.map((c, i) => ({ c, value: `${c.value}${"\n".repeat(copy)}`, name: `ud-${copy}-${i}` })),
  ).flat();

  it("gives every surface the corpus's verdict and reason", { timeout: 120_000 }, async () => {
    expect(os.availableParallelism()).toBeGreaterThan(1); // on one core the pack reads everything in its own thread
    const found = byPolicy(
      await pack().analyzeStack(
        surfaces.map(({ c, value, name }) => previewInstance(name, c.image, { userData: value })),
      ),
      POLICY.overlayfs,
    );
    for (const { c, name } of surfaces) {
      const mine = found.filter((d) => d.urn.endsWith(`::${name}`));
      if (c.verdict === "mitigated") expect(mine, c.name).toEqual([]);
      else {
        expect(mine, c.name).toHaveLength(1);
        expect(mine[0].message, c.name).toContain(c.reason);
      }
    }
  });
});
