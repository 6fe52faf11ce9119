/**
 * The independent source of facts the image catalog was built from: `shared/reference/alinux2-images.json`, which
 * sits beside the repository (in CI too). Specs cross-check the pack's data and rules against it; where it is absent
 * they skip those checks and say so loudly, never silently.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface ReferenceImage {
  readonly imageId: string;
  readonly variant: string;
  readonly releaseDate: string;
  readonly kernel: string | null;
  readonly kernelBasis: string;
  readonly derivedFrom: string | null;
  readonly affectedPerAdvisory: boolean | string;
  readonly source: readonly string[];
}

export interface SharedReference {
  readonly patterns: readonly { readonly imageIdPattern: string; readonly meaning: string }[];
  readonly images: readonly ReferenceImage[];
}

export const SHARED_REFERENCE_PATH = path.resolve(__dirname, "../../../shared/reference/alinux2-images.json");

/** The reference, or undefined (after a loud warning naming `whatIsSkipped`) when shared/ is not there. */
export function loadSharedReference(whatIsSkipped: string): SharedReference | undefined {
  if (fs.existsSync(SHARED_REFERENCE_PATH))
    return JSON.parse(fs.readFileSync(SHARED_REFERENCE_PATH, "utf8")) as SharedReference;
  console.warn(
    `\n!!! ${SHARED_REFERENCE_PATH} is missing: ${whatIsSkipped} SKIPPED.\n!!! Check out shared/ beside the repository to run it.\n`,
  );
  return undefined;
}
