import { KernelAdvisory, KernelAssessment } from "../knowledge/advisories";
import { FixedImageRecommendation } from "../knowledge/fixedImages";
import { formatKernelRelease } from "../knowledge/kernelRelease";
import { KernelResolution } from "../knowledge/kernelResolver";
import { ExemptionStatus } from "../config/exemptions";

export interface AdvisoryViolation {
  readonly label: string;
  readonly name: string;
  readonly imageId: string;
  /** Launch template of this stack the image comes from, if any. */
  readonly templateName?: string;
  readonly resolution: Extract<KernelResolution, { outcome: "resolved" }>;
  readonly assessment: Extract<KernelAssessment, "affected-hotfixable" | "affected-needs-kernel-update">;
  /** Why attached hotfix scripts or invocations do not count. Never contains property values. */
  readonly mitigationNotes: readonly string[];
  readonly exemption?: Exclude<ExemptionStatus, { state: "active" }>;
  readonly fixedImage?: FixedImageRecommendation;
  /** Whether this resource can be reached by Cloud Assistant invocations (instances) or only by user data. */
  readonly invocationTarget: boolean;
}

/**
 * The violation text: what is affected and how the pack knows, why attached mitigations do not count, and the ways
 * out. It names image IDs, kernels and resource names only; user data and other property values never appear.
 */
export function advisoryViolationMessage(v: AdvisoryViolation, advisory: KernelAdvisory): string {
  const kernel = formatKernelRelease(v.resolution.kernel);
  const via = v.templateName ? ` (through launch template '${v.templateName}')` : "";
  const lines: string[] = [
    `${v.label} '${v.name}' launches from image ${v.imageId}${via}, kernel ${kernel} ` +
      `(${v.resolution.explanation}; confidence ${v.resolution.confidence}): affected by the ${advisory.shortTitle} (${advisory.urls.zh}).`,
  ];
  for (const note of v.mitigationNotes) lines.push(`Not a mitigation: ${note}.`);
  if (v.exemption?.state === "expired") {
    lines.push(`An exemption for this resource expired on ${v.exemption.exemption.expires} (reason: ${v.exemption.exemption.reason}).`);
  } else if (v.exemption?.state === "invalid") {
    lines.push(`An exemption matches this resource but is ignored: ${v.exemption.problem}.`);
  }

  const fixed = v.fixedImage
    ? `use fixed image ${v.fixedImage.imageId} (kernel ${v.fixedImage.kernel}${v.fixedImage.kernelStated ? "" : ", INFERRED"}` +
      `${v.fixedImage.otherVariant ? "; base variant, none of this variant is known" : v.resolution.variant === undefined ? ", base variant" : ", same variant"}) or Alibaba Cloud Linux 3`
    : "use an Alibaba Cloud Linux 3 image (no fixed Alinux 2 image of this variant is known)";
  const { hotfix, kernelUpdate } = advisory;
  if (v.assessment === "affected-hotfixable" && hotfix) {
    const attach = v.invocationTarget
      ? "the companion OverlayfsHotfix component on this instance, or hotfixUserData() as user data"
      : "hotfixUserData() of the companion as its user data";
    lines.push(`Fix: (1) ${fixed}; or (2) apply ${hotfix.package} at provisioning (no reboot): ${attach}.`);
  } else if (hotfix) {
    lines.push(
      `Fix: ${fixed}. The hotfix ${hotfix.package} cannot fix this kernel: it covers ${formatKernelRelease(hotfix.appliesFrom)} ` +
        `to ${formatKernelRelease(hotfix.appliesThrough)} only; older kernels need a kernel update and a reboot first.`,
    );
  } else {
    const inferred = kernelUpdate.basis.startsWith("INFERRED") ? "INFERRED; " : "";
    lines.push(`Fix: (1) ${fixed}; or (2) ${kernelUpdate.command} and a reboot at provisioning (${inferred}no hotfix is documented).`);
  }
  return lines.join("\n");
}
