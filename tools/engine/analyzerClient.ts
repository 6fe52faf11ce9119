// Engine-faithful, out-of-process harness for a Node.js CrossGuard policy pack.
//
// It starts the pack the way the Pulumi Node language host does (RunPlugin in
// sdk/nodejs/cmd/pulumi-language-nodejs: `node <@pulumi/pulumi/cmd/run-policy-pack> <engineAddr> <packDir>`,
// resolved from the pack dir, cwd = pack dir, PULUMI_NODEJS_* / PULUMI_CONFIG environment), reads the port
// from the first stdout line as pkg/resource/plugin/plugin.go does, and then drives the `pulumirpc.Analyzer`
// service in the engine's order: Handshake (UNIMPLEMENTED tolerated), ConfigureStack, GetAnalyzerInfo,
// Configure (reconciled config, see policyPackConfig.ts), then Remediate / Analyze / AnalyzeStack.
//
// The only part of the real path that is left out is the language host's PolicyProxy, which answers
// Handshake itself and replays ConfigureStack; @pulumi/policy 1.21 implements neither Handshake nor Cancel,
// so talking to the pack directly is equivalent.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as AnalyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import { defaultPackDir, loadPackTree, type PackTree } from "./packTree";
import {
  type AnalyzerPolicyConfig,
  type EnforcementLevel,
  type PolicyMetadata,
  type PolicyPackConfigFile,
  formatEngineValidationErrors,
  parsePolicyPackConfig,
  PolicyConfigValidationError,
  reconcilePolicyPackConfig,
} from "./policyPackConfig";

export { PolicyConfigValidationError } from "./policyPackConfig";

// ---------------------------------------------------------------------------------------------------
// Plain views of the protocol messages
// ---------------------------------------------------------------------------------------------------

export type Severity = "low" | "medium" | "high" | "critical";
export type PolicyType = "resource" | "stack";

export interface PolicyInfoView {
  name: string;
  displayName: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  policyType?: PolicyType;
  severity?: Severity;
  configSchema?: { properties: Record<string, unknown>; required: string[] };
  framework?: { name: string; version: string; reference: string; specification: string };
  tags: string[];
  remediationSteps: string;
  url: string;
}

export interface AnalyzerInfoView {
  name: string;
  displayName: string;
  version: string;
  supportsConfig: boolean;
  description: string;
  readme: string;
  provider: string;
  tags: string[];
  repository: string;
  policies: PolicyInfoView[];
  initialConfig: Record<string, AnalyzerPolicyConfig>;
}

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  /** Empty for a resource policy (the engine attributes it to the analysed resource) or an unattributed stack violation (root stack). */
  urn: string;
  severity?: Severity;
}

export interface NotApplicable {
  policyName: string;
  reason: string;
}

export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: NotApplicable[];
}

export interface RemediationView {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  /** New property values, or undefined when the policy only produced a diagnostic. */
  properties?: Record<string, unknown>;
  diagnostic: string;
}

export interface RemediateResult {
  remediations: RemediationView[];
  notApplicable: NotApplicable[];
}

const LEVELS: Record<number, EnforcementLevel> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
const LEVEL_NUM: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const SEVERITIES: Record<number, Severity | undefined> = { 0: undefined, 1: "low", 2: "medium", 3: "high", 4: "critical" };

// ---------------------------------------------------------------------------------------------------
// Resource descriptions (what the engine would know about a registered resource)
// ---------------------------------------------------------------------------------------------------

export interface ResourceOptionsInput {
  protect?: boolean;
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs?: string[];
  aliases?: string[];
  customTimeouts?: { create?: number; update?: number; delete?: number };
}

export interface ProviderInput {
  type: string;
  name: string;
  urn?: string;
  props?: Record<string, unknown>;
}

export interface ResourceInput {
  /** Type token, e.g. `alicloud:ecs/instance:Instance`. */
  type: string;
  /** Logical name. */
  name: string;
  /** Inputs (Analyze/Remediate) or outputs (AnalyzeStack); may contain unknown/secret sentinels. */
  props?: Record<string, unknown>;
  /** Defaults to the URN the engine would build from stack, project, parent chain, type and name. */
  urn?: string;
  /** Parent resource (URN or resource). Defaults to the root stack resource, like any top-level resource. */
  parent?: string | ResourceInput;
  options?: ResourceOptionsInput;
  /**
   * Explicit provider; `null` for none. Defaults to the package's default provider (e.g. `pulumi:providers:alicloud`)
   * for provider resource types (`pkg:module/file:Class`), and to none for component types (`acme:fleet:Fleet`).
   */
  provider?: ProviderInput | null;
}

export interface StackResourceInput extends ResourceInput {
  /** Resources this one depends on (URNs or resources). */
  dependencies?: Array<string | ResourceInput>;
  /** Per-property dependencies, e.g. `{ instanceIds: [instance] }`. */
  propertyDependencies?: Record<string, Array<string | ResourceInput>>;
}

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

export class PackStartError extends Error {
  constructor(
    message: string,
    readonly stdout: string,
    readonly stderr: string,
    readonly exitCode: number | null,
  ) {
    super(message);
    this.name = "PackStartError";
  }
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

/** Strip `undefined` (which google-protobuf's Struct.fromJavaScript rejects) like a JSON round trip would. */
function toStructValue(v: unknown): unknown {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : toStructValue(x)));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x !== undefined) out[k] = toStructValue(x);
  }
  return out;
}

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

    const env: NodeJS.ProcessEnv = { ...process.env, ...(opts.env ?? {}) };
    // Keep the harness's own test-runner variables out of the pack, as a CLI-launched pack would not see them.
    for (const k of Object.keys(env)) if (k.startsWith("VITEST") || k.startsWith("__VITEST")) delete env[k];
    if (env.NODE_OPTIONS && /vitest|tsx/.test(env.NODE_OPTIONS)) delete env.NODE_OPTIONS;
    env.PULUMI_NODEJS_ORGANIZATION = organization;
    env.PULUMI_NODEJS_PROJECT = project;
    env.PULUMI_NODEJS_STACK = stack;
    env.PULUMI_NODEJS_DRY_RUN = String(dryRun);
    if (Object.keys(stackConfig).length > 0) env.PULUMI_CONFIG = JSON.stringify(stackConfig);
    else delete env.PULUMI_CONFIG;

    const t0 = performance.now();
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), tree.runPolicyPackPath, "127.0.0.1:0", packDir], {
      cwd: packDir,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const { line, startupMs, stdoutBefore, stderrBefore } = await readPortLine(child, t0, opts.startTimeoutMs ?? 90_000);
    const port = parseEnginePort(line);
    if (port === undefined) {
      child.kill("SIGKILL");
      throw new PackStartError(
        `policy pack at ${packDir} wrote an invalid port to stdout: ${JSON.stringify(line)}`,
        stdoutBefore,
        stderrBefore,
        null,
      );
    }
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
      startupMs,
      firstStdoutLine: line,
      port,
      stackTags,
      stackConfig,
    });
    h.stdoutRest = stdoutBefore.slice(line.length + 1);
    h.stderrText = stderrBefore;
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
  async configureStack(update?: { stackTags?: Record<string, string>; stackConfig?: Record<string, string> }): Promise<void> {
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
  async getAnalyzerInfo(): Promise<AnalyzerInfoView> {
    if (this.infoCache) return this.infoCache;
    const resp = (await this.call("getAnalyzerInfo", new this.tree.emptyPb.Empty())) as AnalyzerPb.AnalyzerInfo;
    const policies: PolicyInfoView[] = resp.getPoliciesList().map((p) => {
      const schema = p.getConfigschema();
      const fw = p.getFramework();
      const pt = p.getPolicyType();
      return {
        name: p.getName(),
        displayName: p.getDisplayname(),
        description: p.getDescription(),
        message: p.getMessage(),
        enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory",
        policyType: pt === 1 ? "resource" : pt === 2 ? "stack" : undefined,
        severity: SEVERITIES[p.getSeverity()],
        configSchema: schema
          ? { properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>, required: schema.getRequiredList() }
          : undefined,
        framework: fw
          ? { name: fw.getName(), version: fw.getVersion(), reference: fw.getReference(), specification: fw.getSpecification() }
          : undefined,
        tags: p.getTagsList(),
        remediationSteps: p.getRemediationSteps(),
        url: p.getUrl(),
      };
    });
    const initialConfig: Record<string, AnalyzerPolicyConfig> = {};
    resp.getInitialconfigMap().forEach((v: AnalyzerPb.PolicyConfig, k: string) => {
      const props = v.getProperties()?.toJavaScript() as Record<string, unknown> | undefined;
      initialConfig[k] = {
        enforcementLevel: LEVELS[v.getEnforcementlevel()],
        properties: props && Object.keys(props).length > 0 ? props : undefined,
      };
    });
    this.infoCache = {
      name: resp.getName(),
      displayName: resp.getDisplayname(),
      version: resp.getVersion(),
      supportsConfig: resp.getSupportsconfig(),
      description: resp.getDescription(),
      readme: resp.getReadme(),
      provider: resp.getProvider(),
      tags: resp.getTagsList(),
      repository: resp.getRepository(),
      policies,
      initialConfig,
    };
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
      throw new PolicyConfigValidationError(formatEngineValidationErrors(info.name, await this.engineVersion(), validationErrors));
    }
    const req = new this.tree.analyzerPb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, c] of Object.entries(config)) {
      if (c.enforcementLevel === undefined) {
        // analyzer.Configure in analyzer_plugin.go
        throw new PolicyConfigureError(`configuring policy pack "${info.name}" at "${this.packDir}": invalid enforcement level ""`);
      }
      const pc = new this.tree.analyzerPb.PolicyConfig();
      pc.setEnforcementlevel(LEVEL_NUM[c.enforcementLevel] as AnalyzerPb.EnforcementLevel);
      pc.setProperties(this.tree.structPb.Struct.fromJavaScript(toStructValue(c.properties ?? {}) as Record<string, StructPb.JavaScriptValue>));
      map.set(name, pc);
    }
    await this.call("configure", req);
    return config;
  }

  // -------------------------------------------------------------------------------------------------
  // URNs and message builders
  // -------------------------------------------------------------------------------------------------

  /** URN of the root `pulumi:pulumi:Stack` resource. */
  get stackUrn(): string {
    return `urn:pulumi:${this.stack}::${this.project}::pulumi:pulumi:Stack::${this.project}-${this.stack}`;
  }

  /** URN the engine builds for a resource (`parentType$type` chain for children of non-root parents). */
  urnOf(r: ResourceInput): string {
    if (r.urn) return r.urn;
    const qualified = this.qualifiedType(r);
    return `urn:pulumi:${this.stack}::${this.project}::${qualified}::${r.name}`;
  }

  private qualifiedType(r: ResourceInput): string {
    if (r.parent === undefined || typeof r.parent === "string") {
      if (typeof r.parent === "string" && r.parent !== this.stackUrn) {
        const parentQualified = r.parent.split("::")[2];
        return parentQualified && !parentQualified.startsWith("pulumi:pulumi:Stack") ? `${parentQualified}$${r.type}` : r.type;
      }
      return r.type;
    }
    const parentUrn = this.urnOf(r.parent);
    if (parentUrn === this.stackUrn) return r.type;
    return `${this.qualifiedType(r.parent)}$${r.type}`;
  }

  private parentUrnOf(r: ResourceInput): string | undefined {
    if (r.type === "pulumi:pulumi:Stack") return undefined;
    if (r.parent === undefined) return r.type.startsWith("pulumi:providers:") ? undefined : this.stackUrn;
    return typeof r.parent === "string" ? r.parent : this.urnOf(r.parent);
  }

  /**
   * The default provider the engine would attach to a resource of this package. Provider resources have
   * `pkg:module/file:Class` tokens; component tokens (`acme:fleet:Fleet`) have no `/` and get no provider.
   */
  defaultProviderFor(type: string): ProviderInput | undefined {
    if (type.startsWith("pulumi:")) return undefined;
    if (!(type.split(":")[1] ?? "").includes("/")) return undefined;
    const pkg = type.split(":")[0];
    const version = pkg === "alicloud" ? "3.108.0" : "1.0.0";
    const name = `default_${version.replace(/\./g, "_")}`;
    return {
      type: `pulumi:providers:${pkg}`,
      name,
      urn: `urn:pulumi:${this.stack}::${this.project}::pulumi:providers:${pkg}::${name}`,
      props: { version },
    };
  }

  private providerOf(r: ResourceInput): ProviderInput | undefined {
    if (r.provider === null) return undefined;
    return r.provider ?? this.defaultProviderFor(r.type);
  }

  private buildOptions(r: ResourceInput): AnalyzerPb.AnalyzerResourceOptions {
    const pb = this.tree.analyzerPb;
    const o = new pb.AnalyzerResourceOptions();
    const ro = r.options ?? {};
    o.setProtect(ro.protect ?? false);
    o.setIgnorechangesList(ro.ignoreChanges ?? []);
    if (ro.deleteBeforeReplace !== undefined) {
      o.setDeletebeforereplace(ro.deleteBeforeReplace);
      o.setDeletebeforereplacedefined(true);
    }
    o.setAdditionalsecretoutputsList(ro.additionalSecretOutputs ?? []);
    o.setAliasesList(ro.aliases ?? []);
    const ct = new pb.AnalyzerResourceOptions.CustomTimeouts();
    ct.setCreate(ro.customTimeouts?.create ?? 0);
    ct.setUpdate(ro.customTimeouts?.update ?? 0);
    ct.setDelete(ro.customTimeouts?.delete ?? 0);
    o.setCustomtimeouts(ct);
    const parent = this.parentUrnOf(r);
    if (parent) o.setParent(parent);
    return o;
  }

  private buildProvider(r: ResourceInput): AnalyzerPb.AnalyzerProviderResource | undefined {
    const p = this.providerOf(r);
    if (!p) return undefined;
    const pr = new this.tree.analyzerPb.AnalyzerProviderResource();
    pr.setType(p.type);
    pr.setName(p.name);
    pr.setUrn(p.urn ?? `urn:pulumi:${this.stack}::${this.project}::${p.type}::${p.name}`);
    pr.setProperties(this.struct(p.props ?? {}));
    return pr;
  }

  private struct(props: Record<string, unknown>): StructPb.Struct {
    return this.tree.structPb.Struct.fromJavaScript(toStructValue(props) as Record<string, StructPb.JavaScriptValue>);
  }

  /** Build the AnalyzeRequest the engine sends for a resource registration (inputs). */
  buildAnalyzeRequest(r: ResourceInput): AnalyzerPb.AnalyzeRequest {
    const req = new this.tree.analyzerPb.AnalyzeRequest();
    req.setType(r.type);
    req.setName(r.name);
    req.setUrn(this.urnOf(r));
    req.setProperties(this.struct(r.props ?? {}));
    req.setOptions(this.buildOptions(r));
    const prov = this.buildProvider(r);
    if (prov) req.setProvider(prov);
    return req;
  }

  private toUrn(x: string | ResourceInput): string {
    return typeof x === "string" ? x : this.urnOf(x);
  }

  /** Build one AnalyzerResource (outputs plus parent / dependencies / property dependencies). */
  buildStackResource(r: StackResourceInput): AnalyzerPb.AnalyzerResource {
    const pb = this.tree.analyzerPb;
    const ar = new pb.AnalyzerResource();
    ar.setType(r.type);
    ar.setName(r.name);
    ar.setUrn(this.urnOf(r));
    ar.setProperties(this.struct(r.props ?? {}));
    ar.setOptions(this.buildOptions(r));
    const prov = this.buildProvider(r);
    if (prov) ar.setProvider(prov);
    const parent = this.parentUrnOf(r);
    if (parent) ar.setParent(parent);
    ar.setDependenciesList((r.dependencies ?? []).map((d) => this.toUrn(d)));
    const pdm = ar.getPropertydependenciesMap();
    for (const [k, deps] of Object.entries(r.propertyDependencies ?? {})) {
      const pd = new pb.AnalyzerPropertyDependencies();
      pd.setUrnsList(deps.map((d) => this.toUrn(d)));
      pdm.set(k, pd);
    }
    return ar;
  }

  /**
   * Build the AnalyzeStackRequest the engine sends at the end of a preview/update. By default it also
   * contains what a real deployment has: the root `pulumi:pulumi:Stack` resource and the default provider
   * resource of every package used.
   */
  buildAnalyzeStackRequest(resources: readonly StackResourceInput[], opts: { includeStackAndProviders?: boolean } = {}): AnalyzerPb.AnalyzeStackRequest {
    const all: StackResourceInput[] = [];
    if (opts.includeStackAndProviders ?? true) {
      all.push({ type: "pulumi:pulumi:Stack", name: `${this.project}-${this.stack}`, urn: this.stackUrn, provider: null, props: {} });
      const seen = new Set<string>();
      for (const r of resources) {
        const p = this.providerOf(r);
        if (p && !seen.has(p.urn ?? p.name) && p.name.startsWith("default_")) {
          seen.add(p.urn ?? p.name);
          all.push({ type: p.type, name: p.name, urn: p.urn, provider: null, props: p.props ?? {} });
        }
      }
    }
    all.push(...resources);
    const req = new this.tree.analyzerPb.AnalyzeStackRequest();
    req.setResourcesList(all.map((r) => this.buildStackResource(r)));
    return req;
  }

  // -------------------------------------------------------------------------------------------------
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
  async analyzeStack(resources: readonly StackResourceInput[], opts: { includeStackAndProviders?: boolean } = {}): Promise<AnalyzeResult> {
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
        (err, r) => (err || !r ? reject(new AnalyzerRpcError(rpc, err?.code, err?.details ?? "no response")) : resolve(r)),
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
    return {
      remediations: resp.getRemediationsList().map((x) => ({
        policyName: x.getPolicyname(),
        policyPackName: x.getPolicypackname(),
        policyPackVersion: x.getPolicypackversion(),
        description: x.getDescription(),
        properties: x.getProperties()?.toJavaScript() as Record<string, unknown> | undefined,
        diagnostic: x.getDiagnostic(),
      })),
      notApplicable: resp.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
    };
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
    const client = this.client as unknown as Record<string, (r: unknown, cb: (err: { code?: number; details?: string; message?: string } | null, resp: unknown) => void) => void>;
    const fn = client[method];
    if (typeof fn !== "function") return Promise.reject(new Error(`AnalyzerClient has no method ${method}`));
    return new Promise((resolve, reject) => {
      fn.call(this.client, req, (err, resp) => {
        if (err) reject(new AnalyzerRpcError(method, err.code, err.details ?? err.message ?? String(err)));
        else resolve(resp);
      });
    });
  }
}

function toAnalyzeResult(resp: AnalyzerPb.AnalyzeResponse): AnalyzeResult {
  return {
    diagnostics: resp.getDiagnosticsList().map((d) => ({
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      policyPackVersion: d.getPolicypackversion(),
      description: d.getDescription(),
      message: d.getMessage(),
      enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
      urn: d.getUrn(),
      severity: SEVERITIES[d.getSeverity()],
    })),
    notApplicable: resp.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
  };
}

/**
 * The engine's port parsing (pkg/resource/plugin/plugin.go): read stdout one byte at a time up to the first
 * newline, strip two .NET console escape sequences, TrimSpace, Atoi, range 1..65535.
 */
export function parseEnginePort(line: string): number | undefined {
  const cleaned = line.replace("\x1b[?1h\x1b=", "").replace("\x1b[?1l\x1b>", "").trim();
  if (!/^[+-]?\d+$/.test(cleaned)) return undefined;
  const port = Number(cleaned);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  return port;
}

function readPortLine(
  child: ChildProcess,
  t0: number,
  timeoutMs: number,
): Promise<{ line: string; startupMs: number; stdoutBefore: string; stderrBefore: string }> {
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    let done = false;
    const finish = (f: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      child.stdout?.off("data", onOut);
      child.stderr?.off("data", onErr);
      child.off("exit", onExit);
      f();
    };
    const onOut = (b: Buffer) => {
      out += b.toString("utf8");
      const nl = out.indexOf("\n");
      if (nl >= 0) {
        const startupMs = performance.now() - t0;
        finish(() => resolve({ line: out.slice(0, nl), startupMs, stdoutBefore: out, stderrBefore: err }));
      }
    };
    const onErr = (b: Buffer) => (err += b.toString("utf8"));
    const onExit = (code: number | null) => {
      let msg = `policy pack exited with code ${code} before writing its port`;
      if (err.includes("Cannot find module '@pulumi/pulumi/cmd/run-policy-pack'")) {
        msg = "it looks like the policy pack's dependencies are not installed; try running npm install or yarn install";
      }
      finish(() => reject(new PackStartError(`${msg}\nstderr:\n${err}`, out, err, code)));
    };
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      finish(() => reject(new PackStartError(`policy pack did not write its port within ${timeoutMs} ms\nstderr:\n${err}`, out, err, null)));
    }, timeoutMs);
    child.stdout?.on("data", onOut);
    child.stderr?.on("data", onErr);
    child.on("exit", onExit);
    child.on("error", (e) => finish(() => reject(new PackStartError(String(e), out, err, null))));
  });
}
