import { describe, expect, it } from "vitest";
import catalogData from "../../../policies/data/alinux2-image-catalog.json";
import { assessKernel, bundledAdvisories, getAdvisory } from "../../../policies/src/knowledge/advisories";
import { recommendFixedImage } from "../../../policies/src/knowledge/fixedImages";
import { buildImageCatalog, bundledImageCatalog } from "../../../policies/src/knowledge/imageCatalog";
import {
  compareKernelReleases,
  KernelRelease,
  parseKernelRelease,
} from "../../../policies/src/knowledge/kernelRelease";
import { KernelResolver } from "../../../policies/src/knowledge/kernelResolver";
import { loadSharedReference, ReferenceImage } from "../../support/sharedReference";

const advisories = bundledAdvisories;
// One advisory alone, for the tests of how images are chosen (a synthetic catalog whose fixed kernel is 23.al7).
const overlayfsOnly = [getAdvisory("alinux2-overlayfs-dentry-leak")];
const catalog = bundledImageCatalog;
const resolver = new KernelResolver(catalog);
const recommend = (variant: string) => recommendFixedImage(variant, advisories, catalog, resolver);

// The facts, from shared/reference (the independent source the catalog was built from).
const referenceImages = loadSharedReference("the expected recommendations from shared/reference are")?.images;

// The last kernel any advisory names: 4.19.91-23.al7 (272587 and 277447, shared/reference/alinux2-more-advisories.md §A).
const LAST_AFFECTED = parseKernelRelease("4.19.91-23.al7") as KernelRelease;
const fixed = (text: string | null): boolean => {
  const k = text === null ? undefined : parseKernelRelease(text.replace(/ \(INFERRED\)$/, ""));
  return k !== undefined && compareKernelReleases(k, LAST_AFFECTED) > 0;
};
const dateOf = (image: ReferenceImage): string =>
  /^\d{4}-\d{2}-\d{2}$/.test(image.releaseDate)
    ? image.releaseDate
    : (/(\d{8})(?:\.qboot)?\.vhd$/.exec(image.imageId) as RegExpExecArray)[1].replace(
        /(\d{4})(\d{2})(\d{2})/,
        "$1-$2-$3",
      );
const newest = (images: ReferenceImage[]): ReferenceImage | undefined =>
  [...images].sort((a, b) => (dateOf(a) < dateOf(b) ? -1 : 1)).at(-1);

/**
 * What the reference says should be recommended for a variant: the newest image of it whose stated kernel is
 * fixed; failing that, the newest whose kernel is known without guessing from a date (documented, or its base
 * image's stated kernel) and fixed; failing that, nothing of this variant.
 */
function expectedFromReference(variant: string): { imageId: string; kernelStated: boolean } | undefined {
  const images = (referenceImages ?? []).filter((image) => image.variant.split(" ")[0] === variant);
  const byId = new Map((referenceImages ?? []).map((image) => [image.imageId, image]));
  const stated = newest(images.filter((image) => image.kernelBasis === "stated" && fixed(image.kernel)));
  if (stated) return { imageId: stated.imageId, kernelStated: true };
  const known = newest(
    images.filter((image) => {
      if (image.kernelBasis === "inferred") return fixed(image.kernel);
      const base = image.kernel === null && image.derivedFrom ? byId.get(image.derivedFrom) : undefined;
      return base?.kernelBasis === "stated" && fixed(base.kernel);
    }),
  );
  return known ? { imageId: known.imageId, kernelStated: false } : undefined;
}

const VARIANTS = [...new Set(catalog.images.map((row) => row.variant))];

describe("recommendFixedImage: for each variant of the catalog", () => {
  it("covers the variants the naming schemes know", () => {
    expect(VARIANTS.sort()).toEqual(["base", "dengbao", "qboot", "scc", "secured", "uefi"]);
  });

  describe.each(VARIANTS.map((v) => [v] as const))("%s", (variant) => {
    const rec = recommend(variant);

    it("recommends an image", () => {
      expect(rec).toBeDefined();
    });

    it("recommends a catalog image whose kernel no advisory affects", () => {
      const row = catalog.find(rec?.imageId ?? "");
      expect(row).toBeDefined();
      const resolution = resolver.resolve(rec?.imageId ?? "");
      expect(resolution.outcome).toBe("resolved");
      if (resolution.outcome !== "resolved") return;
      for (const advisory of advisories)
        expect(assessKernel(advisory, resolution.kernel), advisory.id).toBe("not-affected");
      expect(compareKernelReleases(resolution.kernel, LAST_AFFECTED)).toBe(1);
      expect(rec?.kernel).toBe(`${resolution.kernel.version}-${resolution.kernel.release}`);
    });

    it("never recommends an image whose kernel is only guessed from its date", () => {
      const resolution = resolver.resolve(rec?.imageId ?? "");
      expect(resolution.outcome === "resolved" && resolution.basis).not.toBe("release-date");
    });

    it("reports kernelStated truthfully", () => {
      const resolution = resolver.resolve(rec?.imageId ?? "");
      expect(rec?.kernelStated).toBe(resolution.outcome === "resolved" && resolution.basis === "catalog");
    });

    it("is of the asked variant unless it says otherVariant (then it is a base image)", () => {
      const row = catalog.find(rec?.imageId ?? "");
      if (rec?.otherVariant) expect(row?.variant).toBe("base");
      else expect(row?.variant).toBe(variant);
    });

    it.skipIf(!referenceImages)(
      "is the image the reference points to (newest, stated kernels first; else the base variant's)",
      () => {
        const own = expectedFromReference(variant);
        const expected = own ?? expectedFromReference("base");
        expect(expected).toBeDefined();
        expect({ imageId: rec?.imageId, kernelStated: rec?.kernelStated, otherVariant: rec?.otherVariant }).toEqual({
          ...expected,
          otherVariant: own === undefined,
        });
      },
    );
  });
});

describe("recommendFixedImage: fallbacks", () => {
  it("an unknown variant falls back to the base recommendation, flagged otherVariant", () => {
    const base = recommend("base");
    const unknown = recommend("no-such-variant");
    expect(unknown).toEqual({ ...base, otherVariant: true });
    expect(base?.otherVariant).toBe(false);
  });

  it("the base variant has no fallback: with no fixed base image there is no recommendation", () => {
    const onlyAffected = buildImageCatalog({
      ...catalogData,
      images: catalogData.images.filter(
        (row) => row.kernel !== null && !fixed(row.kernel) && row.kernelBasis === "stated",
      ),
    });
    expect(recommendFixedImage("base", advisories, onlyAffected, new KernelResolver(onlyAffected))).toBeUndefined();
    expect(recommendFixedImage("qboot", advisories, onlyAffected, new KernelResolver(onlyAffected))).toBeUndefined();
  });
});

describe("recommendFixedImage: choosing between images whose kernel is not stated", () => {
  const row = (imageId: string, over: Record<string, unknown>) => ({
    imageId,
    variant: "qboot",
    variantDescription: "",
    releaseDate: null,
    kernel: null,
    kernelBasis: "not-stated",
    derivedFrom: null,
    sources: ["s"],
    notes: "",
    ...over,
  });
  const base = "aliyun_2_1903_x64_20G_alibase_20210325.vhd";
  const documented = "aliyun_2_1903_x64_20G_qboot_alibase_20210401.vhd";
  const derived = "aliyun_2_1903_x64_20G_qboot_alibase_20210601.vhd";
  const synthetic = buildImageCatalog({
    ...catalogData,
    images: [
      row(base, { variant: "base", releaseDate: "2021-03-25", kernel: "4.19.91-23.al7", kernelBasis: "stated" }),
      // release date only in the ID (null releaseDate), kernel from a document
      row(documented, { kernel: "4.19.91-23.al7", kernelBasis: "inferred-from-documentation" }),
      // release date from the release notes, kernel from its base image
      row(derived, { releaseDate: "2021-06-01", derivedFrom: base }),
    ],
  });

  it("picks the newer one, whether its date comes from the release notes or from its ID", () => {
    const rec = recommendFixedImage("qboot", overlayfsOnly, synthetic, new KernelResolver(synthetic));
    expect(rec?.imageId).toBe(derived);
    expect(rec?.kernelStated).toBe(false);
  });
});
