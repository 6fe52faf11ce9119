// Engine-faithful, out-of-process harness for a Node.js CrossGuard policy pack: the Analyzer client.
//
// It starts the pack like the language host (packProcess.ts), connects to its port, and then drives the
// `pulumirpc.Analyzer` service in the engine's order: Handshake (UNIMPLEMENTED tolerated), ConfigureStack,
// GetAnalyzerInfo, Configure (reconciled config, see policyPackConfig.ts), then Remediate / Analyze / AnalyzeStack,
// with requests built as the engine builds them (requests.ts) and answers read as plain data (protocolViews.ts).
//
// The only part of the real path that is left out is the language host's PolicyProxy, which answers
// Handshake itself and replays ConfigureStack; @pulumi/policy 1.21 implements neither Handshake nor Cancel,
// so talking to the pack directly is equivalent.
import type { ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as AnalyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import { spawnPack } from "./packProcess";
import { defaultPackDir, loadPackTree, type PackTree } from "./packTree";
import {
  type AnalyzerPolicyConfig,
  type PolicyMetadata,
  type PolicyPackConfigFile,
  formatEngineValidationErrors,
  parsePolicyPackConfig,
  PolicyConfigValidationError,
  reconcilePolicyPackConfig,
} from "./policyPackConfig";
import {
  LEVEL_NUM,
  toAnalyzeResult,
  toAnalyzerInfoView,
  toRemediateResult,
  type AnalyzeResult,
  type AnalyzerInfoView,
  type RemediateResult,
} from "./protocolViews";
import {
  RequestBuilder,
  toStructValue,
  type ProviderInput,
  type ResourceInput,
  type StackResourceInput,
} from "./requests";

export { PolicyConfigValidationError } from "./policyPackConfig";

// ---------------------------------------------------------------------------------------------------
// Start options
// ---------------------------------------------------------------------------------------------------

export interface StartOptions {
  /** Pack directory (contains PulumiPolicy.yaml). Defaults to `policies/`. */
  packDir?: string;
  organization?: string;
  project?: string;
  stack?: string;
  /** `pulumi preview` (true, default) or `pulumi up` (false). */
  dryRun?: boolean;
  /** Stack config, `"<project>:<key>" -> value`, passed as PULUMI_CONFIG and in ConfigureStack. */
  stackConfig?: Record<string, string>;
  /** Stack tags sent in ConfigureStack (visible to policies as `args.stackTags`). */
  stackTags?: Record<string, string>;
  /** `--policy-pack-config` content applied at start (object or JSON text). Omit for the defaults. */
  policyPackConfig?: PolicyPackConfigFile | string;
  /** Extra environment for the pack process. */
  env?: Record<string, string>;
  /** How long to wait for the port line. */
  startTimeoutMs?: number;
  /** Node.js options placed before the runner, like the `nodeargs` runtime option (e.g. `--cpu-prof`). */
  nodeArgs?: string[];
}

/** An error the engine would report from `configuring policy pack ...` (Configure rejected or refused). */
export class PolicyConfigureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyConfigureError";
  }
}

/** gRPC error returned by the pack (e.g. a policy threw a non-UnknownValueError exception). */
export class AnalyzerRpcError extends Error {
  constructor(
    readonly rpc: string,
    readonly code: number | undefined,
    readonly details: string,
  ) {
    super(`${rpc} failed (grpc code ${code}): ${details}`);
    this.name = "AnalyzerRpcError";
  }
}

type AnyClient = InstanceType<PackTree["analyzerGrpcPb"]["AnalyzerClient"]>;

function readPolicyYamlVersion(packDir: string): string | undefined {
  try {
    const text = fs.readFileSync(path.join(packDir, "PulumiPolicy.yaml"), "utf8");
    const m = /^version:\s*["']?([^"'\s#]+)["']?\s*(#.*)?$/m.exec(text);
    return m?.[1];
  } catch {
    return undefined;
  }
}

/** A running policy pack process plus a connected Analyzer client. One per spec file. */
export class PolicyPackHarness {
  readonly organization: string;
  readonly project: string;
  readonly stack: string;
  readonly dryRun: boolean;
  readonly packDir: string;
  /** Wall time from spawn to the port line, in ms (what the engine waits for before Handshake). */
  readonly startupMs: number;
  /** The exact first stdout line the engine parsed as the port. */
  readonly firstStdoutLine: string;
  readonly port: number;
  /** Result of Handshake: "unimplemented" for @pulumi/policy 1.21. */
  handshake: "ok" | "unimplemented" = "unimplemented";
  private infoCache?: AnalyzerInfoView;
  private stdoutRest = "";
  private stderrText = "";
  private exited = false;
  /** Version the engine reports in messages (PulumiPolicy.yaml `version` overrides the pack's). */
  private readonly yamlVersion?: string;
  private stackTags: Record<string, string>;
  private stackConfig: Record<string, string>;
  /** Builds requests with the engine's URNs and default providers for this stack and project. */
  private readonly requests: RequestBuilder;

  private constructor(
    readonly tree: PackTree,
    readonly child: ChildProcess,
    private readonly client: AnyClient,
    init: {
      organization: string;
      project: string;
      stack: string;
      dryRun: boolean;
      packDir: string;
      startupMs: number;
      firstStdoutLine: string;
      port: number;
      stackTags: Record<string, string>;
      stackConfig: Record<string, string>;
    },
  ) {
    this.organization = init.organization;
    this.project = init.project;
    this.stack = init.stack;
    this.dryRun = init.dryRun;
    this.packDir = init.packDir;
    this.startupMs = init.startupMs;
    this.firstStdoutLine = init.firstStdoutLine;
    this.port = init.port;
    this.stackTags = init.stackTags;
    this.stackConfig = init.stackConfig;
    this.yamlVersion = readPolicyYamlVersion(init.packDir);
    this.requests = new RequestBuilder(tree, init.stack, init.project);
    child.stdout?.on("data", (b: Buffer) => (this.stdoutRest += b.toString("utf8")));
    child.stderr?.on("data", (b: Buffer) => (this.stderrText += b.toString("utf8")));
    child.on("exit", () => (this.exited = true));
  }

  /** Spawn the pack like the language host and run the engine's start-up RPC sequence. */
  static async start(opts: StartOptions = {}): Promise<PolicyPackHarness> {
    const packDir = path.resolve(opts.packDir ?? defaultPackDir);
    const tree = loadPackTree(packDir);
    const organization = opts.organization ?? "organization";
    const project = opts.project ?? "alinux-guard-harness";
    const stack = opts.stack ?? "dev";
    const dryRun = opts.dryRun ?? true;
    const stackConfig = opts.stackConfig ?? {};
    const stackTags = opts.stackTags ?? {};
    const spawned = await spawnPack(tree, packDir, {
      organization,
      project,
      stack,
      dryRun,
      stackConfig,
      env: opts.env,
      startTimeoutMs: opts.startTimeoutMs,
      nodeArgs: opts.nodeArgs,
    });
    const { child, port } = spawned;
    const client = new tree.analyzerGrpcPb.AnalyzerClient(`127.0.0.1:${port}`, tree.grpc.credentials.createInsecure(), {
      // rpcutil.GrpcChannelOptions(): 400 MiB both ways.
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
      "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    const h = new PolicyPackHarness(tree, child, client, {
      organization,
      project,
      stack,
      dryRun,
      packDir,
      startupMs: spawned.startupMs,
      firstStdoutLine: spawned.firstStdoutLine,
      port,
      stackTags,
      stackConfig,
    });
    h.stdoutRest = spawned.stdoutRest;
    h.stderrText = spawned.stderr;
    try {
      await h.doHandshake();
      await h.configureStack();
      await h.getAnalyzerInfo();
      await h.configure(opts.policyPackConfig);
    } catch (e) {
      await h.stop();
      throw e;
    }
    return h;
  }

  /** stdout after the port line (the engine only traces it). */
  get stdout(): string {
    return this.stdoutRest;
  }

  /** Everything the pack wrote to stderr so far. */
  get stderr(): string {
    return this.stderrText;
  }

  get isRunning(): boolean {
    return !this.exited;
  }

  // -------------------------------------------------------------------------------------------------
  // Start-up RPCs
  // -------------------------------------------------------------------------------------------------

  private async doHandshake(): Promise<void> {
    const req = new this.tree.analyzerPb.AnalyzerHandshakeRequest();
    req.setEngineAddress("127.0.0.1:0");
    req.setRootDirectory(this.packDir);
    req.setProgramDirectory(this.packDir);
    try {
      await this.call("handshake", req);
      this.handshake = "ok";
    } catch (e) {
      if (e instanceof AnalyzerRpcError && e.code === this.tree.grpc.status.UNIMPLEMENTED) {
        this.handshake = "unimplemented";
        return;
      }
      throw e;
    }
  }

  /** ConfigureStack, as the engine sends it (the language host's proxy replays it to the pack). */
  async configureStack(update?: {
    stackTags?: Record<string, string>;
    stackConfig?: Record<string, string>;
  }): Promise<void> {
    if (update?.stackTags) this.stackTags = update.stackTags;
    if (update?.stackConfig) this.stackConfig = update.stackConfig;
    const req = new this.tree.analyzerPb.AnalyzerStackConfigureRequest();
    req.setStack(this.stack);
    req.setProject(this.project);
    req.setOrganization(this.organization);
    req.setDryRun(this.dryRun);
    for (const [k, v] of Object.entries(this.stackConfig)) req.getConfigMap().set(k, v);
    for (const [k, v] of Object.entries(this.stackTags)) req.getTagsMap().set(k, v);
    try {
      await this.call("configureStack", req);
    } catch (e) {
      // The proxy tolerates an Unimplemented reply.
      if (!(e instanceof AnalyzerRpcError && e.code === this.tree.grpc.status.UNIMPLEMENTED)) throw e;
    }
  }

  /** GetAnalyzerInfo as plain data (cached, like the engine). */
  /** GetAnalyzerInfo as plain data (cached, like the engine). */
  async getAnalyzerInfo(): Promise<AnalyzerInfoView> {
    if (this.infoCache) return this.infoCache;
    const resp = (await this.call("getAnalyzerInfo", new this.tree.emptyPb.Empty())) as AnalyzerPb.AnalyzerInfo;
    this.infoCache = toAnalyzerInfoView(resp);
    return this.infoCache;
  }

  /** The pack version as the engine shows it (PulumiPolicy.yaml `version` wins over package.json). */
  async engineVersion(): Promise<string> {
    return this.yamlVersion ?? (await this.getAnalyzerInfo()).version;
  }

  /**
   * Reconcile `policyPackConfig` (the `--policy-pack-config` file: object or JSON text; omit for defaults)
   * like the engine and send Configure with an entry for every policy.
   * Throws PolicyConfigValidationError with the engine's lines when the config violates a schema,
   * PolicyPackConfigParseError when the engine could not parse the file, and PolicyConfigureError when
   * the engine's Configure step itself refuses the result. Returns the config that was sent.
   */
  async configure(policyPackConfig?: PolicyPackConfigFile | string): Promise<Record<string, AnalyzerPolicyConfig>> {
    const info = await this.getAnalyzerInfo();
    const parsed = parsePolicyPackConfig(policyPackConfig);
    const metadata: PolicyMetadata[] = info.policies.map((p) => ({
      name: p.name,
      enforcementLevel: p.enforcementLevel,
      configSchema: p.configSchema,
    }));
    const { config, validationErrors } = reconcilePolicyPackConfig(metadata, info.initialConfig, parsed);
    if (!config) {
      throw new PolicyConfigValidationError(
        formatEngineValidationErrors(info.name, await this.engineVersion(), validationErrors),
      );
    }
    const req = new this.tree.analyzerPb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, c] of Object.entries(config)) {
      if (c.enforcementLevel === undefined) {
        // analyzer.Configure in analyzer_plugin.go
        throw new PolicyConfigureError(
          `configuring policy pack "${info.name}" at "${this.packDir}": invalid enforcement level ""`,
        );
      }
      const pc = new this.tree.analyzerPb.PolicyConfig();
      pc.setEnforcementlevel(LEVEL_NUM[c.enforcementLevel]);
      pc.setProperties(
        this.tree.structPb.Struct.fromJavaScript(
          toStructValue(c.properties ?? {}) as Record<string, StructPb.JavaScriptValue>,
        ),
      );
      map.set(name, pc);
    }
    await this.call("configure", req);
    return config;
  }

  // -------------------------------------------------------------------------------------------------
  /** URN of the root `pulumi:pulumi:Stack` resource. */
  get stackUrn(): string {
    return this.requests.stackUrn;
  }

  /** URN the engine builds for a resource (`parentType$type` chain for children of non-root parents). */
  urnOf(r: ResourceInput): string {
    return this.requests.urnOf(r);
  }

  /** The default provider the engine would attach to a resource of this package (see requests.ts). */
  defaultProviderFor(type: string): ProviderInput | undefined {
    return this.requests.defaultProviderFor(type);
  }

  /** Build the AnalyzeRequest the engine sends for a resource registration (inputs). */
  buildAnalyzeRequest(r: ResourceInput): AnalyzerPb.AnalyzeRequest {
    return this.requests.buildAnalyzeRequest(r);
  }

  /** Build one AnalyzerResource (outputs plus parent / dependencies / property dependencies). */
  buildStackResource(r: StackResourceInput): AnalyzerPb.AnalyzerResource {
    return this.requests.buildStackResource(r);
  }

  /**
   * Build the AnalyzeStackRequest the engine sends at the end of a preview/update. By default it also
   * contains what a real deployment has: the root `pulumi:pulumi:Stack` resource and the default provider
   * resource of every package used.
   */
  buildAnalyzeStackRequest(
    resources: readonly StackResourceInput[],
    opts: { includeStackAndProviders?: boolean } = {},
  ): AnalyzerPb.AnalyzeStackRequest {
    return this.requests.buildAnalyzeStackRequest(resources, opts);
  }

  // Analysis RPCs
  // -------------------------------------------------------------------------------------------------

  /** Analyze one resource's inputs (per registration, in preview and update). */
  async analyze(r: ResourceInput): Promise<AnalyzeResult> {
    return this.analyzeRaw(this.buildAnalyzeRequest(r));
  }

  async analyzeRaw(req: AnalyzerPb.AnalyzeRequest): Promise<AnalyzeResult> {
    return toAnalyzeResult((await this.call("analyze", req)) as AnalyzerPb.AnalyzeResponse);
  }

  /** AnalyzeStack over the stack's resources (outputs). */
  async analyzeStack(
    resources: readonly StackResourceInput[],
    opts: { includeStackAndProviders?: boolean } = {},
  ): Promise<AnalyzeResult> {
    return this.analyzeStackRaw(this.buildAnalyzeStackRequest(resources, opts));
  }

  async analyzeStackRaw(req: AnalyzerPb.AnalyzeStackRequest): Promise<AnalyzeResult> {
    return toAnalyzeResult((await this.call("analyzeStack", req)) as AnalyzerPb.AnalyzeResponse);
  }

  /**
   * Send an already-serialized AnalyzeRequest / AnalyzeStackRequest (`req.serializeBinary()`), so a benchmark
   * times the pack (transfer, decoding, policies, response) rather than this process's protobuf encoding.
   */
  async analyzeBytes(rpc: "Analyze" | "AnalyzeStack", bytes: Uint8Array): Promise<AnalyzeResult> {
    return this.decodeAnalyzeResponse(await this.analyzeBytesUndecoded(rpc, bytes));
  }

  /**
   * Sends pre-encoded request bytes and returns the response's bytes undecoded: the point at which the engine
   * has the pack's answer (it then decodes it in Go, which costs next to nothing). The benchmark times this, so
   * that decoding the response in JavaScript here, which no real preview does, is not charged to the pack.
   */
  async analyzeBytesUndecoded(rpc: "Analyze" | "AnalyzeStack", bytes: Uint8Array): Promise<Uint8Array> {
    const client = this.client as unknown as {
      makeUnaryRequest(
        method: string,
        serialize: (x: Uint8Array) => Buffer,
        deserialize: (b: Buffer) => Uint8Array,
        arg: Uint8Array,
        cb: (err: { code?: number; details?: string } | null, resp?: Uint8Array) => void,
      ): void;
    };
    return new Promise<Uint8Array>((resolve, reject) => {
      client.makeUnaryRequest(
        `/pulumirpc.Analyzer/${rpc}`,
        (x) => Buffer.from(x.buffer, x.byteOffset, x.byteLength),
        (b) => new Uint8Array(b),
        bytes,
        (err, r) =>
          err || !r ? reject(new AnalyzerRpcError(rpc, err?.code, err?.details ?? "no response")) : resolve(r),
      );
    });
  }

  /** Decodes the bytes `analyzeBytesUndecoded` returned. */
  decodeAnalyzeResponse(bytes: Uint8Array): AnalyzeResult {
    return toAnalyzeResult(this.tree.analyzerPb.AnalyzeResponse.deserializeBinary(bytes));
  }

  /** Remediate one resource's inputs (the engine calls it before Analyze, also in preview). */
  async remediate(r: ResourceInput): Promise<RemediateResult> {
    const resp = (await this.call("remediate", this.buildAnalyzeRequest(r))) as AnalyzerPb.RemediateResponse;
    return toRemediateResult(resp);
  }

  /** Call Cancel as the engine does at shutdown (3.182+); returns whether it was implemented. */
  async cancel(): Promise<boolean> {
    try {
      await this.call("cancel", new this.tree.emptyPb.Empty());
      return true;
    } catch (e) {
      if (e instanceof AnalyzerRpcError && e.code === this.tree.grpc.status.UNIMPLEMENTED) return false;
      throw e;
    }
  }

  /** Close the channel and kill the process (the gRPC server keeps it alive forever). */
  async stop(): Promise<void> {
    try {
      this.client.close();
    } catch {
      /* already closed */
    }
    if (this.exited) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill("SIGKILL");
      }, 5_000);
      this.child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      this.child.kill("SIGTERM");
    });
  }

  private call(method: string, req: unknown): Promise<unknown> {
    const client = this.client as unknown as Record<
      string,
      (r: unknown, cb: (err: (Error & { code?: number; details?: string }) | null, resp: unknown) => void) => void
    >;
    const fn = client[method];
    if (typeof fn !== "function") return Promise.reject(new Error(`AnalyzerClient has no method ${method}`));
    return new Promise((resolve, reject) => {
      fn.call(this.client, req, (err, resp) => {
        if (err) reject(new AnalyzerRpcError(method, err.code, err.details ?? err.message));
        else resolve(resp);
      });
    });
  }
}
