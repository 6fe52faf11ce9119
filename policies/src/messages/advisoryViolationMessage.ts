import { KernelAdvisory, KernelAssessment } from "../knowledge/advisories";
import { FixedImageRecommendation } from "../knowledge/fixedImages";
import { formatKernelRelease } from "../knowledge/kernelRelease";
import { KernelResolution } from "../knowledge/kernelResolver";
import { ExemptionStatus } from "../config/exemptions";

export interface AdvisoryViolation {
  readonly label: string;
  readonly name: string;
  readonly imageId: string;
  /** Property path the image was found at (named when it is not plain `imageId`). */
  readonly property?: string;
  /** Launch template of this stack the image comes from, if any. */
  readonly templateName?: string;
  /** What the template is called ("launch template" when unset; "node group" for a Lingjun node). */
  readonly templateLabel?: string;
  readonly resolution: Extract<KernelResolution, { outcome: "resolved" }>;
  readonly assessment: Extract<KernelAssessment, "affected-hotfixable" | "affected-needs-kernel-update">;
  /** Why attached hotfix scripts or invocations do not count. Never contains property values. */
  readonly mitigationNotes: readonly string[];
  /**
   * A mitigation the pack could not read at preview, named by resource and property (`its userData`): blocked
   * because `unknownMitigations` is "block". Never a value.
   */
  readonly unreadMitigation?: string;
  readonly exemption?: Exclude<ExemptionStatus, { state: "active" }>;
  readonly fixedImage?: FixedImageRecommendation;
  /** Whether this resource can be reached by Cloud Assistant invocations (instances) or only by user data. */
  readonly invocationTarget: boolean;
  /** Whether the resource takes user data (itself or through a launch template); false: only a fixed image helps. */
  readonly takesUserData?: boolean;
}

/**
 * The violation text: what is affected and how the pack knows, why attached mitigations do not count, and the ways
 * out. It names image IDs, kernels and resource names only; user data and other property values never appear.
 */
export function advisoryViolationMessage(v: AdvisoryViolation, advisory: KernelAdvisory): string {
  const kernel = formatKernelRelease(v.resolution.kernel);
  const via = v.templateName
    ? ` (through ${v.templateLabel ?? "launch template"} '${v.templateName}')`
    : v.property && v.property !== "imageId"
      ? ` (${v.property})`
      : "";
  const lines: string[] = [
    `${v.label} '${v.name}' launches from image ${v.imageId}${via}, kernel ${kernel} ` +
      `(${v.resolution.explanation}; confidence ${v.resolution.confidence}): affected by the ${advisory.shortTitle} (${advisory.urls.zh}).`,
  ];
  for (const note of v.mitigationNotes) lines.push(`Not a mitigation: ${note}.`);
  if (v.unreadMitigation) {
    lines.push(
      `Not a mitigation: ${v.unreadMitigation} is not known at preview, so the pack cannot see whether it ${advisory.hotfix ? `installs ${advisory.hotfix.package}` : "updates the kernel and reboots"}. ` +
        `Make it known at preview (not built from another resource's output), ${advisory.hotfix ? "apply the hotfix with the companion's Cloud Assistant invocation (read at preview through property dependencies), " : ""}` +
        "add an exemption, or set unknownMitigations to \"defer\" to leave this verdict to the check after deployment.",
    );
  }
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
    if (v.invocationTarget || v.takesUserData !== false) {
      lines.push(`Fix: (1) ${fixed}; or (2) apply ${hotfix.package} at provisioning (no reboot): ${attach}.`);
    } else {
      lines.push(`Fix: ${fixed}. The pack cannot see a hotfix applied to what this resource launches (it takes no user data the pack reads).`);
    }
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
