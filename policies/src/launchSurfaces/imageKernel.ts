import type { DeclaredKernels } from "../knowledge/kernelDeclarations";
import type { KernelResolution, KernelResolver } from "../knowledge/kernelResolver";
import type { SurfaceImage } from "./surfaceImage";

type ImageOfSurface = Extract<SurfaceImage, { kind: "image" }>;

/**
 * The kernel of an image a surface launches from, for every policy: through the catalog and the declarations, and
 * for an image made inside the stack through its lineage. A kernel declared for the launched image, or for any
 * image between it and its source (a copy of a declared custom image), is the user's claim and wins; otherwise the
 * source image's kernel is carried, and the explanation says how ("made in this stack from image X: …").
 */
export function resolveSurfaceImage(
  resolver: KernelResolver,
  image: ImageOfSurface,
  declared: DeclaredKernels,
): KernelResolution {
  const { origin } = image;
  if (!origin) return resolver.resolve(image.imageId, declared);
  const how = origin.steps.map((step) => step.text).join("; ");
  for (const id of [image.imageId, ...origin.steps.map((step) => step.imageId)]) {
    if (!id || !Object.prototype.hasOwnProperty.call(declared, id)) continue;
    const own = resolver.resolve(id, declared);
    if (own.outcome === "resolved")
      return { ...own, imageId: image.imageId, explanation: `${own.explanation} for image ${id} (${how})` };
  }
  const source = resolver.resolve(origin.sourceImageId, declared);
  if (source.outcome === "resolved") {
    return {
      ...source,
      imageId: image.imageId,
      explanation: `made in this stack from image ${origin.sourceImageId} (${how}); that image's kernel: ${source.explanation}`,
    };
  }
  if (source.outcome === "unknown") {
    return {
      ...source,
      imageId: image.imageId,
      explanation: `made in this stack from image ${origin.sourceImageId} (${how}), whose kernel cannot be determined: ${source.explanation}`,
    };
  }
  return { outcome: "other-os", imageId: image.imageId };
}

/** One cache key per image and lineage, so a stack's thousands of resources resolve a handful of keys. */
export function imageVerdictKey(image: ImageOfSurface): string {
  return image.origin
    ? `${image.imageId}\u0000${image.origin.sourceImageId}\u0000${image.origin.steps.map((s) => s.imageId ?? "").join("\u0000")}`
    : image.imageId;
}
