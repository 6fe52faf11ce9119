// Focused timing of the user-data bench row's own work, in one process and without gRPC or the SDK: reading each
// of the row's user data values (decode, MIME, YAML, shell parse and walk) with the built pack's readers and
// judging it. For iterating on the readers' cost; `npm run bench` is what judges them.
//   npx tsx bench/userDataReadingCost.ts [count=10000] [runs=3]
import { createRequire } from "node:module";
import * as path from "node:path";
import { defaultPackDir } from "../tools/engine/packTree";
import { userDataNumber } from "./mitigationStacks";

type Reading = unknown;
interface Readers {
  readUserData(value: string, options: object): Promise<Reading>;
  remedyFor(advisory: unknown, kernel: unknown, reading: Reading, run: object): { mitigates: boolean };
  getAdvisory(id: string): unknown;
  parseKernelRelease(text: string): unknown;
  REMEDY_WORDS: RegExp;
  REBOOT_WORDS: RegExp;
}

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10_000);
  const runs = Number(process.argv[3] ?? 3);
  // The built pack (what the engine runs), so that this process's TypeScript loader is not timed.
  const packRequire = createRequire(path.join(defaultPackDir, "package.json"));
  const load = (module: string) => packRequire(path.join(defaultPackDir, "bin/src", module)) as Partial<Readers>;
  const r = {
    ...load("mitigations/userDataReader.js"),
    ...load("knowledge/advisoryRemedy.js"),
    ...load("knowledge/advisories.js"),
    ...load("knowledge/kernelRelease.js"),
  } as Readers;
  const values = Array.from({ length: count }, (_, i) => userDataNumber(i));
  const advisory = r.getAdvisory("alinux2-overlayfs-dentry-leak");
  const kernel = r.parseKernelRelease("4.19.91-22.2.al7");
  const options = { onlyIfMentions: r.REMEDY_WORDS, partsAlsoIfMentions: r.REBOOT_WORDS };
  await r.readUserData(values[0], options); // loads the parsers
  for (let run = 1; run <= runs; run++) {
    let mitigated = 0;
    const start = performance.now();
    const cpu = process.cpuUsage();
    for (const value of values) {
      if (
        r.remedyFor(advisory, kernel, await r.readUserData(value, options), { asRoot: true, exit194Reboots: false })
          .mitigates
      )
        mitigated++;
    }
    const ms = performance.now() - start;
    const used = process.cpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    console.log(
      `run ${run}: ${count} user data read and judged in ${ms.toFixed(0)} ms (${((ms / count) * 1000).toFixed(0)} µs each; CPU ${cpuMs.toFixed(0)} ms), ${mitigated} mitigated`,
    );
  }
}

void main();
