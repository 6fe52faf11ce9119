import type { ResourceValidationPolicy } from "@pulumi/policy";
import { KernelUnknownPolicyConfig, kernelUnknownPolicyConfigSchema } from "../config/configSchema";
import { resourceSurfaceImage } from "../launchSurfaces/resourceSurface";
import { createPackContext, PackContext } from "../pack/packContext";

export const KERNEL_UNKNOWN_POLICY_NAME = "alinux-image-kernel-unknown";

/**
 * Reports launch surfaces whose kernel the pack cannot determine, so the main policy cannot vouch for them:
 * custom and marketplace images not declared in the config, ACK node pools that pick an Alibaba Cloud Linux 2
 * image by type alone, and IDs that look like Alibaba Cloud Linux 2 but follow no known scheme.
 */
export function createKernelUnknownPolicy(context: PackContext = createPackContext()): ResourceValidationPolicy {
  return {
    name: KERNEL_UNKNOWN_POLICY_NAME,
    displayName: "Image kernel cannot be determined",
    description:
      "Reports ECS launch surfaces whose image kernel cannot be determined, so the kernel advisory policies cannot judge them. " +
      "Custom and marketplace images need their kernel declared in the pack config (imageKernels); images of other operating systems are not reported.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["alicloud", "ecs", "kernel", "inventory"],
    // The release notes the image catalog is built from: where a person looks up which kernel an image ships.
    url: context.catalog.images.flatMap((image) => image.sources).find((source) => source.includes("intl.en-US")),
    remediationSteps: [
      "1. Find the kernel of the image: boot it once and run `uname -r`, or read the kernel recorded when the custom image was built.",
      `2. Declare it in the policy pack config: {"alinux-image-kernel-unknown": {"imageKernels": {"<image id>": "4.19.91-24.al7.x86_64"}}}, and the same map under each advisory policy (${context.advisories.map((a) => a.policy.name).join(", ")}).`,
      "3. For an ACK node pool, set imageId to a pinned image instead of choosing the image by imageType alone.",
    ].join("\n"),
    configSchema: kernelUnknownPolicyConfigSchema,
    validateResource: (args, reportViolation) => {
      const found = resourceSurfaceImage(args);
      if (!found) return;
      const { surface, image } = found;
      if (image.kind === "os-family" && image.alinux2) {
        const os = image.alinux2 === true ? "Alibaba Cloud Linux 2" : "an Alibaba Cloud Linux image whose major version is not documented";
        reportViolation(
          `${surface.label} '${args.name}' picks its image by ${image.property} ${image.value} (${os}) without an image ID, ` +
            "so ACK chooses the image and its kernel cannot be determined before launch. Pin imageId to an image with a known, fixed kernel.",
        );
        return;
      }
      if (image.kind !== "image") return;
      const declared = args.getConfig<KernelUnknownPolicyConfig>().imageKernels ?? {};
      const resolution = context.resolver.resolve(image.imageId, declared);
      if (resolution.outcome !== "unknown") return;
      reportViolation(
        `${surface.label} '${args.name}' launches from image ${image.imageId}, whose kernel cannot be determined: ${resolution.explanation}. ` +
          "Declare its kernel in imageKernels (as `uname -r` prints it) so the kernel advisory policies can judge it.",
      );
    },
  };
}
