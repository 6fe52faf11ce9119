import type { PolicyResource } from "@pulumi/policy";
import { readFirstString, readString } from "../runtime/propertyReader";
import { LaunchSurface, launchSurfaceOf } from "./launchSurfaces";
import { StackGraph } from "./stackGraph";

/** What the image analysis needs of a resource: a stack resource, or the args of a resource policy. */
export type ResourceView = Pick<PolicyResource, "type" | "props" | "urn" | "name"> &
  Partial<Pick<PolicyResource, "propertyDependencies">>;

/** Where a launch surface gets its image from. */
export type SurfaceImage =
  /** An image ID, set on the resource itself or on a launch template of this stack it uses. */
  | {
      readonly kind: "image";
      readonly imageId: string;
      readonly property: string;
      /** The launch template of this stack the image comes from, if it does not come from the resource itself. */
      readonly template?: PolicyResource;
    }
  /** No image ID, but an OS family chosen by name (ACK `imageType` / `platform`): the cloud picks the image. */
  | {
      readonly kind: "os-family";
      readonly property: string;
      readonly value: string;
      /** true: Alibaba Cloud Linux 2; "maybe": the value does not say which major version; false: another OS. */
      readonly alinux2: boolean | "maybe";
    }
  /** The image (or the template it comes from) is not known yet: preview of a value computed by another resource. */
  | { readonly kind: "unknown"; readonly error: Error; readonly template?: PolicyResource }
  /** A launch template that is not part of this stack: the pack cannot see its image. */
  | { readonly kind: "template-outside-stack"; readonly reference: string }
  /** No image at all (the provider default applies, or the resource does not launch from an image directly). */
  | { readonly kind: "none" };

/**
 * Where the resource's image comes from. Without a stack graph (resource policies, which see one resource) launch
 * templates are not followed at all — the template is judged as a resource of its own — so an unknown
 * `launchTemplateId` at preview costs nothing there.
 */
export function surfaceImageOf(resource: ResourceView, surface: LaunchSurface, graph?: StackGraph): SurfaceImage {
  const own = readFirstString(resource.props, surface.imageProperties);
  if (own.state === "known") return { kind: "image", imageId: own.value, property: own.key ?? "imageId" };
  if (own.state === "unknown") return unknownImage(own);

  if (surface.osFamily) {
    for (const property of surface.osFamily.properties) {
      const family = readString(resource.props, property);
      if (family.state === "unknown") return unknownImage(family);
      if (family.state === "known") {
        const alinux2 = surface.osFamily.alinux2Values.includes(family.value)
          ? true
          : (surface.osFamily.maybeAlinux2Values ?? []).includes(family.value)
            ? "maybe"
            : false;
        return { kind: "os-family", property, value: family.value, alinux2 };
      }
    }
  }

  if (surface.launchTemplate && graph) return imageFromLaunchTemplate(resource, surface.launchTemplate, graph);
  return { kind: "none" };
}

function imageFromLaunchTemplate(
  resource: ResourceView,
  ref: NonNullable<LaunchSurface["launchTemplate"]>,
  graph: StackGraph,
): SurfaceImage {
  const template = findTemplate(resource, ref, graph);
  if (template) {
    const surface = launchSurfaceOf(template.type);
    const image = surface ? surfaceImageOf(template, surface) : ({ kind: "none" } as const);
    if (image.kind === "image") return { ...image, template };
    if (image.kind === "unknown") return unknownImage(image, template);
    return { kind: "none" };
  }
  const id = readString(resource.props, ref.idProperty);
  if (id.state === "unknown") return unknownImage(id);
  if (id.state === "known") return { kind: "template-outside-stack", reference: id.value };
  if (ref.nameProperty) {
    const name = readString(resource.props, ref.nameProperty);
    if (name.state === "unknown") return unknownImage(name);
    if (name.state === "known") return { kind: "template-outside-stack", reference: name.value };
  }
  return { kind: "none" };
}

/** An unknown image; the SDK's error (a stack trace to build) is only made if the policy rethrows it. */
function unknownImage(read: { readonly error: Error }, template?: PolicyResource): SurfaceImage {
  return {
    kind: "unknown",
    template,
    get error() {
      return read.error;
    },
  };
}

/** The launch template of this stack a resource uses: by property dependency (preview), cloud ID, or name. */
export function findTemplate(
  resource: ResourceView,
  ref: NonNullable<LaunchSurface["launchTemplate"]>,
  graph: StackGraph | undefined,
): PolicyResource | undefined {
  const isTemplate = (candidate: PolicyResource) => launchSurfaceOf(candidate.type)?.isLaunchTemplate === true;
  for (const property of [ref.idProperty, ref.nameProperty]) {
    if (!property) continue;
    const linked = resource.propertyDependencies?.[property]?.find(isTemplate);
    if (linked) return linked;
  }
  if (!graph) return undefined;
  const id = readString(resource.props, ref.idProperty);
  if (id.state === "known") {
    const byId = graph.byId(id.value);
    if (byId && isTemplate(byId)) return byId;
  }
  if (ref.nameProperty) {
    const name = readString(resource.props, ref.nameProperty);
    if (name.state === "known") return graph.launchTemplateNamed(name.value);
  }
  return undefined;
}
