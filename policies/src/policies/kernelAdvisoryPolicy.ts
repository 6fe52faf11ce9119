import type { PolicyResource, ReportViolation, StackValidationPolicy } from "@pulumi/policy";
import { AdvisoryPolicyConfig, advisoryPolicyConfigSchema } from "../config/configSchema";
import { ExemptionList } from "../config/exemptions";
import { assessKernel, isAffected, KernelAdvisory, KernelAssessment } from "../knowledge/advisories";
import type { ResolvedKernel } from "../knowledge/kernelResolver";
import { formatKernelRelease } from "../knowledge/kernelRelease";
import { recommendFixedImage } from "../knowledge/fixedImages";
import { withPolicyDeclarations } from "../knowledge/kernelDeclarations";
import { imageVerdictKey, resolveSurfaceImage } from "../launchSurfaces/imageKernel";
import { SurfaceResource } from "../launchSurfaces/stackGraph";
import { SurfaceImage } from "../launchSurfaces/surfaceImage";
import { advisoryViolationMessage } from "../messages/advisoryViolationMessage";
import { scriptReadings } from "../mitigations/readingMemo";
import { findMitigation, Mitigation, prefetchMitigations } from "../mitigations/surfaceMitigation";
import { createPackContext, PackContext } from "../pack/packContext";
import { StackCallShare } from "../pack/stackCallShare";
import { PreviewDeferrals } from "../runtime/previewDeferrals";

/**
 * The stack policy of one kernel advisory (a row of data/advisories.json): it blocks — or, at the advisory's default
 * level, reports — every launch surface of the stack whose image boots a kernel the advisory names and that is not
 * mitigated at provisioning. A stack policy, because a mitigation usually arrives through another resource (a Cloud
 * Assistant invocation) that only the whole stack shows.
 *
 * How many stack policies the pack can afford: the SDK (@pulumi/policy 1.21 server.js, makeAnalyzeStackRpcFun)
 * deserialises and proxies every resource of the stack once PER STACK POLICY, before calling it — the largest
 * part of AnalyzeStack's cost on large stacks. One stack policy per advisory therefore costs one such pass each;
 * with three advisories that is three passes, which the bench's do-nothing pack (same number of no-op stack
 * policies) pays too. What the policies can share, they share: kernel resolution is pure; the stack graph, each
 * surface's images and the Cloud Assistant coverage are built once per AnalyzeStack call (pack/stackCallShare.ts),
 * script readings read once (mitigations/readingMemo.ts); so the second and third advisory pay only the SDK's pass, a
 * walk over the surfaces and a cheap per-advisory judgement of each reading. A fourth or fifth advisory is fine on
 * that account; past that, fold several advisories into one policy only if the per-advisory enforcement level is
 * given up (it is a contract). Each violation the pack reports costs the SDK's encoding of its characters: see
 * advisoryDescription, messages/advisoryViolationMessage.ts and runtime/violationReport.ts.
 */
export function createAdvisoryPolicy(
  advisory: KernelAdvisory,
  context: PackContext = createPackContext(),
): StackValidationPolicy {
  const { policy } = advisory;
  return {
    name: policy.name,
    displayName: policy.displayName,
    description: advisoryDescription(advisory),
    enforcementLevel: policy.enforcementLevel,
    severity: policy.severity,
    tags: [...policy.tags],
    url: advisory.urls.en ?? advisory.urls.zh,
    framework: {
      name: "Alibaba Cloud knowledge base",
      version: advisory.knowledgeBaseId,
      reference: advisory.urls.zh,
      specification: advisory.title,
    },
    remediationSteps: remediationSteps(advisory, context),
    configSchema: advisoryPolicyConfigSchema,
    // Async: the script readers load their parsers on first use (the SDK awaits a returned promise).
    validateStack: async (args, reportViolation) => {
      const config = args.getConfig<AdvisoryPolicyConfig>();
      // The pack's advisory policies share script readings within one AnalyzeStack call.
      scriptReadings.startRun(policy.name);
      await checkStack(args.resources, config, advisory, context, reportViolation);
    },
  };
}

/** The policy's description: the affected range and what mitigates it, from the advisory's row. */
function advisoryDescription(advisory: KernelAdvisory): string {
  // Short on purpose: the SDK sends the description with every violation, in its own field and, when the policy
  // reports in the documented form, again as the message's first line (runtime/violationReport.ts), so each character
  // is paid once or twice per violation in every preview. What it leaves out is in the
  // policy's other fields: the OS and the crash in its name, display name and tags, the advisory's title and links in
  // its framework and url, the ways out in its remediation steps.
  const verb = advisory.policy.enforcementLevel === "mandatory" ? "Blocks" : "Reports";
  const range = `${verb} launches on kernels up to ${formatKernelRelease(advisory.affectedThrough)}`;
  return advisory.hotfix
    ? `${range} without ${advisory.hotfix.package} (advisory ${advisory.knowledgeBaseId}).`
    : `${range} (advisory ${advisory.knowledgeBaseId}; no hotfix is documented).`;
}

/** Numbered steps from the data: a fixed image past every advisory, the advisory's own mitigation, declare, exempt. */
function remediationSteps(advisory: KernelAdvisory, context: PackContext): string {
  const fixed = recommendFixedImage("base", context.advisories, context.catalog, context.resolver);
  const image = fixed
    ? `an Alibaba Cloud Linux 2.1903 image whose kernel is past every advisory this pack knows (kernel ${fixed.kernel} or later${fixed.kernelStated ? "" : ", INFERRED"}, e.g. ${fixed.imageId}) of the same variant, or an Alibaba Cloud Linux 3 image`
    : "an Alibaba Cloud Linux 3 image";
  const steps = [`Prefer a fixed image: ${image}.`];
  const { hotfix, kernelUpdate } = advisory;
  if (hotfix) {
    steps.push(
      `Or keep the image and apply the live hotfix at provisioning with the companion OverlayfsHotfix component: a Cloud Assistant command that runs \`${hotfix.installCommand}\`, invoked on the instances (or the same script as user data for launch templates, scaling configurations and node pools). The hotfix covers kernels ${formatKernelRelease(hotfix.appliesFrom)} to ${formatKernelRelease(hotfix.appliesThrough)} only.`,
    );
  } else {
    steps.push(
      `Or update the kernel at provisioning and reboot (\`${kernelUpdate.command}\`, then a reboot), in user data or a one-time Cloud Assistant command${kernelUpdate.basis.startsWith("INFERRED") ? " (INFERRED: the advisory documents no fix)" : ""}.`,
    );
  }
  steps.push(
    "For a custom image, declare its kernel in the pack's image-kernels.json (or this policy's imageKernels) so the pack can judge it.",
    "To accept the risk for a while, add an exemption with a reason and an expiry date (exemptions).",
    "User data or command content built from other resources' outputs cannot be read at preview and is reported as not mitigating; make it known at preview, use the companion's Cloud Assistant invocation, or set unknownMitigations to \"defer\" to leave the verdict to the check after deployment.",
  );
  return steps.map((step, i) => `${i + 1}. ${step}`).join("\n");
}

async function checkStack(
  resources: readonly PolicyResource[],
  config: AdvisoryPolicyConfig,
  advisory: KernelAdvisory,
  context: PackContext,
  report: ReportViolation,
): Promise<void> {
  const { resolver, catalog } = context;
  const declared = withPolicyDeclarations(context.declaredKernels, config.imageKernels);
  const blockUnknownMitigations = (config.unknownMitigations ?? "block") === "block";
  const exemptions = new ExemptionList(config.exemptions ?? [], context.today());
  // The graph, each surface's images and what the stack's Cloud Assistant invocations run are advisory-neutral:
  // shared with the pack's other advisory policies in this AnalyzeStack call (each judges them itself).
  const share = StackCallShare.of(resources);
  const { graph } = share;
  const coverageOnce = () => share.cloudAssistantCoverage();
  // Values unknown at preview that kept a verdict open; rethrown at the end (naming every one) so the engine reports
  // its "can't run during preview" advisory — after every verdict that could be reached has been reported.
  const deferrals = new PreviewDeferrals();
  // Stacks repeat a handful of image IDs across thousands of resources: resolve and assess each ID once per run.
  // Undefined when the kernel cannot be resolved (alinux-image-kernel-unknown reports those).
  const verdicts = new Map<string, ImageVerdict | undefined>();
  const fixedImages = new Map<string, ReturnType<typeof recommendFixedImage>>();
  const fixedImageFor = (variant: string) => {
    if (!fixedImages.has(variant))
      fixedImages.set(variant, recommendFixedImage(variant, context.advisories, catalog, resolver));
    return fixedImages.get(variant);
  };

  // First what each launch surface needs judged, in stack order (cheap: images and kernels), then the judging, which
  // reads scripts: in between, the user data to be read is announced, so that it can be read ahead on other threads.
  const checks: { readonly target: SurfaceResource; readonly steps: Step[] }[] = [];
  for (const target of graph.surfaces) {
    const { resource } = target;
    let exemption: ReturnType<ExemptionList["statusFor"]> | null = null;
    const steps: Step[] = [];
    for (const image of share.imagesOf(target)) {
      if (image.kind === "unknown") {
        steps.push({ kind: "defer", image });
        continue;
      }
      if (image.kind !== "image") continue;
      const key = imageVerdictKey(image);
      if (!verdicts.has(key)) {
        const resolution = resolveSurfaceImage(resolver, image, declared);
        verdicts.set(
          key,
          resolution.outcome === "resolved"
            ? { resolution, assessment: assessKernel(advisory, resolution.kernel) }
            : undefined,
        );
      }
      const verdict = verdicts.get(key);
      if (!verdict || !isAffected(verdict.assessment)) continue;
      const { resolution, assessment } = verdict;
      // An exempted resource is skipped before anything else is read, so nothing unknown about it can hold up a
      // verdict. An exemption names resources; images and instances derived from them are judged on their own.
      if (exemption === null) exemption = exemptions.statusFor(resource.urn, resource.name);
      if (exemption?.state === "active") break;
      steps.push({
        kind: "judge",
        image,
        resolution,
        assessment,
        exemption,
        template: image.template ?? share.templateOf(target),
      });
    }
    if (steps.length > 0) checks.push({ target, steps });
  }
  prefetchMitigations(
    checks.flatMap(({ target, steps }) =>
      steps.flatMap((step) => (step.kind === "judge" ? [{ target, template: step.template }] : [])),
    ),
  );

  for (const { target, steps } of checks) {
    const { resource, surface } = target;
    // One reading of the resource's mitigations per kernel (a hotfix script may pin a release).
    const mitigations = new Map<string, Mitigation>();
    for (const step of steps) {
      if (step.kind === "defer") {
        deferrals.add(surface.label, resource.name, step.image.property, step.image);
        continue;
      }
      const { image, resolution, assessment, exemption } = step;
      const kernelKey = `${resolution.kernel.version}-${resolution.kernel.release}\u0000${image.template?.urn ?? ""}`;
      let mitigation = mitigations.get(kernelKey);
      if (!mitigation) {
        const find = () => findMitigation(target, step.template, coverageOnce, advisory, resolution.kernel);
        // Without a hotfix the kernel route is the only way out, judged alike for every such advisory: shared.
        mitigation = await (advisory.hotfix
          ? find()
          : share.kernelRouteMitigation(target, `${kernelKey}\u0000${resolution.kernel.arch ?? ""}`, find));
        mitigations.set(kernelKey, mitigation);
      }
      if (mitigation.state === "mitigated") continue;
      let notes: readonly string[] = [];
      let unreadMitigation: string | undefined;
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

      const message = advisoryViolationMessage(
        {
          label: surface.label,
          name: resource.name,
          imageId: image.imageId,
          property: image.property,
          templateName: image.template?.name,
          templateLabel: image.templateLabel,
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
      context.violationReporter(report, message, resource.urn);
    }
  }
  const deferred = deferrals.error();
  if (deferred) throw deferred;
}

type ViolationFacts = Parameters<typeof advisoryViolationMessage>[0];

/** What one image of a launch surface needs: its verdict deferred (an unknown image ID), or judging (affected). */
type Step =
  | { readonly kind: "defer"; readonly image: Extract<SurfaceImage, { kind: "unknown" }> }
  | {
      readonly kind: "judge";
      readonly image: Extract<SurfaceImage, { kind: "image" }>;
      readonly resolution: ResolvedKernel;
      readonly assessment: ViolationFacts["assessment"];
      readonly exemption: ViolationFacts["exemption"];
      readonly template: PolicyResource | undefined;
    };

/** A resolved kernel, and what the advisory says about it. */
interface ImageVerdict {
  readonly resolution: ResolvedKernel;
  readonly assessment: KernelAssessment;
}
