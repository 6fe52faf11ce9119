// Loads the gRPC and protobuf modules from the *policy pack's* module tree, exactly the instances the
// pack's server uses. The generated stubs do `instanceof` checks on messages (server.js documents this for
// `Empty`), so mixing instances from the root node_modules and policies/node_modules breaks in subtle ways.
//
// Types come from the root copy of @pulumi/pulumi (same 3.248.x release, type-only imports, erased at
// runtime); values always come from the pack's tree.
import { createRequire } from "node:module";
import * as path from "node:path";
import type * as AnalyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type * as AnalyzerGrpcPb from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb";
import type * as Grpc from "@grpc/grpc-js";

/** Repository root (this file lives in tools/engine/). */
export const repoRoot = path.resolve(__dirname, "..", "..");

/** The pack directory the engine would be pointed at with `--policy-pack policies`. */
export const defaultPackDir = path.join(repoRoot, "policies");

export interface PackTree {
  readonly grpc: typeof Grpc;
  readonly analyzerPb: typeof AnalyzerPb;
  readonly analyzerGrpcPb: typeof AnalyzerGrpcPb;
  readonly structPb: typeof StructPb;
  readonly emptyPb: typeof EmptyPb;
  /** Absolute path of `@pulumi/pulumi/cmd/run-policy-pack`, resolved from the pack dir like the language host. */
  readonly runPolicyPackPath: string;
}

const cache = new Map<string, PackTree>();

/**
 * Resolves the modules the way the Node language host and the pack itself would.
 * `packDir` is where `run-policy-pack` is resolved from (the language host's `locateModule`);
 * the gRPC/protobuf instances are resolved from the same place, which is the pack's own tree.
 */
export function loadPackTree(packDir: string = defaultPackDir): PackTree {
  const key = path.resolve(packDir);
  const hit = cache.get(key);
  if (hit) return hit;
  const req = createRequire(path.join(key, "package.json"));
  // Resolve @pulumi/pulumi's own dependencies relative to @pulumi/pulumi, as its stubs do.
  const pulumiDir = path.dirname(req.resolve("@pulumi/pulumi/package.json"));
  const pulumiReq = createRequire(path.join(pulumiDir, "package.json"));
  const runPolicyPackPath = req.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [key] });
  const tree: PackTree = {
    grpc: pulumiReq("@grpc/grpc-js") as typeof Grpc,
    analyzerPb: req("@pulumi/pulumi/proto/analyzer_pb") as typeof AnalyzerPb,
    analyzerGrpcPb: req("@pulumi/pulumi/proto/analyzer_grpc_pb") as typeof AnalyzerGrpcPb,
    structPb: pulumiReq("google-protobuf/google/protobuf/struct_pb") as typeof StructPb,
    emptyPb: pulumiReq("google-protobuf/google/protobuf/empty_pb") as typeof EmptyPb,
    runPolicyPackPath,
  };
  cache.set(key, tree);
  return tree;
}
