import type { ResourceValidationPolicy } from "@pulumi/policy";
import { classifyImageId } from "../knowledge/imageIdClassifier";
import { getOsLifecycle } from "../knowledge/lifecycle";
import { EndOfLifePolicyConfig, endOfLifePolicyConfigSchema } from "../config/configSchema";
import { withPolicyDeclarations } from "../knowledge/kernelDeclarations";
import { resourceSurfaceImages } from "../launchSurfaces/resourceSurface";
import { createPackContext, PackContext } from "../pack/packContext";

export const END_OF_LIFE_POLICY_NAME = "alinux2-end-of-life";

/**
 * Reports every launch surface on an Alibaba Cloud Linux 2 image (public, or custom with a declared `.al7` kernel):
 * the OS has reached (or nears) its end of life. Surfaces whose image cannot be read (a launch template it cannot
 * see, a custom image name, `[secret]`) may be Alibaba Cloud Linux 2 and are reported as such.
 */
export function createEndOfLifePolicy(context: PackContext = createPackContext()): ResourceValidationPolicy {
  const os = getOsLifecycle("alinux2");
  // A custom image is Alibaba Cloud Linux 2 when the kernel declared for it is an `.al7` one.
  const declaredAlinux2 = (imageId: string, config: Readonly<Record<string, string>> | undefined) => {
    const resolution = context.resolver.resolve(imageId, withPolicyDeclarations(context.declaredKernels, config));
    return resolution.outcome === "resolved" && resolution.kernel.distTag === "al7";
  };
  return {
    name: END_OF_LIFE_POLICY_NAME,
    displayName: "Alibaba Cloud Linux 2 end of life",
    description:
      `Reports ECS launch surfaces that use an ${os.name} image. ${os.name} reached the end of its life on ${os.endOfLife}: ` +
      `its images and kernels get no more fixes, so new instances should use ${os.migrateTo}.`,
    enforcementLevel: "advisory",
    severity: "medium",
    tags: ["alicloud", "ecs", "alinux2", "lifecycle"],
    url: os.source.split(" ")[0],
    remediationSteps: [
      `1. Move the resource to an ${os.migrateTo} image (Alibaba documents the migration from ${os.name}).`,
      `2. Until then, keep instances on a kernel past every known crash advisory: see the ${context.advisories.map((a) => a.policy.name).join(", ")} policies.`,
    ].join("\n"),
    configSchema: endOfLifePolicyConfigSchema,
    validateResource: (args, reportViolation) => {
      const found = resourceSurfaceImages(args);
      if (!found) return;
      const { surface, images, template } = found;
      const today = context.today();
      const when =
        today > os.endOfLife ? `reached end of life on ${os.endOfLife}` : `reaches end of life on ${os.endOfLife}`;
      const tail = `${os.name} ${when} (mainstream support ended ${os.mainstreamSupportEnded}); move it to ${os.migrateTo}.`;
      const who = `${surface.label} '${args.name}'`;
      if (template) {
        reportViolation(
          `${who} may launch ${os.name}: its image comes from ${template.label} ${template.reference} (${template.property}), ` +
            `which this policy cannot read. If it is ${os.name}: ${tail}`,
        );
      }
      for (const image of images) {
        let what: string | undefined;
        if (image.kind === "os-family" && image.alinux2 === true)
          what = `picks ${os.name} by ${image.property} ${image.value}`;
        if (image.kind === "image") {
          const idClass = classifyImageId(image.imageId, context.catalog);
          const alinux2 =
            idClass.kind === "alinux2-public" ||
            idClass.kind === "alinux2-unrecognised" ||
            (idClass.kind === "custom-or-marketplace" &&
              declaredAlinux2(image.imageId, args.getConfig<EndOfLifePolicyConfig>().imageKernels));
          if (alinux2) what = `launches from ${os.name} image ${image.imageId}`;
        }
        if (what) reportViolation(`${who} ${what}. ${tail}`);
        if (image.kind === "unreadable")
          reportViolation(
            `${who} may launch ${os.name}: its ${image.property} cannot be read (${image.why}). If it is ${os.name}: ${tail}`,
          );
      }
    },
  };
}
