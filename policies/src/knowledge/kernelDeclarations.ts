import * as fs from "node:fs";
import * as path from "node:path";
import { DECLARED_KERNEL_PATTERN, parseDeclaredKernel } from "./kernelRelease";

/**
 * Where a kernel was declared for an image, for messages: every verdict built on a declaration says so.
 * A string is a per-policy config entry (`imageKernels`); an object comes from the pack's catalog extension.
 */
export type DeclaredKernel = string | { readonly kernel: string; readonly source: string };

/** Image ID → declared kernel: the pack's catalog extension, overlaid by a policy's `imageKernels` config. */
export type DeclaredKernels = Readonly<Record<string, DeclaredKernel>>;

/**
 * The one place an organisation declares the kernels of its custom images for every policy of the pack:
 * `image-kernels.json` next to `PulumiPolicy.yaml`, shipped with its copy of the pack. Each row names its source
 * (who measured the kernel, how), as the bundled catalog does:
 *
 *   {"imageKernels": {"m-bp1abc": {"kernel": "4.19.91-24.al7.x86_64", "source": "golden image build 2024-05, uname -r"}}}
 *
 * Every policy that resolves kernels sees these rows; a policy's own `imageKernels` config overrides a row for that
 * policy only. A malformed file stops the pack at start-up with a message naming the row (fail closed: a file meant
 * to make the pack stricter must never be half read). No file: no rows.
 */
export const PACK_KERNELS_FILE = "image-kernels.json";

export function packRoot(): string {
  // bin/knowledge/ (built) and src/knowledge/ (tests) both sit two levels below the pack root.
  return path.resolve(__dirname, "..", "..");
}

export function loadPackKernelDeclarations(file = path.join(packRoot(), PACK_KERNELS_FILE)): DeclaredKernels {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return {};
    throw error;
  }
  return parseKernelDeclarations(text, path.basename(file));
}

/** Parses and checks the catalog extension; throws naming the first bad row. */
export function parseKernelDeclarations(text: string, where: string): DeclaredKernels {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new Error(`${where}: not JSON (${(error as Error).message})`, { cause: error });
  }
  const rows = (data as { imageKernels?: unknown } | null)?.imageKernels;
  if (typeof data !== "object" || data === null || typeof rows !== "object" || rows === null || Array.isArray(rows)) {
    throw new Error(`${where}: expected {"imageKernels": {"<image id>": {"kernel": "…", "source": "…"}}}`);
  }
  const declared: Record<string, DeclaredKernel> = {};
  for (const [imageId, row] of Object.entries(rows as Record<string, unknown>)) {
    const { kernel, source } = (row ?? {}) as { kernel?: unknown; source?: unknown };
    if (!parseDeclaredKernel(kernel)) {
      throw new Error(
        `${where}: the kernel of ${imageId} is not an Alibaba Cloud Linux 2 kernel release (${DECLARED_KERNEL_PATTERN}), e.g. 4.19.91-24.al7.x86_64`,
      );
    }
    if (typeof source !== "string" || source.trim().length === 0)
      throw new Error(`${where}: the row of ${imageId} names no source`);
    declared[imageId] = { kernel: kernel as string, source: `${PACK_KERNELS_FILE} (source: ${source.trim()})` };
  }
  return Object.freeze(declared);
}

/** The pack's rows overlaid by a policy's `imageKernels`: one object per policy run. */
export function withPolicyDeclarations(
  pack: DeclaredKernels,
  policy: Readonly<Record<string, string>> | undefined,
): DeclaredKernels {
  return policy && Object.keys(policy).length > 0 ? { ...pack, ...policy } : pack;
}

export function declaredKernelText(declared: DeclaredKernel): string {
  return typeof declared === "string" ? declared : declared.kernel;
}

export function declaredKernelSource(declared: DeclaredKernel): string {
  return typeof declared === "string" ? "the policy pack config (imageKernels)" : declared.source;
}
