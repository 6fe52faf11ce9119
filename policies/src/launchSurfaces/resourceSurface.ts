import type { ResourceValidationArgs } from "@pulumi/policy";
import { LaunchSurface, launchSurfaceOf } from "./launchSurfaces";
import { SurfaceImage, surfaceImageOf } from "./surfaceImage";

/**
 * For resource policies: the launch surface and image of the resource being analysed. A type that launches nothing
 * is reported not applicable; an image unknown at preview ends the policy with the SDK's `UnknownValueError`, so
 * the engine shows its "can't run during preview" advisory and checks again on update.
 */
export function resourceSurfaceImage(
  args: ResourceValidationArgs,
): { readonly surface: LaunchSurface; readonly image: Exclude<SurfaceImage, { kind: "unknown" }> } | undefined {
  const surface = launchSurfaceOf(args.type);
  if (!surface) {
    args.notApplicable(`${args.type} does not launch ECS instances from an image`);
    return undefined;
  }
  const image = surfaceImageOf(args, surface);
  if (image.kind === "unknown") throw image.error;
  return { surface, image };
}
