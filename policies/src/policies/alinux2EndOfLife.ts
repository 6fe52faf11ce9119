import type { ResourceValidationPolicy } from "@pulumi/policy";
import { classifyImageId } from "../knowledge/imageIdClassifier";
import { getOsLifecycle } from "../knowledge/lifecycle";
import { resourceSurfaceImage } from "../launchSurfaces/resourceSurface";
import { createPackContext, PackContext } from "../pack/packContext";

export const END_OF_LIFE_POLICY_NAME = "alinux2-end-of-life";

/** Reports every launch surface on an Alibaba Cloud Linux 2 image: the OS has reached (or nears) its end of life. */
export function createEndOfLifePolicy(context: PackContext = createPackContext()): ResourceValidationPolicy {
  const os = getOsLifecycle("alinux2");
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
    validateResource: (args, reportViolation) => {
      const found = resourceSurfaceImage(args);
      if (!found) return;
      const { surface, image } = found;
      let what: string | undefined;
      if (image.kind === "os-family" && image.alinux2 === true) what = `picks ${os.name} by ${image.property} ${image.value}`;
      if (image.kind === "image") {
        const idClass = classifyImageId(image.imageId, context.catalog);
        if (idClass.kind === "alinux2-public" || idClass.kind === "alinux2-unrecognised") {
          what = `launches from ${os.name} image ${image.imageId}`;
        }
      }
      if (!what) return;
      const today = context.today();
      const when = today > os.endOfLife ? `reached end of life on ${os.endOfLife}` : `reaches end of life on ${os.endOfLife}`;
      reportViolation(
        `${surface.label} '${args.name}' ${what}. ${os.name} ${when} (mainstream support ended ${os.mainstreamSupportEnded}); ` +
          `move it to ${os.migrateTo}.`,
      );
    },
  };
}
