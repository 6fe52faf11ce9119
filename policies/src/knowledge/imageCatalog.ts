import catalogData from "../../data/alinux2-image-catalog.json";

/** How a catalog row knows its kernel. */
export type CatalogKernelBasis = "stated" | "inferred-from-documentation" | "not-stated";

/** One Alibaba Cloud Linux 2.1903 public image, as `data/alinux2-image-catalog.json` records it. */
export interface CatalogImage {
  readonly imageId: string;
  readonly variant: string;
  readonly variantDescription: string;
  /** ISO date from the release notes; null when only the date inside the ID is known. */
  readonly releaseDate: string | null;
  /** Kernel release without `kernel-`, or null when no source names it. */
  readonly kernel: string | null;
  readonly kernelBasis: CatalogKernelBasis;
  readonly derivedFrom: string | null;
  readonly sources: readonly string[];
  readonly notes: string;
}

/** A naming scheme of public image IDs (the regex has a `date` group and may have a `variant` group). */
export interface ImageIdScheme {
  readonly id: string;
  readonly pattern: RegExp;
  readonly example: string;
  readonly source: string;
}

export interface ImageCatalog {
  readonly images: readonly CatalogImage[];
  readonly schemes: readonly ImageIdScheme[];
  /** Any ID of the Alibaba Cloud Linux 2.1903 family, scheme known or not. */
  readonly alinux2Family: RegExp;
  find(imageId: string): CatalogImage | undefined;
}

/** Builds a catalog from raw data (the bundled file, or test data), checking what code relies on. */
export function buildImageCatalog(data: typeof catalogData): ImageCatalog {
  const images = data.images.map((row) => row as CatalogImage);
  const byId = new Map<string, CatalogImage>();
  for (const image of images) {
    if (byId.has(image.imageId)) throw new Error(`image catalog: duplicate row for ${image.imageId}`);
    if (image.sources.length === 0) throw new Error(`image catalog: ${image.imageId} has no source`);
    byId.set(image.imageId, image);
  }
  const schemes = data.schemes.map((scheme) => ({ ...scheme, pattern: new RegExp(scheme.pattern) }));
  return {
    images,
    schemes,
    alinux2Family: new RegExp(data.alinux2Family.pattern),
    find: (imageId) => byId.get(imageId),
  };
}

/** The catalog bundled with the pack. */
export const bundledImageCatalog: ImageCatalog = buildImageCatalog(catalogData);
