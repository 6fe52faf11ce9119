import type { ResourceValidationPolicy } from "@pulumi/policy";
import { KernelUnknownPolicyConfig, kernelUnknownPolicyConfigSchema } from "../config/configSchema";
import { withPolicyDeclarations } from "../knowledge/kernelDeclarations";
import { resourceSurfaceImages } from "../launchSurfaces/resourceSurface";
import { createPackContext, PackContext } from "../pack/packContext";

export const KERNEL_UNKNOWN_POLICY_NAME = "alinux-image-kernel-unknown";

/**
 * Reports launch surfaces whose kernel the pack cannot determine, so the main policy cannot vouch for them:
 * custom and marketplace images not declared, ACK node pools that pick an Alibaba Cloud Linux 2 image by type alone,
 * IDs that look like Alibaba Cloud Linux 2 but follow no known scheme, images named by a custom image name or by a
 * value that cannot be read (`[secret]`), and resources whose image comes from a launch template (or node group) it cannot
 * see.
 */
export function createKernelUnknownPolicy(context: PackContext = createPackContext()): ResourceValidationPolicy {
  return {
    name: KERNEL_UNKNOWN_POLICY_NAME,
    displayName: "Image kernel cannot be determined",
    description:
      "Reports ECS launch surfaces whose image kernel cannot be determined, so the kernel advisory policies cannot judge them. " +
      "Custom and marketplace images need their kernel declared (the pack's image-kernels.json, or imageKernels); images of other operating systems are not reported.",
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["alicloud", "ecs", "kernel", "inventory"],
    // The release notes the image catalog is built from: where a person looks up which kernel an image ships.
    url: context.catalog.images.flatMap((image) => image.sources).find((source) => source.includes("intl.en-US")),
    remediationSteps: [
      "1. Find the kernel of the image: boot it once and run `uname -r`, or read the kernel recorded when the custom image was built.",
      '2. Declare it once, for every policy, in the pack\'s image-kernels.json: {"imageKernels": {"<image id>": {"kernel": "4.19.91-24.al7.x86_64", "source": "<how it was measured>"}}}; or in a policy\'s imageKernels config.',
      "3. For an ACK node pool, set imageId to a pinned image instead of choosing the image by imageType alone.",
      "4. For a launch template outside the stack, an image named by a custom name or a value that cannot be read, set an image ID on the resource itself " +
        "(for a Lingjun node, manage its node group in the stack).",
    ].join("\n"),
    configSchema: kernelUnknownPolicyConfigSchema,
    validateResource: (args, reportViolation) => {
      const found = resourceSurfaceImages(args);
      if (!found) return;
      const { surface, images, template } = found;
      const who = `${surface.label} '${args.name}'`;
      if (template) {
        reportViolation(
          `${who} takes its image from ${template.label} ${template.reference} (${template.property}). ` +
            `If that ${template.label} is part of this stack, the kernel advisory policies judge its image there; ` +
            "if it is not, its image cannot be read and its kernel cannot be determined. " +
            (surface.imageProperties.length > 0
              ? "Set imageId on the resource to make it checkable."
              : `Manage the ${template.label} in this stack to make it checkable.`),
        );
      }
      let declared: ReturnType<typeof withPolicyDeclarations> | undefined;
      for (const image of images) {
        if (image.kind === "os-family" && image.alinux2) {
          const os =
            image.alinux2 === true
              ? "Alibaba Cloud Linux 2"
              : "an Alibaba Cloud Linux image whose major version is not documented";
          reportViolation(
            `${who} picks its image by ${image.property} ${image.value} (${os}) without an image ID, ` +
              "so ACK chooses the image and its kernel cannot be determined before launch. Pin imageId to an image with a known, fixed kernel.",
          );
        }
        if (image.kind === "unreadable") {
          reportViolation(
            `${who} ${image.property} cannot be read: ${image.why}, so its kernel cannot be determined. Set an image ID the pack can read.`,
          );
        }
        if (image.kind !== "image") continue;
        declared ??= withPolicyDeclarations(
          context.declaredKernels,
          args.getConfig<KernelUnknownPolicyConfig>().imageKernels,
        );
        const resolution = context.resolver.resolve(image.imageId, declared);
        if (resolution.outcome !== "unknown") continue;
        const where = image.property === "imageId" ? "" : ` (${image.property})`;
        // This policy sees one resource; the stack policy traces images made in the stack to their source.
        const traced =
          resolution.reason === "custom-or-marketplace"
            ? " (If the image is made in this stack by ecs.Image or ecs.ImageCopy, the kernel advisory policies trace it to its source.)"
            : "";
        reportViolation(
          `${who} launches from image ${image.imageId}${where}, whose kernel cannot be determined: ${resolution.explanation}. ` +
            `Declare its kernel (image-kernels.json or imageKernels, as \`uname -r\` prints it) so the kernel advisory policies can judge it.${traced}`,
        );
      }
    },
  };
}
