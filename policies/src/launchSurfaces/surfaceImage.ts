import type { PolicyResource } from "@pulumi/policy";
import { readString } from "../runtime/propertyReader";
import { readPath, PathRead, topProperty } from "./imagePaths";
import { ImageOrigin, traceImageProducer } from "./imageLineage";
import {
  ImageProperty,
  LaunchSurface,
  launchSurfaceOf,
  templateLabelOf,
  LaunchTemplateReference,
} from "./launchSurfaces";
import { StackGraph } from "./stackGraph";

/** What the image analysis needs of a resource: a stack resource (with its property dependencies, if any). */
export type ResourceView = Pick<PolicyResource, "type" | "props" | "urn" | "name"> &
  Partial<Pick<PolicyResource, "propertyDependencies">>;

export type { ImageOrigin };

/** One image a launch surface starts (or builds) instances from, and where it was found. */
export type SurfaceImage =
  /**
   * An image ID, set on the resource itself or on a launch template of this stack it uses. `origin` is set when the
   * image is made inside this stack (`ecs.Image`, `ecs.ImageCopy`): the chain back to the image it comes from.
   */
  | {
      readonly kind: "image";
      readonly imageId: string;
      /** Concrete property path, e.g. `imageId` or `queues[0].computeNodes[1].imageId`. */
      readonly property: string;
      /** The launch template of this stack the image comes from, if it does not come from the resource itself. */
      readonly template?: PolicyResource;
      /** What messages call `template` ("launch template", "node group"). */
      readonly templateLabel?: string;
      readonly origin?: ImageOrigin;
    }
  /** No image ID, but an OS family chosen by name (ACK `imageType` / `platform`): the cloud picks the image. */
  | {
      readonly kind: "os-family";
      readonly property: string;
      readonly value: string;
      /** true: Alibaba Cloud Linux 2; "maybe": the value does not say which major version; false: another OS. */
      readonly alinux2: boolean | "maybe";
    }
  /**
   * The image (or the template or source it comes from) is not known yet: preview of a value computed by another
   * resource. `property` names what is unknown (never its value).
   */
  | { readonly kind: "unknown"; readonly error: Error; readonly property: string; readonly template?: PolicyResource }
  /** A launch template (or node group) that is not part of this stack: the pack cannot see its image. */
  | {
      readonly kind: "template-outside-stack";
      readonly property: string;
      readonly reference: string;
      readonly label: string;
    }
  /** The value cannot be read as an image ID: an undecryptable secret, a custom image's name, an image family. */
  | { readonly kind: "unreadable"; readonly property: string; readonly why: string };

/** What `pulumi stack export` (without `--show-secrets`) and the engine put where a secret it cannot decrypt was. */
export const UNDECRYPTABLE_SECRET = "[secret]";

/**
 * Every image a launch surface uses. Each image property of the surface table is read on its own (nested ones
 * included); the OS-family and launch-template fallbacks apply only when no launch image is set. With a stack
 * graph, launch templates of the stack are followed and images made inside the stack are traced to their source.
 */
export function surfaceImagesOf(resource: ResourceView, surface: LaunchSurface, graph?: StackGraph): SurfaceImage[] {
  const images: SurfaceImage[] = [];
  let launchImageSet = false;
  for (const property of surface.imageProperties) {
    for (const read of readPath(resource.props, property.path)) {
      if (property.role !== "upgrade") launchImageSet = true;
      images.push(imageOf(resource, property, read, graph));
    }
  }
  if (launchImageSet) return images;

  if (surface.osFamily) {
    for (const property of surface.osFamily.properties) {
      const family = readString(resource.props, property);
      if (family.state === "unknown") return [...images, unknownImage(family, property)];
      if (family.state === "known") {
        const alinux2 = surface.osFamily.alinux2Values.includes(family.value)
          ? true
          : (surface.osFamily.maybeAlinux2Values ?? []).includes(family.value)
            ? "maybe"
            : false;
        return [...images, { kind: "os-family", property, value: family.value, alinux2 }];
      }
    }
  }

  if (surface.launchTemplate && graph) {
    const fromTemplate = imageFromLaunchTemplate(resource, surface.launchTemplate, graph);
    if (fromTemplate) images.push(fromTemplate);
  }
  return images;
}

/** The images a surface launches from now (not the ones it upgrades to later): what a derived image inherits. */
export function launchImagesOf(resource: ResourceView, surface: LaunchSurface, graph: StackGraph): SurfaceImage[] {
  const upgrade = new Set(surface.imageProperties.filter((p) => p.role === "upgrade").map((p) => p.path));
  if (upgrade.size === 0) return surfaceImagesOf(resource, surface, graph);
  const launchOnly: LaunchSurface = {
    ...surface,
    imageProperties: surface.imageProperties.filter((p) => !upgrade.has(p.path)),
  };
  return surfaceImagesOf(resource, launchOnly, graph);
}

function imageOf(
  resource: ResourceView,
  property: ImageProperty,
  read: PathRead,
  graph: StackGraph | undefined,
): SurfaceImage {
  if (property.idOnlyWhen) {
    const { property: kindProperty, value, otherwise } = property.idOnlyWhen;
    const kind = readString(resource.props, kindProperty);
    if (kind.state === "unknown") return unknownImage(kind, kindProperty);
    if (kind.state !== "known" || kind.value !== value) {
      return {
        kind: "unreadable",
        property: read.path,
        why: `${kindProperty} is not ${value}, so ${read.path} names ${otherwise}, not an image ID`,
      };
    }
  }
  if (read.state === "unknown") {
    const producer = graph ? producerLinkedBy(resource, topProperty(property.path), graph) : undefined;
    if (producer && graph) {
      const traced = traceImageProducer(producer, graph);
      if (traced.kind === "image")
        return { kind: "image", imageId: traced.launchedImageId, property: read.path, origin: traced.origin };
      if (traced.kind === "unknown")
        return { kind: "unknown", error: traced.error, property: `${read.path} (${traced.where})` };
    }
    return unknownImage(read, read.path);
  }
  if (read.value === UNDECRYPTABLE_SECRET) {
    return {
      kind: "unreadable",
      property: read.path,
      why: "it is an undecryptable secret ([secret]), so the image cannot be read",
    };
  }
  const producer = graph
    ? property.names === "name"
      ? graph.imageNamed(read.value)
      : graph.imageProducerById(read.value)
    : undefined;
  if (producer && graph) {
    const traced = traceImageProducer(producer, graph);
    if (traced.kind === "image")
      return { kind: "image", imageId: read.value, property: read.path, origin: traced.origin };
    if (traced.kind === "unknown")
      return { kind: "unknown", error: traced.error, property: `${read.path} (${traced.where})` };
  }
  if (property.names === "name" && !looksLikePublicImageId(read.value)) {
    return {
      kind: "unreadable",
      property: read.path,
      why: "it names an image by a name that is not a public image ID (a custom image's name says nothing about its kernel)",
    };
  }
  return { kind: "image", imageId: read.value, property: read.path };
}

/**
 * Public image names are their IDs (`<os>_<version>_…_<date>.vhd`, alinux2-facts.md §1); Alibaba Cloud Linux 2
 * lookalikes are judged by the resolver. INFERRED: a name of another shape is a custom image's.
 */
function looksLikePublicImageId(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]*\.(?:vhd|qcow2|raw)$/.test(name) || /^aliyun|^acs:/i.test(name);
}

/** A resource of this stack that makes images (`ecs.Image`, `ecs.ImageCopy`) and that this property's value comes from. */
function producerLinkedBy(resource: ResourceView, property: string, graph: StackGraph): PolicyResource | undefined {
  return resource.propertyDependencies?.[property]?.find((candidate) => graph.isImageProducer(candidate));
}

function imageFromLaunchTemplate(
  resource: ResourceView,
  ref: LaunchTemplateReference,
  graph: StackGraph,
): SurfaceImage | undefined {
  const label = templateLabelOf(ref);
  const template = findTemplate(resource, ref, graph);
  if (template) {
    const surface = launchSurfaceOf(template.type);
    const [image] = surface ? surfaceImagesOf(template, surface, graph) : [];
    const where = `${label} '${template.name}'`;
    if (image?.kind === "image") return { ...image, template, templateLabel: label };
    if (image?.kind === "unknown") {
      return {
        kind: "unknown",
        property: `${where} ${image.property}`,
        template,
        get error() {
          return image.error;
        },
      };
    }
    if (image?.kind === "unreadable") return { ...image, property: `${where} ${image.property}` };
    return undefined;
  }
  const id = readString(resource.props, ref.idProperty);
  if (id.state === "unknown") return unknownImage(id, ref.idProperty);
  if (id.state === "known")
    return { kind: "template-outside-stack", property: ref.idProperty, reference: id.value, label };
  if (ref.nameProperty) {
    const name = readString(resource.props, ref.nameProperty);
    if (name.state === "unknown") return unknownImage(name, ref.nameProperty);
    if (name.state === "known")
      return { kind: "template-outside-stack", property: ref.nameProperty, reference: name.value, label };
  }
  return undefined;
}

/** An unknown image; the SDK's error (a stack trace to build) is only made if someone asks for it. */
function unknownImage(read: { readonly error: Error }, property: string, template?: PolicyResource): SurfaceImage {
  return {
    kind: "unknown",
    property,
    template,
    get error() {
      return read.error;
    },
  };
}

/**
 * The launch template (or the `source` surface) of this stack a resource uses: by property dependency (preview),
 * cloud ID, or name.
 */
export function findTemplate(
  resource: ResourceView,
  ref: LaunchTemplateReference,
  graph: StackGraph | undefined,
): PolicyResource | undefined {
  const source = ref.source?.type;
  const isTemplate = (candidate: PolicyResource) =>
    source ? candidate.type === source : launchSurfaceOf(candidate.type)?.isLaunchTemplate === true;
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
