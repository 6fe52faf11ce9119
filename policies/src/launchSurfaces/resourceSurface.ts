import type { ResourceValidationArgs } from "@pulumi/policy";
import { readString } from "../runtime/propertyReader";
import { LaunchSurface, launchSurfaceOf, templateLabelOf } from "./launchSurfaces";
import { SurfaceImage, surfaceImagesOf } from "./surfaceImage";

/**
 * A launch template (or node group) a resource names by a known ID or name, for resource policies (which see no
 * other resource). `label` is what messages call it.
 */
export interface TemplateReference {
  readonly property: string;
  readonly reference: string;
  readonly label: string;
}

/**
 * For resource policies: the launch surface and images of the resource being analysed, and the launch template it
 * names when it sets no image. A type that launches nothing is reported not applicable; an image unknown at preview
 * ends the policy with the SDK's `UnknownValueError` (it names the property), so the engine shows its "can't run
 * during preview" advisory and checks again on update. A resource policy sees one resource: it cannot tell whether
 * a named launch template is part of the stack, so it gets the reference and says so.
 */
export function resourceSurfaceImages(args: ResourceValidationArgs):
  | {
      readonly surface: LaunchSurface;
      readonly images: readonly Exclude<SurfaceImage, { kind: "unknown" }>[];
      readonly template?: TemplateReference;
    }
  | undefined {
  const surface = launchSurfaceOf(args.type);
  if (!surface) {
    args.notApplicable(`${args.type} does not launch ECS instances from an image`);
    return undefined;
  }
  const images: Exclude<SurfaceImage, { kind: "unknown" }>[] = [];
  for (const image of surfaceImagesOf(args, surface)) {
    if (image.kind === "unknown") throw image.error;
    images.push(image);
  }
  return { surface, images, template: images.length === 0 ? templateReference(args, surface) : undefined };
}

function templateReference(args: ResourceValidationArgs, surface: LaunchSurface): TemplateReference | undefined {
  if (!surface.launchTemplate) return undefined;
  // An unknown reference (a template created in this same run) is one of this stack's: nothing to say.
  for (const property of [surface.launchTemplate.idProperty, surface.launchTemplate.nameProperty]) {
    if (!property) continue;
    const read = readString(args.props, property);
    if (read.state === "unknown") return undefined;
    if (read.state === "known")
      return { property, reference: read.value, label: templateLabelOf(surface.launchTemplate) };
  }
  return undefined;
}
