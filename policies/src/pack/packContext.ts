import { bundledAdvisories, KernelAdvisory } from "../knowledge/advisories";
import { bundledImageCatalog, ImageCatalog } from "../knowledge/imageCatalog";
import { DeclaredKernels, loadPackKernelDeclarations } from "../knowledge/kernelDeclarations";
import { KernelResolver } from "../knowledge/kernelResolver";
import { Clock, systemClock } from "../runtime/clock";
import { reportUnderDescription, ViolationReporter } from "../runtime/violationReport";

/**
 * What every policy of the pack reads: the knowledge (catalog, advisories, the kernels the organisation declared in
 * the pack's image-kernels.json), a clock, and how to hand violations to the SDK. Built once per process.
 */
export interface PackContext {
  readonly catalog: ImageCatalog;
  /** The pack-level kernel declarations every policy sees (kernelDeclarations.ts); a policy's config adds to them. */
  readonly declaredKernels: DeclaredKernels;
  readonly resolver: KernelResolver;
  /** Every advisory the pack enforces, one stack policy each; fixed-image recommendations must be past all of them. */
  readonly advisories: readonly KernelAdvisory[];
  readonly today: Clock;
  /**
   * How the advisory policies (thousands of violations on a large stack) report: the documented form unless the pack
   * runs on an SDK known to send messages as they are (index.ts; runtime/violationReport.ts).
   */
  readonly violationReporter: ViolationReporter;
}

export function createPackContext(overrides: Partial<PackContext> = {}): PackContext {
  const catalog = overrides.catalog ?? bundledImageCatalog;
  return {
    catalog,
    resolver: overrides.resolver ?? new KernelResolver(catalog),
    declaredKernels: overrides.declaredKernels ?? loadPackKernelDeclarations(),
    advisories: overrides.advisories ?? bundledAdvisories,
    today: overrides.today ?? systemClock,
    violationReporter: overrides.violationReporter ?? reportUnderDescription,
  };
}
