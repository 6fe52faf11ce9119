import type { PolicyResource } from "@pulumi/policy";
import { createRequire } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { StackCallShare } from "../../../policies/src/pack/stackCallShare";
import { IMAGES } from "../../support/contract";
import { engineProps } from "../../support/policyRuntime";
import { T, UNIT_NAMING } from "../../support/stackFixtures";

/**
 * One policy's copy of a stack, as the SDK builds it for each stack policy: its own resource objects and props, but
 * each resource's `opts.aliases` is the request's own array (`request` here), the same for every policy of a call.
 */
function copyOfStack(request: { aliases: string[][] } | undefined, names: readonly string[]): PolicyResource[] {
  return names.map((name, i) => {
    const type = name.startsWith("inv") ? T.invocation : T.instance;
    const props =
      type === T.instance ? { imageId: IMAGES.affectedHotfixable } : { commandId: "c-1", instanceIds: ["i-1"] };
    return {
      type,
      name,
      urn: UNIT_NAMING.urnOf({ type, name }),
      props: engineProps(props),
      opts: {
        protect: false,
        ignoreChanges: [],
        aliases: request ? request.aliases[i] : [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
      dependencies: [],
      propertyDependencies: {},
      isType: () => false,
      asType: () => undefined,
    };
  });
}

const request = (size: number) => ({ aliases: Array.from({ length: size }, () => [] as string[]) });
const STACK = ["web", "api", "inv-1"];

describe("StackCallShare", () => {
  it("is one graph, one reading of each surface's images and one coverage for every policy of one call", async () => {
    const call = request(STACK.length);
    const first = StackCallShare.of(copyOfStack(call, STACK));
    const second = StackCallShare.of(copyOfStack(call, STACK));
    expect(second).toBe(first);
    const surface = first.graph.surfaces[0];
    expect(second.imagesOf(surface)).toBe(first.imagesOf(surface));
    expect(first.imagesOf(surface)).toMatchObject([{ kind: "image", imageId: IMAGES.affectedHotfixable }]);
    expect(second.cloudAssistantCoverage()).toBe(first.cloudAssistantCoverage());
    await first.cloudAssistantCoverage();
  });

  it("finds a kernel-route verdict once per surface, kernel and template for all advisories without a hotfix", async () => {
    const share = StackCallShare.of(copyOfStack(request(STACK.length), STACK));
    const [web, api] = share.graph.surfaces;
    let finds = 0;
    const find = () => (finds++, Promise.resolve({ state: "none", notes: [] } as const));
    const first = share.kernelRouteMitigation(web, "4.19.91-23.al7", find);
    expect(share.kernelRouteMitigation(web, "4.19.91-23.al7", find)).toBe(first);
    await share.kernelRouteMitigation(web, "4.19.91-22.2.al7", find);
    await share.kernelRouteMitigation(api, "4.19.91-23.al7", find);
    expect(finds).toBe(3);
  });

  it("shares nothing between two calls, even of the same stack", () => {
    const a = StackCallShare.of(copyOfStack(request(STACK.length), STACK));
    const b = StackCallShare.of(copyOfStack(request(STACK.length), STACK));
    expect(b).not.toBe(a);
  });

  it("shares nothing when the stack is not the one the call's share was built from", () => {
    const call = request(STACK.length);
    const a = StackCallShare.of(copyOfStack(call, STACK));
    expect(StackCallShare.of(copyOfStack(call, STACK.slice(0, 2)))).not.toBe(a);
    expect(StackCallShare.of(copyOfStack(call, ["other", "api", "inv-1"]))).not.toBe(a);
  });

  it("without the request's arrays to recognise a call by, every policy builds its own", () => {
    const resources = copyOfStack(undefined, STACK).map(
      (r) => ({ ...r, opts: undefined }) as unknown as PolicyResource,
    );
    expect(StackCallShare.of(resources)).not.toBe(StackCallShare.of(resources));
    expect(StackCallShare.of([]).graph.surfaces).toEqual([]);
  });
});

describe("how the SDK hands a stack to each stack policy (what StackCallShare relies on)", () => {
  // The pack's own @pulumi/policy and protobuf modules, the ones its server runs.
  const packRequire = createRequire(path.join(__dirname, "../../../policies/package.json"));
  const server = packRequire("@pulumi/policy/server") as {
    makeAnalyzeStackRpcFun(
      ...args: unknown[]
    ): (call: { request: unknown }, callback: (error: Error | null | undefined) => void) => Promise<void>;
  };
  const pb = packRequire("@pulumi/pulumi/proto/analyzer_pb") as Record<
    string,
    new () => Record<string, (...a: unknown[]) => unknown>
  > & {
    AnalyzeStackRequest: {
      new (): { setResourcesList(r: unknown[]): void; serializeBinary(): Uint8Array };
      deserializeBinary(b: Uint8Array): unknown;
    };
  };
  const { Struct } = packRequire("google-protobuf/google/protobuf/struct_pb") as {
    Struct: { fromJavaScript(v: object): unknown };
  };

  /** A request as the engine sends it (encoded, then decoded as the server does). */
  const requestOf = (names: readonly string[]) => {
    const req = new pb.AnalyzeStackRequest();
    req.setResourcesList(
      names.map((name) => {
        const r = new pb.AnalyzerResource();
        r.setType(T.instance);
        r.setName(name);
        r.setUrn(UNIT_NAMING.urnOf({ type: T.instance, name }));
        r.setProperties(Struct.fromJavaScript({ imageId: IMAGES.affectedHotfixable }));
        r.setOptions(new pb.AnalyzerResourceOptions());
        return r;
      }),
    );
    return pb.AnalyzeStackRequest.deserializeBinary(req.serializeBinary());
  };

  it("gives every policy its own resource objects, but the request's own opts.aliases array: one per call", async () => {
    const seen: { resources: PolicyResource[]; policy: string }[] = [];
    const record = (name: string) => ({
      name,
      description: "Records.",
      enforcementLevel: "advisory",
      validateStack: (args: { resources: PolicyResource[] }) =>
        void seen.push({ resources: args.resources, policy: name }),
    });
    const rpc = server.makeAnalyzeStackRpcFun("p", "0.0.1", "advisory", [record("a"), record("b")]);
    const analyze = (request: unknown) =>
      new Promise<void>((resolve, reject) => void rpc({ request }, (e) => (e ? reject(e) : resolve())));
    await analyze(requestOf(["web", "api"]));
    await analyze(requestOf(["web", "api"]));
    const [a1, b1, a2] = seen;
    expect(b1.resources[0]).not.toBe(a1.resources[0]);
    expect(b1.resources[0].opts.aliases).toBe(a1.resources[0].opts.aliases);
    expect(a2.resources[0].opts.aliases).not.toBe(a1.resources[0].opts.aliases);
    expect(StackCallShare.of(b1.resources)).toBe(StackCallShare.of(a1.resources));
    expect(StackCallShare.of(a2.resources)).not.toBe(StackCallShare.of(a1.resources));
  });
});
