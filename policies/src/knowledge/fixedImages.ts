import { isFixedForAll, KernelAdvisory } from "./advisories";
import { ImageCatalog } from "./imageCatalog";
import { classifyImageId, isoDateFromIdDate } from "./imageIdClassifier";
import { formatKernelRelease } from "./kernelRelease";
import { KernelResolver } from "./kernelResolver";

export interface FixedImageRecommendation {
  readonly imageId: string;
  readonly kernel: string;
  /** Whether the kernel of the recommended image is stated in its release notes (otherwise INFERRED). */
  readonly kernelStated: boolean;
  /** The recommendation is for another variant, because the catalog knows no fixed image of the asked one. */
  readonly otherVariant: boolean;
}

/**
 * The newest catalog image of a variant whose kernel is known (not guessed from a date) and past EVERY advisory
 * given — so a recommendation never sends a user from one documented crash into another — preferring images whose
 * kernel is stated in the release notes. Falls back to the base variant.
 */
export function recommendFixedImage(
  variant: string,
  advisories: readonly KernelAdvisory[],
  catalog: ImageCatalog,
  resolver: KernelResolver,
): FixedImageRecommendation | undefined {
  const pick = (wanted: string): FixedImageRecommendation | undefined => {
    let best: { rec: FixedImageRecommendation; date: string } | undefined;
    for (const image of catalog.images) {
      if (image.variant !== wanted) continue;
      const resolution = resolver.resolve(image.imageId);
      if (resolution.outcome !== "resolved" || resolution.basis === "release-date") continue;
      if (!isFixedForAll(advisories, resolution.kernel)) continue;
      const stated = resolution.basis === "catalog";
      const idClass = classifyImageId(image.imageId, catalog);
      const date = image.releaseDate ?? (idClass.kind === "alinux2-public" ? isoDateFromIdDate(idClass.idDate) : "");
      const better =
        !best || (stated && !best.rec.kernelStated) || (stated === best.rec.kernelStated && date > best.date);
      if (better) {
        best = {
          rec: {
            imageId: image.imageId,
            kernel: formatKernelRelease(resolution.kernel),
            kernelStated: stated,
            otherVariant: wanted !== variant,
          },
          date,
        };
      }
    }
    return best?.rec;
  };
  return pick(variant) ?? (variant === "base" ? undefined : pick("base"));
}
