// The user-data bench row split into reporting and reading: the pack, a replay pack answering the pack's own
// violations byte for byte without reading anything (tools/engine/fixturePacks.ts writeReplayPack), and the
// do-nothing pack, on the row's stack, in rotated rounds. replay − do-nothing is what reporting the row's violations
// costs through the SDK; pack − replay what reading the user data and judging it costs.
//   npx tsx bench/userDataReplayCost.ts [count=10000] [rounds=5]
import { PolicyPackHarness } from "../tools/engine/analyzerClient";
import { benchBaselineDir, benchReplayDir, writeDoNothingPack, writeReplayPack } from "../tools/engine/fixturePacks";
import { ensurePackBuilt } from "../tools/engine/packBuild";
import { defaultPackDir } from "../tools/engine/packTree";
import { userDataStack } from "./mitigationStacks";
import { BENCH_POLICY_CONFIG } from "./stackGenerator";

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 10_000);
  const rounds = Number(process.argv[3] ?? 5);
  ensurePackBuilt();
  const start = (packDir: string, config?: typeof BENCH_POLICY_CONFIG) =>
    PolicyPackHarness.start({ packDir, policyPackConfig: config, project: "bench", stack: "ci" });
  const pack = await start(defaultPackDir, BENCH_POLICY_CONFIG);
  const info = await pack.getAnalyzerInfo();
  const policies = info.policies;
  writeDoNothingPack({
    resourcePolicies: policies.filter((p) => p.policyType === "resource").length,
    stackPolicies: policies.filter((p) => p.policyType === "stack").length,
  });
  const bytes = pack.buildAnalyzeStackRequest(userDataStack(count)).serializeBinary();
  const first = await pack.analyzeBytesUndecoded("AnalyzeStack", bytes);
  const diagnostics = pack.decodeAnalyzeResponse(first).diagnostics;
  writeReplayPack({ info, diagnostics });
  const packs = { pack, replay: await start(benchReplayDir), "do-nothing": await start(benchBaselineDir) };
  const names = Object.keys(packs) as (keyof typeof packs)[];
  const times: Record<string, number[]> = { pack: [], replay: [], "do-nothing": [] };
  for (let round = -1; round < rounds; round++) {
    for (const [i] of names.entries()) {
      const name = names[(i + Math.max(round, 0)) % names.length];
      const t0 = performance.now();
      await packs[name].analyzeBytesUndecoded("AnalyzeStack", bytes);
      if (round >= 0) times[name].push(performance.now() - t0);
    }
  }
  for (const h of Object.values(packs)) await h.stop();
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const base = median(times["do-nothing"]);
  console.log(
    `${count} user-data surfaces, ${diagnostics.length} violations, ${(first.length / 1e6).toFixed(1)} MB response; ${rounds} rotated rounds (medians)`,
  );
  for (const name of names)
    console.log(
      `  ${name.padEnd(10)} ${Math.round(median(times[name]))} ms  ${(median(times[name]) / base).toFixed(2)}×  [${times[name].map(Math.round).join(", ")}]`,
    );
}

void main();
