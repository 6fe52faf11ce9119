import { CatalogImage, ImageCatalog } from "./imageCatalog";
import { classifyImageId, isoDateFromIdDate } from "./imageIdClassifier";
import { DeclaredKernels, declaredKernelSource, declaredKernelText } from "./kernelDeclarations";
import {
  compareKernelReleases,
  formatKernelRelease,
  KernelRelease,
  parseDeclaredKernel,
  parseKernelRelease,
} from "./kernelRelease";

/** How the kernel of an image was determined. */
export type KernelBasis =
  /** The user declared it: the pack's `image-kernels.json` or a policy's `imageKernels` config. */
  | "declared"
  /** Alibaba's release notes state it for this very image (catalog row). */
  | "catalog"
  /** INFERRED: the release notes state it for the base image this variant was built from. */
  | "base-image"
  /** INFERRED: an Alibaba document pairs this image with a kernel range (catalog row notes). */
  | "documentation"
  /** INFERRED: from the date in the image ID and the kernels of the catalog images released before it. */
  | "release-date";

export type Confidence = "declared" | "high" | "medium" | "low";

export type KernelResolution =
  | {
      readonly outcome: "resolved";
      readonly imageId: string;
      readonly kernel: KernelRelease;
      readonly basis: KernelBasis;
      readonly confidence: Confidence;
      /** One sentence: how the kernel was determined, naming anything inferred as INFERRED. */
      readonly explanation: string;
      /** Image variant (base, qboot, secured, uefi, dengbao, scc) for public Alinux 2 images. */
      readonly variant?: string;
    }
  | {
      readonly outcome: "unknown";
      readonly imageId: string;
      readonly reason: "custom-or-marketplace" | "alinux2-unrecognised" | "declared-kernel-invalid";
      readonly explanation: string;
    }
  | { readonly outcome: "other-os"; readonly imageId: string };

export type ResolvedKernel = Extract<KernelResolution, { outcome: "resolved" }>;

export type { DeclaredKernels };

interface DatedKernel {
  readonly date: string;
  readonly imageId: string;
  readonly kernel: KernelRelease;
}

/**
 * Resolves image IDs to kernels through the catalog. Build one per catalog (it indexes the catalog once) and
 * reuse it: resolution is a map lookup plus, for IDs without a stated kernel, a binary search by date.
 */
export class KernelResolver {
  private readonly statedByDate: readonly DatedKernel[];

  constructor(private readonly catalog: ImageCatalog) {
    const stated: DatedKernel[] = [];
    for (const image of catalog.images) {
      if (image.kernelBasis !== "stated" || !image.kernel) continue;
      const kernel = parseKernelRelease(image.kernel);
      const date = image.releaseDate ?? dateOfId(image.imageId, catalog);
      if (kernel && date) stated.push({ date, imageId: image.imageId, kernel });
    }
    // By date, and within a date by kernel, so the last entry on or before a date carries the newest kernel.
    stated.sort((a, b) => (a.date === b.date ? compareKernelReleases(a.kernel, b.kernel) : a.date < b.date ? -1 : 1));
    this.statedByDate = stated;
  }

  resolve(rawImageId: string, declared: DeclaredKernels = {}): KernelResolution {
    const imageId = rawImageId.trim();
    const declaration = Object.prototype.hasOwnProperty.call(declared, imageId) ? declared[imageId] : undefined;
    let ignoredDeclaration: string | undefined;
    if (declaration !== undefined) {
      const source = declaredKernelSource(declaration);
      const kernel = parseDeclaredKernel(declaredKernelText(declaration));
      const idClass = classifyImageId(imageId, this.catalog);
      if (kernel) {
        // A public image keeps its variant (so a fixed image of the same variant can be recommended); a custom
        // image has none that the pack can know. A declaration wins over the catalog: it is the user's claim
        // about this image (a rebuilt one), and every message built on it says "declared".
        return {
          outcome: "resolved",
          imageId,
          kernel,
          basis: "declared",
          confidence: "declared",
          explanation: `declared in ${source}`,
          ...(idClass.kind === "alinux2-public" ? { variant: idClass.variant } : {}),
        };
      }
      // Not an Alibaba Cloud Linux 2 release the pack can use (the config schema rejects these; a caller that
      // bypasses it must not switch the gate off): the catalog still judges a public image, and a custom image
      // stays unknown, saying why.
      ignoredDeclaration = `the kernel declared for it in ${source} is not an Alibaba Cloud Linux 2 kernel release (expected e.g. 4.19.91-21.al7.x86_64) and is ignored`;
      if (idClass.kind === "custom-or-marketplace") {
        return { outcome: "unknown", imageId, reason: "declared-kernel-invalid", explanation: ignoredDeclaration };
      }
    }
    const resolved = this.resolveUndeclared(imageId);
    if (!ignoredDeclaration) return resolved;
    return resolved.outcome === "other-os"
      ? resolved
      : { ...resolved, explanation: `${resolved.explanation}; ${ignoredDeclaration}` };
  }

  private resolveUndeclared(imageId: string): KernelResolution {
    const idClass = classifyImageId(imageId, this.catalog);
    switch (idClass.kind) {
      case "other-os":
        return { outcome: "other-os", imageId };
      case "custom-or-marketplace":
        return {
          outcome: "unknown",
          imageId,
          reason: "custom-or-marketplace",
          explanation: "a custom, shared or marketplace image: its ID does not tell its OS or kernel",
        };
      case "alinux2-unrecognised":
        return {
          outcome: "unknown",
          imageId,
          reason: "alinux2-unrecognised",
          explanation: "it looks like an Alibaba Cloud Linux 2.1903 image but follows none of the known ID schemes",
        };
      case "alinux2-public": {
        const row = this.catalog.find(imageId);
        const resolved = row ? this.fromCatalogRow(row, new Set()) : undefined;
        if (resolved) return { ...resolved, variant: idClass.variant };
        const byDate = this.fromReleaseDate(imageId, isoDateFromIdDate(idClass.idDate), row);
        if (byDate) return { ...byDate, variant: idClass.variant };
        return {
          outcome: "unknown",
          imageId,
          reason: "alinux2-unrecognised",
          explanation: "its date is earlier than the first Alibaba Cloud Linux 2.1903 image in the catalog",
        };
      }
    }
  }

  private fromCatalogRow(row: CatalogImage, seen: Set<string>): ResolvedKernel | undefined {
    if (row.kernel && row.kernelBasis !== "not-stated") {
      const kernel = parseKernelRelease(row.kernel);
      if (!kernel) return undefined;
      return row.kernelBasis === "stated"
        ? {
            outcome: "resolved",
            imageId: row.imageId,
            kernel,
            basis: "catalog",
            confidence: "high",
            explanation: "stated in its release notes",
          }
        : {
            outcome: "resolved",
            imageId: row.imageId,
            kernel,
            basis: "documentation",
            confidence: "medium",
            explanation: "INFERRED from an Alibaba document that pairs this image with a kernel range (catalog row)",
          };
    }
    if (row.derivedFrom && !seen.has(row.derivedFrom)) {
      seen.add(row.imageId);
      const base = this.catalog.find(row.derivedFrom);
      const fromBase = base ? this.fromCatalogRow(base, seen) : undefined;
      if (fromBase) {
        return {
          outcome: "resolved",
          imageId: row.imageId,
          kernel: fromBase.kernel,
          basis: "base-image",
          confidence: fromBase.confidence === "high" ? "medium" : "low",
          explanation: `INFERRED from its base image ${row.derivedFrom} (${fromBase.explanation}); the release notes name no kernel for this variant`,
        };
      }
    }
    return undefined;
  }

  private fromReleaseDate(imageId: string, idDate: string, row: CatalogImage | undefined): ResolvedKernel | undefined {
    const date = row?.releaseDate ?? idDate;
    const previous = this.latestStatedOnOrBefore(date);
    if (!previous) {
      // Dated before the first release in the catalog: no such public image is known. Fail closed with the
      // first release's kernel, the oldest the catalog knows.
      const first = this.statedByDate[0];
      if (!first) return undefined;
      return {
        outcome: "resolved",
        imageId,
        kernel: first.kernel,
        basis: "release-date",
        confidence: "low",
        explanation:
          `INFERRED: its date ${date} is earlier than the first image in the catalog, ${first.imageId}, whose kernel ` +
          `${formatKernelRelease(first.kernel)} it is assumed to ship (fail closed)`,
      };
    }
    return {
      outcome: "resolved",
      imageId,
      kernel: previous.kernel,
      basis: "release-date",
      confidence: "low",
      explanation:
        `INFERRED from its release date ${date} (${row ? "its catalog row names no kernel" : "no catalog row"}): ` +
        `the newest image released on or before that date with a stated kernel, ${previous.imageId}, ships ` +
        `${formatKernelRelease(previous.kernel)}, and this image is assumed to ship the same (fail closed)`,
    };
  }

  private latestStatedOnOrBefore(date: string): DatedKernel | undefined {
    let lo = 0;
    let hi = this.statedByDate.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.statedByDate[mid].date <= date) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 ? this.statedByDate[lo - 1] : undefined;
  }
}

function dateOfId(imageId: string, catalog: ImageCatalog): string | undefined {
  const idClass = classifyImageId(imageId, catalog);
  return idClass.kind === "alinux2-public" ? isoDateFromIdDate(idClass.idDate) : undefined;
}
