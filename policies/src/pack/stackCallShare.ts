import type { PolicyResource } from "@pulumi/policy";
import { StackGraph, SurfaceResource } from "../launchSurfaces/stackGraph";
import { findTemplate, SurfaceImage, surfaceImagesOf } from "../launchSurfaces/surfaceImage";
import { cloudAssistantCoverage, TargetCoverage } from "../mitigations/cloudAssistantHotfix";
import type { Mitigation } from "../mitigations/surfaceMitigation";

/**
 * The advisory-neutral part of checking a stack, shared by the pack's advisory policies within one AnalyzeStack call:
 * the stack graph, the images and launch template of each launch surface and what the Cloud Assistant invocations run. Each advisory
 * policy then only resolves and judges (its own config, its own kernel range) what the first one found.
 *
 * Why: the SDK (@pulumi/policy 1.21 server.js, makeAnalyzeStackRpcFun) hands every stack policy its own copy of the
 * stack, deserialised again, so nothing in the arguments says two policies look at the same stack — but they always
 * do within one call, and building the graph and the coverage again was most of the second and third advisory's own
 * time (PERF-NOTES.md).
 *
 * How a call is recognised: the SDK copies each resource's options from the request, and its repeated fields
 * (`opts.aliases`) are the request message's own arrays (google-protobuf returns the array it holds), so the first
 * resource's `opts.aliases` is one object per request, the same for every policy of the call and never the same for
 * two calls. Held in a WeakMap, it lives as long as the request. Where that object is missing (another SDK, a test
 * runtime without it) or the stack differs (length, first and last URN), nothing is shared: each policy builds its own,
 * which is always correct, only slower.
 */
export class StackCallShare {
  private readonly imagesBySurface = new Map<SurfaceResource, SurfaceImage[]>();
  private readonly templates = new Map<SurfaceResource, PolicyResource | undefined>();
  private coverage: Promise<Map<string, TargetCoverage>> | undefined;
  private readonly kernelRouteVerdicts = new Map<SurfaceResource, Map<string, Promise<Mitigation>>>();
  readonly graph: StackGraph;

  private constructor(private readonly resources: readonly PolicyResource[]) {
    this.graph = new StackGraph(resources);
  }

  /** The share of the call this stack is checked in (built by the first policy that asks). */
  static of(resources: readonly PolicyResource[]): StackCallShare {
    const token = callToken(resources);
    if (!token) return new StackCallShare(resources);
    const known = SHARES.get(token);
    if (known && known.sameStack(resources)) return known;
    const share = new StackCallShare(resources);
    SHARES.set(token, share);
    return share;
  }

  /** Every image the surface uses (surfaceImage.ts), read once per call. */
  imagesOf(target: SurfaceResource): SurfaceImage[] {
    let images = this.imagesBySurface.get(target);
    if (!images)
      this.imagesBySurface.set(target, (images = surfaceImagesOf(target.resource, target.surface, this.graph)));
    return images;
  }

  /** The launch template of this stack the surface uses (its user data counts when the surface sets none), if any. */
  templateOf(target: SurfaceResource): PolicyResource | undefined {
    if (!target.surface.launchTemplate) return undefined;
    if (!this.templates.has(target))
      this.templates.set(target, findTemplate(target.resource, target.surface.launchTemplate, this.graph));
    return this.templates.get(target);
  }

  /**
   * The mitigation verdict on a surface for an advisory without a hotfix, found once per call for all of them: their
   * only way out is the kernel update and reboot, which advisoryRemedy.ts remedyFor judges the same whatever the
   * advisory (it reads the advisory only for its hotfix). `key` names the kernel and the template the user data
   * comes from.
   */
  kernelRouteMitigation(target: SurfaceResource, key: string, find: () => Promise<Mitigation>): Promise<Mitigation> {
    let verdicts = this.kernelRouteVerdicts.get(target);
    if (!verdicts) this.kernelRouteVerdicts.set(target, (verdicts = new Map<string, Promise<Mitigation>>()));
    let verdict = verdicts.get(key);
    if (!verdict) verdicts.set(key, (verdict = find()));
    return verdict;
  }

  /** What the stack's Cloud Assistant invocations run, per target URN (read on first use, once per call). */
  cloudAssistantCoverage(): Promise<Map<string, TargetCoverage>> {
    return (this.coverage ??= cloudAssistantCoverage(this.graph));
  }

  private sameStack(resources: readonly PolicyResource[]): boolean {
    const mine = this.resources;
    return (
      mine.length === resources.length &&
      (mine.length === 0 ||
        (mine[0].urn === resources[0].urn && mine[mine.length - 1].urn === resources[resources.length - 1].urn))
    );
  }
}

const SHARES = new WeakMap<object, StackCallShare>();

function callToken(resources: readonly PolicyResource[]): object | undefined {
  const aliases: unknown = resources[0]?.opts?.aliases;
  return typeof aliases === "object" && aliases !== null ? aliases : undefined;
}
