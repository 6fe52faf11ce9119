// AnalyzeStack measured in one process, without gRPC: the SDK's own RPC function (`makeAnalyzeStackRpcFun` of
// @pulumi/policy, the function the pack's server runs) over the same request, with the pack's real stack policies
// and with as many no-op stack policies, alternated. Encoding the response is timed too (the pack's violations must travel).
// Process start, sockets and the other process's GC are out of the picture, so the growth of the pack's own cost
// from 10k to 40k resources can be read with less noise than over gRPC. Policy config is not applied here (the
// SDK's config lives in its server module), so no exemptions or declared kernels are in play.
import { createRequire } from "node:module";
import * as path from "node:path";
import type { PolicyPackHarness } from "../tools/engine/analyzerClient";
import { defaultPackDir } from "../tools/engine/packTree";
import { generateStack } from "./stackGenerator";

type RpcFun = (
  call: { request: unknown },
  callback: (error: Error | null | undefined, response?: { serializeBinary(): Uint8Array }) => void,
) => void;

export interface InProcessSample {
  readonly size: number;
  readonly pack: number[];
  readonly noop: number[];
  readonly encode: number[];
  /** Time inside the pack's validateStack alone: the pack's own code, without the SDK's decoding and proxies. */
  readonly validateStack: number[];
}

export async function measureInProcess(
  harness: PolicyPackHarness,
  sizes: readonly number[],
  runs: number,
): Promise<InProcessSample[]> {
  const packRequire = createRequire(path.join(defaultPackDir, "package.json"));
  const server = packRequire("@pulumi/policy/server") as { makeAnalyzeStackRpcFun(...args: unknown[]): RpcFun };
  const { createPolicies } = packRequire(path.join(defaultPackDir, "bin/src/pack/createPolicies.js")) as {
    createPolicies: () => { validateStack?: unknown }[];
  };
  let inPolicy = 0;
  const stackPolicies = createPolicies()
    .filter((p): p is { validateStack: (...a: unknown[]) => unknown } => typeof p.validateStack === "function")
    .map((p) => ({
      ...p,
      // Timed to the end of the promise it returns (the policies are async: they await their script readers).
      validateStack: async (...a: unknown[]) => {
        const start = performance.now();
        try {
          return await p.validateStack(...a);
        } finally {
          inPolicy += performance.now() - start;
        }
      },
    }));
  const packFn = server.makeAnalyzeStackRpcFun("alinux-guard", "0.0.0", "advisory", stackPolicies);
  // As many no-op stack policies as the pack has: the SDK deserialises the stack once per stack policy, so the
  // baseline pays the same passes (as the gRPC do-nothing pack does).
  const noopFn = server.makeAnalyzeStackRpcFun(
    "do-nothing",
    "0.0.0",
    "advisory",
    stackPolicies.map((_, i) => ({
      name: `noop-${i}`,
      description: "Does nothing.",
      enforcementLevel: "mandatory",
      validateStack: () => undefined,
    })),
  );
  const call = (fn: RpcFun, request: unknown) =>
    new Promise<{ serializeBinary(): Uint8Array }>((resolve, reject) =>
      fn({ request }, (e, r) => (e ? reject(e) : r ? resolve(r) : reject(new Error("no response")))),
    );

  const samples: InProcessSample[] = [];
  for (const size of sizes) {
    // Each call gets a request of its own, decoded from the same bytes (untimed), as each AnalyzeStack call over gRPC
    // does: the pack recognises one call's stack by the request's own objects (policies/src/pack/stackCallShare.ts),
    // so reusing one request object would let it keep what it built in the previous call.
    const bytes = harness.buildAnalyzeStackRequest(generateStack(size).resources).serializeBinary();
    const requestClass = harness.buildAnalyzeStackRequest([]).constructor as unknown as {
      deserializeBinary(b: Uint8Array): unknown;
    };
    const fresh = () => requestClass.deserializeBinary(bytes);
    const sample: InProcessSample = { size, pack: [], noop: [], encode: [], validateStack: [] };
    await call(packFn, fresh()); // warm-up of both functions
    await call(noopFn, fresh());
    for (let i = 0; i < runs; i++) {
      inPolicy = 0;
      let request = fresh();
      let start = performance.now();
      const response = await call(packFn, request);
      sample.pack.push(performance.now() - start);
      sample.validateStack.push(inPolicy);
      start = performance.now();
      response.serializeBinary();
      sample.encode.push(performance.now() - start);
      request = fresh();
      start = performance.now();
      await call(noopFn, request);
      sample.noop.push(performance.now() - start);
    }
    samples.push(sample);
  }
  return samples;
}
