import advisoryData from "../../data/advisories.json";
import { compareKernelReleases, KernelRelease, requireKernelRelease } from "./kernelRelease";

/** A kernel advisory, as `data/advisories.json` records it, with its kernel bounds parsed. */
export interface KernelAdvisory {
  readonly id: string;
  readonly title: string;
  readonly os: string;
  readonly kernelDistTag: string;
  readonly affectedThrough: KernelRelease;
  readonly firstFixedKernel: KernelRelease;
  readonly firstFixedKernelBasis: string;
  readonly hotfix: {
    readonly package: string;
    readonly appliesFrom: KernelRelease;
    readonly appliesThrough: KernelRelease;
    readonly installCommand: string;
    readonly confidence: string;
  };
  readonly belowHotfixRange: string;
  readonly urls: { readonly zh: string; readonly en: string };
}

/** Where a kernel stands against an advisory. */
export type KernelAssessment =
  /** Not the advisory's OS (another distribution tag): the advisory does not apply. */
  | "other-os"
  /** Newer than the last affected kernel. */
  | "not-affected"
  /** Affected, and the live hotfix covers it: applying the hotfix at provisioning mitigates it. */
  | "affected-hotfixable"
  /** Affected and older than the hotfix range: a kernel update (and reboot) is required first. */
  | "affected-needs-kernel-update";

export function assessKernel(advisory: KernelAdvisory, kernel: KernelRelease): KernelAssessment {
  if (kernel.distTag !== advisory.kernelDistTag) return "other-os";
  if (compareKernelReleases(kernel, advisory.affectedThrough) > 0) return "not-affected";
  if (compareKernelReleases(kernel, advisory.hotfix.appliesFrom) < 0) return "affected-needs-kernel-update";
  return "affected-hotfixable";
}

export function isAffected(assessment: KernelAssessment): assessment is Extract<KernelAssessment, "affected-hotfixable" | "affected-needs-kernel-update"> {
  return assessment === "affected-hotfixable" || assessment === "affected-needs-kernel-update";
}

type RawAdvisory = (typeof advisoryData.advisories)[number];

export function parseAdvisory(raw: RawAdvisory): KernelAdvisory {
  const where = `advisory ${raw.id}`;
  return {
    id: raw.id,
    title: raw.title,
    os: raw.os,
    kernelDistTag: raw.kernelDistTag,
    affectedThrough: requireKernelRelease(raw.affectedThrough, where),
    firstFixedKernel: requireKernelRelease(raw.firstFixedKernel, where),
    firstFixedKernelBasis: raw.firstFixedKernelBasis,
    hotfix: {
      package: raw.hotfix.package,
      appliesFrom: requireKernelRelease(raw.hotfix.appliesFrom, where),
      appliesThrough: requireKernelRelease(raw.hotfix.appliesThrough, where),
      installCommand: raw.hotfix.installCommand,
      confidence: raw.hotfix.confidence,
    },
    belowHotfixRange: raw.belowHotfixRange,
    urls: raw.urls,
  };
}

const advisories = new Map(advisoryData.advisories.map((raw) => [raw.id, parseAdvisory(raw)]));

/** The bundled advisory with this id; an unknown id is a programming error. */
export function getAdvisory(id: string): KernelAdvisory {
  const advisory = advisories.get(id);
  if (!advisory) throw new Error(`no advisory '${id}' in data/advisories.json`);
  return advisory;
}
