import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { OverlayfsPolicyConfig, overlayfsPolicyConfigSchema } from "../config/configSchema";
import { ExemptionList } from "../config/exemptions";
import { assessKernel, isAffected, KernelAssessment } from "../knowledge/advisories";
import type { ResolvedKernel } from "../knowledge/kernelResolver";
import { recommendFixedImage } from "../knowledge/fixedImages";
import { withPolicyDeclarations } from "../knowledge/kernelDeclarations";
import { imageVerdictKey, resolveSurfaceImage } from "../launchSurfaces/imageKernel";
import { StackGraph, SurfaceResource } from "../launchSurfaces/stackGraph";
import { findTemplate, surfaceImagesOf } from "../launchSurfaces/surfaceImage";
import { overlayfsViolationMessage } from "../messages/overlayfsViolationMessage";
import { cloudAssistantCoverage, InvocationCoverage } from "../mitigations/cloudAssistantHotfix";
import { findHotfixMitigation, Mitigation } from "../mitigations/surfaceMitigation";
import { createPackContext, PackContext } from "../pack/packContext";
import { PreviewDeferrals } from "../runtime/previewDeferrals";

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
      "3. For a custom image, declare its kernel in the pack's image-kernels.json (or this policy's imageKernels) so the pack can judge it.",
      "4. To accept the risk for a while, add an exemption with a reason and an expiry date (exemptions).",
      "5. User data or command content built from other resources' outputs cannot be read at preview and is blocked; make it known at preview, use the companion's Cloud Assistant invocation, or set unknownMitigations to \"defer\" to leave the verdict to the check after deployment.",
    ].join("\n"),
    configSchema: overlayfsPolicyConfigSchema,
    validateStack: (args, reportViolation) => {
      const config = args.getConfig<OverlayfsPolicyConfig>();
      checkStack(args.resources, config, context, reportViolation);
    },
  };
}

function checkStack(
  resources: readonly PolicyResource[],
  config: OverlayfsPolicyConfig,
  context: PackContext,
  report: ReportViolation,
): void {
  const { advisory, resolver, catalog } = context;
  const declared = withPolicyDeclarations(context.declaredKernels, config.imageKernels);
  const blockUnknownMitigations = (config.unknownMitigations ?? "block") === "block";
  const exemptions = new ExemptionList(config.exemptions ?? [], context.today());
  const graph = new StackGraph(resources);
  let coverage: Map<string, InvocationCoverage> | undefined;
  const coverageOnce = () => (coverage ??= cloudAssistantCoverage(graph, advisory.hotfix.package));
  // Values unknown at preview that kept a verdict open; rethrown at the end (naming every one) so the engine reports
  // its "can't run during preview" advisory — after every verdict that could be reached has been reported.
  const deferrals = new PreviewDeferrals();
  // Stacks repeat a handful of image IDs across thousands of resources: resolve and assess each ID once per run.
  // Undefined when the kernel cannot be resolved (alinux-image-kernel-unknown reports those).
  const verdicts = new Map<string, ImageVerdict | undefined>();
  const fixedImages = new Map<string, ReturnType<typeof recommendFixedImage>>();
  const fixedImageFor = (variant: string) => {
    if (!fixedImages.has(variant)) fixedImages.set(variant, recommendFixedImage(variant, advisory, catalog, resolver));
    return fixedImages.get(variant);
  };

  for (const target of graph.surfaces) {
    const { resource, surface } = target;
    let exemption: ReturnType<ExemptionList["statusFor"]> | null = null;
    // One reading of the resource's mitigations per kernel (a hotfix script may pin a release).
    const mitigations = new Map<string, Mitigation>();
    for (const image of surfaceImagesOf(resource, surface, graph)) {
      if (image.kind === "unknown") {
        deferrals.add(surface.label, resource.name, image.property, image);
        continue;
      }
      if (image.kind !== "image") continue;
      const key = imageVerdictKey(image);
      if (!verdicts.has(key)) {
        const resolution = resolveSurfaceImage(resolver, image, declared);
        verdicts.set(key, resolution.outcome === "resolved" ? { resolution, assessment: assessKernel(advisory, resolution.kernel) } : undefined);
      }
      const verdict = verdicts.get(key);
      if (!verdict || !isAffected(verdict.assessment)) continue;
      const { resolution, assessment } = verdict;
      // An exempted resource is skipped before anything else is read, so nothing unknown about it can hold up a
      // verdict. An exemption names resources; images and instances derived from them are judged on their own.
      if (exemption === null) exemption = exemptions.statusFor(resource.urn, resource.name);
      if (exemption?.state === "active") break;

      const kernelKey = `${resolution.kernel.version}-${resolution.kernel.release}\u0000${image.template?.urn ?? ""}`;
      let mitigation = mitigations.get(kernelKey);
      if (!mitigation) {
        mitigation = findHotfixMitigation(target, image.template ?? templateOf(target, graph), coverageOnce, advisory.hotfix.package, resolution.kernel);
        mitigations.set(kernelKey, mitigation);
      }
      let notes: readonly string[] = [];
      let unreadMitigation: string | undefined;
      if (assessment === "affected-hotfixable") {
        if (mitigation.state === "hotfix-applied") continue;
        if (mitigation.state === "undetermined") {
          // Fail closed: on an image known to be affected, what cannot be read is not a mitigation.
          if (!blockUnknownMitigations) {
            deferrals.add(surface.label, resource.name, mitigation.where, mitigation);
            continue;
          }
          unreadMitigation = mitigation.where;
        } else {
          notes = mitigation.notes;
        }
      } else if (mitigation.state === "hotfix-applied") {
        notes = [`${mitigation.how}, but that hotfix cannot fix this kernel`];
      }

      const message = overlayfsViolationMessage(
        {
          label: surface.label,
          name: resource.name,
          imageId: image.imageId,
          property: image.property,
          templateName: image.template?.name,
          resolution,
          assessment,
          mitigationNotes: notes,
          unreadMitigation,
          exemption,
          fixedImage: fixedImageFor(resolution.variant ?? "base"),
          invocationTarget: surface.invocationTarget,
          takesUserData: surface.userDataProperties.length > 0 || surface.launchTemplate !== undefined,
        },
        advisory,
      );
      report(message, resource.urn);
    }
  }
  const deferred = deferrals.error();
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
