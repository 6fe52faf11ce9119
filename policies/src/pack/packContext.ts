import { getAdvisory, KernelAdvisory } from "../knowledge/advisories";
import { bundledImageCatalog, ImageCatalog } from "../knowledge/imageCatalog";
import { DeclaredKernels, loadPackKernelDeclarations } from "../knowledge/kernelDeclarations";
import { KernelResolver } from "../knowledge/kernelResolver";
import { Clock, systemClock } from "../runtime/clock";

/**
 * What every policy of the pack reads: the knowledge (catalog, advisory, the kernels the organisation declared in
 * the pack's image-kernels.json) and a clock. Built once per process.
 */
export interface PackContext {
  readonly catalog: ImageCatalog;
  /** The pack-level kernel declarations every policy sees (kernelDeclarations.ts); a policy's config adds to them. */
  readonly declaredKernels: DeclaredKernels;
  readonly resolver: KernelResolver;
  readonly advisory: KernelAdvisory;
  readonly today: Clock;
}

export const OVERLAYFS_ADVISORY_ID = "alinux2-overlayfs-dentry-leak";

export function createPackContext(overrides: Partial<PackContext> = {}): PackContext {
  const catalog = overrides.catalog ?? bundledImageCatalog;
  return {
    catalog,
    resolver: overrides.resolver ?? new KernelResolver(catalog),
    declaredKernels: overrides.declaredKernels ?? loadPackKernelDeclarations(),
    advisory: overrides.advisory ?? getAdvisory(OVERLAYFS_ADVISORY_ID),
    today: overrides.today ?? systemClock,
  };
}
