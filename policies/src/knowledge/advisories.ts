import advisoryData from "../../data/advisories.json";
import { compareKernelReleases, KernelRelease, requireKernelRelease } from "./kernelRelease";

/** A live kernel hotfix an advisory names: the package prefix and the kernels it covers. */
export interface KernelHotfix {
  readonly package: string;
  readonly appliesFrom: KernelRelease;
  readonly appliesThrough: KernelRelease;
  readonly installCommand: string;
  readonly confidence: string;
}

/** The policy that enforces an advisory: its contract name, default enforcement level, severity and texts. */
export interface AdvisoryPolicyMetadata {
  readonly name: string;
  readonly displayName: string;
  readonly enforcementLevel: "advisory" | "mandatory";
  readonly severity: "low" | "medium" | "high" | "critical";
  readonly tags: readonly string[];
}

/** A kernel advisory, as a row of `data/advisories.json`, with its kernel bounds parsed. */
export interface KernelAdvisory {
  readonly id: string;
  /** The Alibaba Cloud knowledge-base document number (e.g. 273061). */
  readonly knowledgeBaseId: string;
  readonly title: string;
  /** A few words for messages ("OverlayFS dentry-leak crash"). */
  readonly shortTitle: string;
  readonly os: string;
  readonly kernelDistTag: string;
  readonly affectedThrough: KernelRelease;
  readonly firstFixedKernel: KernelRelease;
  readonly firstFixedKernelBasis: string;
  /** Whether no source states the first fixed kernel (the basis says INFERRED). */
  readonly firstFixedKernelInferred: boolean;
  /** The documented live hotfix, or undefined when none is known (then only the kernel route mitigates). */
  readonly hotfix?: KernelHotfix;
  /** Why no hotfix is known, when none is. */
  readonly noHotfixBasis?: string;
  /** The kernel route: a kernel update at provisioning, followed by a reboot, and where that fix comes from. */
  readonly kernelUpdate: { readonly command: string; readonly rebootRequired: boolean; readonly basis: string };
  readonly policy: AdvisoryPolicyMetadata;
  /** The advisory's pages; `en` is undefined where no English page is known. */
  readonly urls: { readonly zh: string; readonly en?: string };
  readonly sources: readonly string[];
}

/** Where a kernel stands against an advisory. */
export type KernelAssessment =
  /** Not the advisory's OS (another distribution tag): the advisory does not apply. */
  | "other-os"
  /** Newer than the last affected kernel. */
  | "not-affected"
  /** Affected, and the live hotfix covers it: applying the hotfix at provisioning mitigates it. */
  | "affected-hotfixable"
  /** Affected, and no hotfix covers it (older than the hotfix range, or none known): a kernel update and reboot. */
  | "affected-needs-kernel-update";

export function assessKernel(advisory: KernelAdvisory, kernel: KernelRelease): KernelAssessment {
  if (kernel.distTag !== advisory.kernelDistTag) return "other-os";
  if (compareKernelReleases(kernel, advisory.affectedThrough) > 0) return "not-affected";
  if (hotfixCovers(advisory.hotfix, kernel)) return "affected-hotfixable";
  return "affected-needs-kernel-update";
}

function hotfixCovers(hotfix: KernelHotfix | undefined, kernel: KernelRelease): boolean {
  return (
    hotfix !== undefined &&
    compareKernelReleases(kernel, hotfix.appliesFrom) >= 0 &&
    compareKernelReleases(kernel, hotfix.appliesThrough) <= 0
  );
}

export function isAffected(
  assessment: KernelAssessment,
): assessment is Extract<KernelAssessment, "affected-hotfixable" | "affected-needs-kernel-update"> {
  return assessment === "affected-hotfixable" || assessment === "affected-needs-kernel-update";
}

/** Whether a kernel of the advisories' OS is past every one of them: what a fixed-image recommendation needs. */
export function isFixedForAll(advisories: readonly KernelAdvisory[], kernel: KernelRelease): boolean {
  return advisories.length > 0 && advisories.every((advisory) => assessKernel(advisory, kernel) === "not-affected");
}

/** A row of data/advisories.json as written (kernel bounds as text, null where a value is not known). */
export interface RawAdvisory {
  readonly id: string;
  readonly knowledgeBaseId: string;
  readonly title: string;
  readonly shortTitle: string;
  readonly os: string;
  readonly kernelDistTag: string;
  readonly affectedThrough: string;
  readonly firstFixedKernel: string;
  readonly firstFixedKernelBasis: string;
  readonly hotfix: {
    readonly package: string;
    readonly appliesFrom: string;
    readonly appliesThrough: string;
    readonly installCommand: string;
    readonly rebootRequired: boolean;
    readonly confidence: string;
  } | null;
  readonly noHotfixBasis: string | null;
  readonly kernelUpdate: KernelAdvisory["kernelUpdate"];
  readonly policy: Omit<AdvisoryPolicyMetadata, "enforcementLevel" | "severity"> & {
    readonly enforcementLevel: string;
    readonly severity: string;
  };
  readonly urls: { readonly zh: string; readonly en: string | null };
  readonly sources: readonly string[];
}

/** The rows of the bundled data file. */
export const bundledAdvisoryRows: readonly RawAdvisory[] = advisoryData.advisories;

const LEVELS = new Set(["advisory", "mandatory"]);
const SEVERITIES = new Set(["low", "medium", "high", "critical"]);

export function parseAdvisory(raw: RawAdvisory): KernelAdvisory {
  const where = `advisory ${raw.id}`;
  const { policy } = raw;
  if (!LEVELS.has(policy.enforcementLevel))
    throw new Error(`${where}: policy.enforcementLevel '${policy.enforcementLevel}' is not advisory or mandatory`);
  if (!SEVERITIES.has(policy.severity))
    throw new Error(`${where}: policy.severity '${policy.severity}' is not low, medium, high or critical`);
  if (!raw.hotfix && !raw.noHotfixBasis) throw new Error(`${where}: no hotfix and no noHotfixBasis saying why`);
  if (raw.sources.length === 0) throw new Error(`${where}: no sources`);
  const affectedThrough = requireKernelRelease(raw.affectedThrough, where);
  const firstFixedKernel = requireKernelRelease(raw.firstFixedKernel, where);
  if (compareKernelReleases(firstFixedKernel, affectedThrough) <= 0) {
    throw new Error(
      `${where}: firstFixedKernel ${raw.firstFixedKernel} is not after affectedThrough ${raw.affectedThrough}`,
    );
  }
  return {
    id: raw.id,
    knowledgeBaseId: raw.knowledgeBaseId,
    title: raw.title,
    shortTitle: raw.shortTitle,
    os: raw.os,
    kernelDistTag: raw.kernelDistTag,
    affectedThrough,
    firstFixedKernel,
    firstFixedKernelBasis: raw.firstFixedKernelBasis,
    firstFixedKernelInferred: raw.firstFixedKernelBasis.startsWith("INFERRED"),
    hotfix: raw.hotfix
      ? {
          package: raw.hotfix.package,
          appliesFrom: requireKernelRelease(raw.hotfix.appliesFrom, where),
          appliesThrough: requireKernelRelease(raw.hotfix.appliesThrough, where),
          installCommand: raw.hotfix.installCommand,
          confidence: raw.hotfix.confidence,
        }
      : undefined,
    noHotfixBasis: raw.noHotfixBasis ?? undefined,
    kernelUpdate: raw.kernelUpdate,
    policy: {
      ...policy,
      enforcementLevel: policy.enforcementLevel as AdvisoryPolicyMetadata["enforcementLevel"],
      severity: policy.severity as AdvisoryPolicyMetadata["severity"],
    },
    urls: { zh: raw.urls.zh, en: raw.urls.en ?? undefined },
    sources: raw.sources,
  };
}

/** Every advisory of data/advisories.json, in file order (the order of their policies). */
export const bundledAdvisories: readonly KernelAdvisory[] = bundledAdvisoryRows.map(parseAdvisory);

const byId = new Map(bundledAdvisories.map((advisory) => [advisory.id, advisory]));

/** The bundled advisory with this id; an unknown id is a programming error. */
export function getAdvisory(id: string): KernelAdvisory {
  const advisory = byId.get(id);
  if (!advisory) throw new Error(`no advisory '${id}' in data/advisories.json`);
  return advisory;
}
