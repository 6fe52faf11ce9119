import { rpmVersionCompare } from "./rpmVersionCompare";

/** A kernel release as `uname -r` prints it (`4.19.91-22.2.al7.x86_64`), split the way RPM sees it. */
export interface KernelRelease {
  /** Upstream version, e.g. `4.19.91`. */
  readonly version: string;
  /** Package release without the architecture, e.g. `22.2.al7`. */
  readonly release: string;
  /** Distribution tag found in the release, e.g. `al7` (Alibaba Cloud Linux 2), if any. */
  readonly distTag?: string;
  /** Architecture suffix, e.g. `x86_64`, if it was given. */
  readonly arch?: string;
}

const ARCHES = ["x86_64", "aarch64", "i686", "noarch"];

/**
 * A kernel release as text: optional `kernel-`, a dotted numeric version, `-`, and dot-separated release fields
 * (the arch, if any, is the last field). The config schema uses the same pattern, so whatever config the engine
 * accepts, the policy can parse.
 */
export const KERNEL_RELEASE_PATTERN =
  "^(?:kernel-)?([0-9]+(?:\\.[0-9]+)*)-([0-9A-Za-z_+~^-]+(?:\\.[0-9A-Za-z_+~^-]+)*)$";
const KERNEL_RE = new RegExp(KERNEL_RELEASE_PATTERN);

/**
 * A kernel a user may declare for an image: an Alibaba Cloud Linux 2 release as `uname -r` or `rpm -q kernel` prints
 * it — `<version>-<release>.al7`, optional `kernel-` prefix and `.x86_64` / `.aarch64` suffix. Stricter than
 * {@link KERNEL_RELEASE_PATTERN}: the resolver can use every release this accepts, so the engine's schema check
 * rejects what the pack could not judge. RE2-compatible (the engine validates config with Go's regexp).
 */
export const DECLARED_KERNEL_PATTERN =
  "^(?:kernel-)?[0-9]+(?:\\.[0-9]+)*-[0-9A-Za-z_+~^]+(?:\\.[0-9A-Za-z_+~^]+)*\\.al7(?:\\.(?:x86_64|aarch64))?$";
const DECLARED_KERNEL_RE = new RegExp(DECLARED_KERNEL_PATTERN);

/** A declared kernel the pack can use, or undefined: see {@link DECLARED_KERNEL_PATTERN}. */
export function parseDeclaredKernel(text: unknown): KernelRelease | undefined {
  if (typeof text !== "string" || !DECLARED_KERNEL_RE.test(text.trim())) return undefined;
  return parseKernelRelease(text);
}

/**
 * Parses `4.19.91-22.2.al7.x86_64`, `kernel-4.19.91-22.2.al7` and the like. Returns undefined for text that is
 * not a kernel release, so callers can say so instead of guessing.
 */
export function parseKernelRelease(text: string): KernelRelease | undefined {
  const match = KERNEL_RE.exec(text.trim());
  if (!match) return undefined;
  const version = match[1];
  let release = match[2];
  let arch: string | undefined;
  for (const candidate of ARCHES) {
    if (release.endsWith(`.${candidate}`)) {
      arch = candidate;
      release = release.slice(0, -candidate.length - 1);
      break;
    }
  }
  const distTag = /(?:^|\.)((?:al|el|an|fc)\d+)(?:\.|$|_)/.exec(release)?.[1];
  return { version, release, distTag, arch };
}

/** RPM order of two kernel releases: version first, then release; the architecture is ignored. */
export function compareKernelReleases(a: KernelRelease, b: KernelRelease): -1 | 0 | 1 {
  return rpmVersionCompare(a.version, b.version) || rpmVersionCompare(a.release, b.release);
}

/** `4.19.91-22.2.al7` (no arch): the form the advisory and the catalog use. */
export function formatKernelRelease(kernel: KernelRelease): string {
  return `${kernel.version}-${kernel.release}`;
}

/** Parses a release the pack's own data files contain; a malformed one is a bug in the data, so it throws. */
export function requireKernelRelease(text: string, where: string): KernelRelease {
  const parsed = parseKernelRelease(text);
  if (!parsed) throw new Error(`${where}: '${text}' is not a kernel release`);
  return parsed;
}
