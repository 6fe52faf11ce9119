import type { PolicyResource } from "@pulumi/policy";
import { knownString, readString } from "../runtime/propertyReader";
import { readPath } from "./imagePaths";
import { ECS_IMAGE_COPY_TYPE, ECS_IMAGE_TYPE, launchSurfaceOf } from "./launchSurfaces";
import { StackGraph } from "./stackGraph";
import { launchImagesOf } from "./surfaceImage";

/** An image made inside the stack, traced back to the image it comes from. */
export interface ImageOrigin {
  /** The images of this stack between the launched image and its source, launched image first. */
  readonly steps: readonly LineageStep[];
  /** The image the chain starts from: a public image, or a custom image made outside this stack. */
  readonly sourceImageId: string;
}

export interface LineageStep {
  /** The image's cloud ID, when known (after deploy): a kernel declared for it wins over its source's. */
  readonly imageId?: string;
  /** How it was made, for messages: "image 'golden' of this stack, made from ECS instance 'builder'". */
  readonly text: string;
}

/** What tracing an image-making resource found. */
export type TracedImage =
  /** `launchedImageId`: the producer's cloud ID, or a phrase naming it while the ID is not known (preview). */
  | { readonly kind: "image"; readonly launchedImageId: string; readonly origin: ImageOrigin }
  /** The source is not known yet (preview); `where` names the resource and property (never a value). */
  | { readonly kind: "unknown"; readonly error: Error; readonly where: string }
  /** The source cannot be followed (outside the stack, or not an image): judged by the image's own ID. */
  | { readonly kind: "untraced" };

const UNTRACED: TracedImage = { kind: "untraced" };

/**
 * Traces an `ecs.Image` (made from `instanceId`, or from a snapshot — `snapshotId`, `diskDeviceMappings[].snapshotId`
 * — whose disk links to an instance of the stack) or an `ecs.ImageCopy` (`sourceImageId`) to the image it comes
 * from. Links go by property dependency (preview) or cloud ID (after deploy). Each producer is traced once per stack
 * graph, so the pass stays linear; a cycle (impossible in a real stack) ends untraced.
 */
export function traceImageProducer(producer: PolicyResource, graph: StackGraph): TracedImage {
  const memo = graph.tracedImages;
  const known = memo.get(producer.urn);
  if (known) return known;
  memo.set(producer.urn, UNTRACED);
  const traced =
    producer.type === ECS_IMAGE_COPY_TYPE
      ? traceCopy(producer, graph)
      : producer.type === ECS_IMAGE_TYPE
        ? traceImage(producer, graph)
        : UNTRACED;
  memo.set(producer.urn, traced);
  return traced;
}

function traceCopy(copy: PolicyResource, graph: StackGraph): TracedImage {
  const step: LineageStep = { imageId: knownString(copy.props, "id"), text: `image copy '${copy.name}' of this stack` };
  const source = readString(copy.props, "sourceImageId");
  const linked =
    copy.propertyDependencies?.sourceImageId?.find((r) => graph.isImageProducer(r)) ??
    (source.state === "known" ? graph.imageProducerById(source.value) : undefined);
  if (linked) return chain(step, copy, traceImageProducer(linked, graph), linked);
  if (source.state === "unknown")
    return {
      kind: "unknown",
      get error() {
        return source.error;
      },
      where: `sourceImageId of image copy '${copy.name}'`,
    };
  if (source.state !== "known") return UNTRACED;
  return {
    kind: "image",
    launchedImageId: launchedId(step, copy),
    origin: { steps: [step], sourceImageId: source.value },
  };
}

function traceImage(image: PolicyResource, graph: StackGraph): TracedImage {
  const id = knownString(image.props, "id");
  const fromInstance = (instance: PolicyResource, how: string): TracedImage => {
    const surface = launchSurfaceOf(instance.type);
    const [sourceImage] = surface ? launchImagesOf(instance, surface, graph) : [];
    const step: LineageStep = {
      imageId: id,
      text: `image '${image.name}' of this stack, made from ${how}${surface?.label ?? "resource"} '${instance.name}'`,
    };
    if (sourceImage?.kind === "unknown") {
      return {
        kind: "unknown",
        get error() {
          return sourceImage.error;
        },
        where: `image '${image.name}' is made from ${surface?.label} '${instance.name}', whose ${sourceImage.property} is unknown`,
      };
    }
    if (sourceImage?.kind !== "image") return UNTRACED;
    const origin = sourceImage.origin;
    return {
      kind: "image",
      launchedImageId: launchedId(step, image),
      origin: {
        steps: [{ ...step, text: `${step.text} on image ${sourceImage.imageId}` }, ...(origin?.steps ?? [])],
        sourceImageId: origin?.sourceImageId ?? sourceImage.imageId,
      },
    };
  };

  const instanceId = readString(image.props, "instanceId");
  const instance =
    image.propertyDependencies?.instanceId?.find(isInstance) ??
    (instanceId.state === "known" ? instanceById(instanceId.value, graph) : undefined);
  if (instance) return fromInstance(instance, "");
  if (instanceId.state === "unknown")
    return {
      kind: "unknown",
      get error() {
        return instanceId.error;
      },
      where: `instanceId of image '${image.name}'`,
    };

  for (const path of ["snapshotId", "diskDeviceMappings[].snapshotId"]) {
    const top = path.split(/[.[]/)[0];
    for (const read of readPath(image.props, path)) {
      const snapshot =
        image.propertyDependencies?.[top]?.find((r) => graph.isSnapshot(r)) ??
        (read.state === "known" ? graph.snapshotById(read.value) : undefined);
      if (snapshot) {
        const source =
          snapshot.propertyDependencies?.diskId?.find(isInstance) ??
          snapshot.propertyDependencies?.instanceId?.find(isInstance);
        if (source) return fromInstance(source, `snapshot '${snapshot.name}' of `);
        continue;
      }
      if (read.state === "unknown")
        return {
          kind: "unknown",
          get error() {
            return read.error;
          },
          where: `${read.path} of image '${image.name}'`,
        };
    }
  }
  return UNTRACED;
}

function chain(
  step: LineageStep,
  producer: PolicyResource,
  source: TracedImage,
  sourceProducer: PolicyResource,
): TracedImage {
  if (source.kind === "unknown")
    return {
      kind: "unknown",
      get error() {
        return source.error;
      },
      where: `${producer.name} copies image '${sourceProducer.name}': ${source.where}`,
    };
  if (source.kind !== "image") return UNTRACED;
  return {
    kind: "image",
    launchedImageId: launchedId(step, producer),
    origin: {
      steps: [{ ...step, text: `${step.text}, a copy of ${source.launchedImageId}` }, ...source.origin.steps],
      sourceImageId: source.origin.sourceImageId,
    },
  };
}

function launchedId(step: LineageStep, producer: PolicyResource): string {
  return step.imageId ?? `the image of '${producer.name}' (ID not known yet)`;
}

function isInstance(resource: PolicyResource): boolean {
  const surface = launchSurfaceOf(resource.type);
  return surface !== undefined && !surface.isLaunchTemplate;
}

function instanceById(id: string, graph: StackGraph): PolicyResource | undefined {
  const found = graph.byId(id);
  return found && isInstance(found) ? found : undefined;
}
