import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { OverlayfsPolicyConfig, overlayfsPolicyConfigSchema } from "../config/configSchema";
import { ExemptionList } from "../config/exemptions";
import { assessKernel, isAffected, KernelAssessment } from "../knowledge/advisories";
import type { ResolvedKernel } from "../knowledge/kernelResolver";
import { recommendFixedImage } from "../knowledge/fixedImages";
import { StackGraph, SurfaceResource } from "../launchSurfaces/stackGraph";
import { findTemplate, surfaceImageOf } from "../launchSurfaces/surfaceImage";
import { overlayfsViolationMessage } from "../messages/overlayfsViolationMessage";
import { cloudAssistantCoverage, TargetCoverage } from "../mitigations/cloudAssistantHotfix";
import { scriptReadings } from "../mitigations/readingMemo";
import { findMitigation } from "../mitigations/surfaceMitigation";
import { createPackContext, PackContext } from "../pack/packContext";

export const OVERLAYFS_POLICY_NAME = "alinux2-overlayfs-dentry-leak";

/**
 * Blocks every launch surface of the stack whose image boots a kernel affected by the OverlayFS dentry leak and
 * that does not get the live hotfix at provisioning. A stack policy, because the hotfix usually arrives through
 * another resource (a Cloud Assistant invocation) that only the whole stack shows.
 */
export function createOverlayfsDentryLeakPolicy(context: PackContext = createPackContext()): StackValidationPolicy {
  const { advisory } = context;
  return {
    name: OVERLAYFS_POLICY_NAME,
    displayName: "Alibaba Cloud Linux 2 OverlayFS dentry-leak kernel",
    description:
      `Blocks ECS launches on Alibaba Cloud Linux 2.1903 kernels up to ${advisory.affectedThrough.version}-${advisory.affectedThrough.release} (OverlayFS dentry-leak crash) unless ${advisory.hotfix.package} is applied at provisioning.`,
    enforcementLevel: "mandatory",
    severity: "critical",
    tags: ["alicloud", "ecs", "kernel", "alinux2", "overlayfs"],
    url: advisory.urls.en,
    framework: { name: "Alibaba Cloud knowledge base", version: "273061", reference: advisory.urls.zh, specification: advisory.title },
    remediationSteps: [
      "1. Prefer a fixed image: an Alibaba Cloud Linux 2.1903 image released on or after 2021-03-25 (kernel 4.19.91-23.al7 or later) of the same variant, or an Alibaba Cloud Linux 3 image.",
      `2. Or keep the image and apply the live hotfix at provisioning with the companion OverlayfsHotfix component: a Cloud Assistant command that runs \`${advisory.hotfix.installCommand}\`, invoked on the instances (or the same script as user data for launch templates, scaling configurations and node pools). The hotfix covers kernels ${advisory.hotfix.appliesFrom.version}-${advisory.hotfix.appliesFrom.release} to ${advisory.hotfix.appliesThrough.version}-${advisory.hotfix.appliesThrough.release} only.`,
      "3. For a custom image, declare its kernel in the pack config (imageKernels) so the pack can judge it.",
      "4. To accept the risk for a while, add an exemption with a reason and an expiry date (exemptions).",
    ].join("\n"),
    configSchema: overlayfsPolicyConfigSchema,
    // Async: the script readers load their parsers on first use (the SDK awaits a returned promise).
    validateStack: async (args, reportViolation) => {
      const config = args.getConfig<OverlayfsPolicyConfig>();
      // The pack's policies share script readings within one AnalyzeStack call.
      scriptReadings.startRun(OVERLAYFS_POLICY_NAME);
      await checkStack(args.resources, config, context, reportViolation);
    },
  };
}

async function checkStack(
  resources: readonly PolicyResource[],
  config: OverlayfsPolicyConfig,
  context: PackContext,
  report: ReportViolation,
): Promise<void> {
  const { advisory, resolver, catalog } = context;
  const declared = config.imageKernels ?? {};
  const exemptions = new ExemptionList(config.exemptions ?? [], context.today());
  const graph = new StackGraph(resources);
  let coverage: Promise<Map<string, TargetCoverage>> | undefined;
  const coverageOnce = () => (coverage ??= cloudAssistantCoverage(graph));
  // The first value unknown at preview that kept a verdict open; rethrown at the end so the engine reports its
  // "can't run during preview" advisory — after every verdict that could be reached has been reported.
  let deferred: Error | undefined;
  // Stacks repeat a handful of image IDs across thousands of resources: resolve and assess each ID once per run.
  // Undefined when the kernel cannot be resolved (alinux-image-kernel-unknown reports those).
  const verdicts = new Map<string, ImageVerdict | undefined>();
  const verdictFor = (imageId: string): ImageVerdict | undefined => {
    if (!verdicts.has(imageId)) {
      const resolution = resolver.resolve(imageId, declared);
      verdicts.set(imageId, resolution.outcome === "resolved" ? { resolution, assessment: assessKernel(advisory, resolution.kernel) } : undefined);
    }
    return verdicts.get(imageId);
  };
  const fixedImages = new Map<string, ReturnType<typeof recommendFixedImage>>();
  const fixedImageFor = (variant: string) => {
    if (!fixedImages.has(variant)) fixedImages.set(variant, recommendFixedImage(variant, advisory, catalog, resolver));
    return fixedImages.get(variant);
  };

  for (const target of graph.surfaces) {
    const { resource, surface } = target;
    const image = surfaceImageOf(resource, surface, graph);
    if (image.kind === "unknown") {
      deferred ??= image.error;
      continue;
    }
    if (image.kind !== "image") continue;
    const verdict = verdictFor(image.imageId);
    if (!verdict || !isAffected(verdict.assessment)) continue;
    const { resolution, assessment } = verdict;
    // An exempted resource is skipped before anything else is read, so nothing unknown about it can hold up a verdict.
    const exemption = exemptions.statusFor(resource.urn, resource.name);
    if (exemption?.state === "active") continue;

    const template = image.template ?? templateOf(target, graph);
    const mitigation = await findMitigation(target, template, coverageOnce, advisory, resolution.kernel);
    if (mitigation.state === "mitigated") continue;
    if (mitigation.state === "undetermined") {
      deferred ??= mitigation.error;
      continue;
    }
    const notes = mitigation.notes;

    const message = overlayfsViolationMessage(
      {
        label: surface.label,
        name: resource.name,
        imageId: image.imageId,
        templateName: image.template?.name,
        resolution,
        assessment,
        mitigationNotes: notes,
        exemption,
        fixedImage: fixedImageFor(resolution.variant ?? "base"),
        invocationTarget: surface.invocationTarget,
      },
      advisory,
    );
    report(message, resource.urn);
  }
  if (deferred) throw deferred;
}

/** A resolved kernel, and what the advisory says about it. */
interface ImageVerdict {
  readonly resolution: ResolvedKernel;
  readonly assessment: KernelAssessment;
}

function templateOf(target: SurfaceResource, graph: StackGraph): PolicyResource | undefined {
  return target.surface.launchTemplate ? findTemplate(target.resource, target.surface.launchTemplate, graph) : undefined;
}
