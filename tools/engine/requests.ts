// What the engine knows about a registered resource, and the Analyzer requests it builds from that: the URN
// (stack, project, `parentType$type` chain), the parent, the default provider of the resource's package, options,
// dependencies and property dependencies (pkg/resource/plugin/analyzer_plugin.go marshals them). `ResourceNaming`
// needs no protobuf and also serves the in-process unit runtime (test/support/policyRuntime.ts), so unit and
// protocol specs see the same URNs for the same resource descriptions.
import type * as AnalyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb";
import type { PackTree } from "./packTree";

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

/** Strip `undefined` (which google-protobuf's Struct.fromJavaScript rejects) like a JSON round trip would. */
export function toStructValue(v: unknown): unknown {
  if (v === undefined) return undefined;
  if (v === null || typeof v !== "object") return v;
  if (Array.isArray(v)) return v.map((x) => (x === undefined ? null : toStructValue(x)));
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
    if (x !== undefined) out[k] = toStructValue(x);
  }
  return out;
}

/** URNs and default providers the way the engine assigns them, for one stack of one project. */
export class ResourceNaming {
  constructor(
    readonly stack: string,
    readonly project: string,
  ) {}

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

  /** A link (parent, dependency) given as a URN or as the resource itself. */
  toUrn(x: string | ResourceInput): string {
    return typeof x === "string" ? x : this.urnOf(x);
  }

  private qualifiedType(r: ResourceInput): string {
    if (r.parent === undefined || typeof r.parent === "string") {
      if (typeof r.parent === "string" && r.parent !== this.stackUrn) {
        const parentQualified = r.parent.split("::")[2];
        return parentQualified && !parentQualified.startsWith("pulumi:pulumi:Stack")
          ? `${parentQualified}$${r.type}`
          : r.type;
      }
      return r.type;
    }
    const parentUrn = this.urnOf(r.parent);
    if (parentUrn === this.stackUrn) return r.type;
    return `${this.qualifiedType(r.parent)}$${r.type}`;
  }

  parentUrnOf(r: ResourceInput): string | undefined {
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

  providerOf(r: ResourceInput): ProviderInput | undefined {
    if (r.provider === null) return undefined;
    return r.provider ?? this.defaultProviderFor(r.type);
  }
}

/** The Analyzer requests the engine sends for resource descriptions, as messages of the pack's own protobuf instances. */
export class RequestBuilder extends ResourceNaming {
  constructor(
    private readonly tree: PackTree,
    stack: string,
    project: string,
  ) {
    super(stack, project);
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

  struct(props: Record<string, unknown>): StructPb.Struct {
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
  buildAnalyzeStackRequest(
    resources: readonly StackResourceInput[],
    opts: { includeStackAndProviders?: boolean } = {},
  ): AnalyzerPb.AnalyzeStackRequest {
    const all: StackResourceInput[] = [];
    if (opts.includeStackAndProviders ?? true) {
      all.push({
        type: "pulumi:pulumi:Stack",
        name: `${this.project}-${this.stack}`,
        urn: this.stackUrn,
        provider: null,
        props: {},
      });
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
}
