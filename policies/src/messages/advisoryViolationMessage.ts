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
 * The violation text: the image and kernel and how the pack knows, why attached mitigations do not count, and the
 * ways out. The advisory is the policy's (its name is shown with every violation; in the documented report form the
 * SDK also puts its description, which names the kernel range and the hotfix, first), so nothing here repeats it. It
 * names image IDs, kernels and resource names only; user data and other property values never appear.
 *
 * Short on purpose: a preview of a large estate reports thousands of these, and the SDK encodes every character of
 * every message one by one (google-protobuf's JavaScript writer), which is most of what reporting them costs
 * (PERF-NOTES.md). So no word is here that another line already says.
 */
export function advisoryViolationMessage(v: AdvisoryViolation, advisory: KernelAdvisory): string {
  const via = v.templateName
    ? ` (through ${v.templateLabel ?? "launch template"} '${v.templateName}')`
    : v.property && v.property !== "imageId"
      ? ` (${v.property})`
      : "";
  const lines: string[] = [
    `${v.label} '${v.name}' launches from image ${v.imageId}${via}, kernel ${formatKernelRelease(v.resolution.kernel)} (${howKnown(v.resolution)}).`,
  ];
  for (const note of v.mitigationNotes) lines.push(`Not a mitigation: ${note}.`);
  const { hotfix, kernelUpdate } = advisory;
  if (v.unreadMitigation) {
    lines.push(
      `Not a mitigation: ${v.unreadMitigation} is not known at preview, so the pack cannot see whether it ${hotfix ? `installs ${hotfix.package}` : "updates the kernel and reboots"}. ` +
        `Make it known at preview (not built from another resource's output), ${hotfix ? "apply the hotfix with the companion's Cloud Assistant invocation (read at preview through property dependencies), " : ""}` +
        'add an exemption, or set unknownMitigations to "defer" to leave this verdict to the check after deployment.',
    );
  }
  if (v.exemption?.state === "expired") {
    lines.push(
      `An exemption for this resource expired on ${v.exemption.exemption.expires} (reason: ${v.exemption.exemption.reason}).`,
    );
  } else if (v.exemption?.state === "invalid") {
    lines.push(`An exemption matches this resource but is ignored: ${v.exemption.problem}.`);
  }

  const image = fixedImageText(v);
  if (v.assessment === "affected-hotfixable" && hotfix) {
    if (v.invocationTarget) {
      lines.push(
        `Fix: ${image}, or apply ${hotfix.package} at provisioning (the companion's OverlayfsHotfix, or hotfixUserData() as user data).`,
      );
    } else if (v.takesUserData !== false) {
      lines.push(
        `Fix: ${image}, or apply ${hotfix.package} at provisioning (the companion's hotfixUserData() as its user data).`,
      );
    } else {
      lines.push(
        `Fix: ${image}. The pack cannot see a hotfix applied to what this resource launches (it takes no user data the pack reads).`,
      );
    }
  } else if (hotfix) {
    // Below the hotfix's range the advisory's own fix is the kernel update (the repositories' newest kernels are past it).
    lines.push(
      `Fix: ${image}, or a kernel update and a reboot at provisioning (${hotfix.package} covers ${formatKernelRelease(hotfix.appliesFrom)} to ${formatKernelRelease(hotfix.appliesThrough)} only).`,
    );
  } else {
    lines.push(
      `Fix: ${image}, or ${kernelUpdate.command} and a reboot at provisioning${kernelUpdate.basis.startsWith("INFERRED") ? " (INFERRED)" : ""}.`,
    );
  }
  return lines.join("\n");
}

/** How the pack knows the kernel; the confidence only where the explanation does not already say it. */
function howKnown(resolution: AdvisoryViolation["resolution"]): string {
  // "high" is a kernel stated in the release notes, "declared" one the user declared: the explanation says which.
  return resolution.confidence === "high" || resolution.confidence === "declared"
    ? resolution.explanation
    : `${resolution.explanation}; confidence ${resolution.confidence}`;
}

/** The fixed image to move to (or Alibaba Cloud Linux 3), marked where its kernel is INFERRED or its variant differs. */
function fixedImageText(v: AdvisoryViolation): string {
  const fixed = v.fixedImage;
  if (!fixed)
    return "use an Alibaba Cloud Linux 3 image (no fixed Alibaba Cloud Linux 2 image of this variant is known)";
  const marks: string[] = [];
  if (!fixed.kernelStated) marks.push(`kernel ${fixed.kernel}, INFERRED`);
  if (fixed.otherVariant) marks.push("base variant, none of this variant is known");
  else if (v.resolution.variant === undefined) marks.push("base variant");
  return `use fixed image ${fixed.imageId}${marks.length > 0 ? ` (${marks.join("; ")})` : ""} or Alibaba Cloud Linux 3`;
}
