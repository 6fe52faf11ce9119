import { describe, expect, it } from "vitest";
import catalogData from "../../../policies/data/alinux2-image-catalog.json";
import { buildImageCatalog, bundledImageCatalog, CatalogImage } from "../../../policies/src/knowledge/imageCatalog";
import { parseKernelRelease } from "../../../policies/src/knowledge/kernelRelease";
import { loadSharedReference } from "../../support/sharedReference";

// ---------------------------------------------------------------------------------------------------------------
// The independent source of facts the catalog was built from (shared/ sits beside the clone, in CI too).

const reference = loadSharedReference("the catalog cross-check against shared/reference is");

/** `kernel-4.19.91-26.al7 (INFERRED)` → `4.19.91-26.al7`: how the catalog writes kernels. */
function referenceKernel(text: string | null): string | null {
  return text === null ? null : text.replace(/ \(INFERRED\)$/, "").replace(/^kernel-/, "");
}

function referenceBasis(basis: string): CatalogImage["kernelBasis"] {
  if (basis === "stated") return "stated";
  if (basis === "inferred") return "inferred-from-documentation";
  return "not-stated"; // "not stated", "not stated (row lists no kernel update)", "unknown"
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const idDateOf = (imageId: string): string => (/(\d{8})(?:\.qboot)?\.vhd$/.exec(imageId) as RegExpExecArray)[1];

describe.skipIf(!reference)("catalog rows against shared/reference/alinux2-images.json", () => {
  const refImages = reference?.images ?? [];
  const refById = new Map(refImages.map((image) => [image.imageId, image]));
  const rows = bundledImageCatalog.images;

  it("holds exactly the image IDs of the reference, once each", () => {
    expect(rows.map((row) => row.imageId).sort()).toEqual(refImages.map((image) => image.imageId).sort());
    expect(new Set(rows.map((row) => row.imageId)).size).toBe(rows.length);
  });

  describe.each(rows.map((row) => [row.imageId, row] as const))("%s", (imageId, row) => {
    const ref = refById.get(imageId);

    it("is in the reference", () => {
      expect(ref).toBeDefined();
    });

    it("has the reference's kernel, or none where the reference names none", () => {
      expect(row.kernel).toBe(referenceKernel(ref?.kernel ?? null));
    });

    it("says how it knows its kernel as the reference does", () => {
      expect(row.kernelBasis).toBe(referenceBasis(ref?.kernelBasis ?? ""));
    });

    it("has the reference's base image", () => {
      expect(row.derivedFrom).toBe(ref?.derivedFrom ?? null);
    });

    it("has the reference's release date, or null where only the date in the ID is known", () => {
      const refDate = ref?.releaseDate ?? "";
      if (ISO_DATE.test(refDate)) expect(row.releaseDate).toBe(refDate);
      else {
        expect(row.releaseDate).toBeNull();
        expect(refDate).toContain(idDateOf(imageId));
      }
    });

    it("has the reference's variant", () => {
      expect(row.variant).toBe((ref?.variant ?? "").split(" ")[0]);
    });

    it("names at least one source, each one a source the reference gives for this image", () => {
      expect(row.sources.length).toBeGreaterThan(0);
      for (const source of row.sources) expect(ref?.source ?? []).toContain(source);
    });
  });

  it("every catalog ID matches the reference's catch-all pattern and one of its naming patterns", () => {
    const [catchAll, ...specific] = (reference?.patterns ?? []).map((p) => new RegExp(p.imageIdPattern));
    expect(specific.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.imageId).toMatch(catchAll);
      expect(
        specific.some((pattern) => pattern.test(row.imageId)),
        row.imageId,
      ).toBe(true);
    }
  });

  it("every naming pattern of the reference is covered by a catalog scheme (same IDs accepted)", () => {
    const specific = (reference?.patterns ?? []).slice(1);
    for (const { imageIdPattern } of specific) {
      const examples = refImages.map((image) => image.imageId).filter((id) => new RegExp(imageIdPattern).test(id));
      expect(examples.length, imageIdPattern).toBeGreaterThan(0);
      for (const id of examples)
        expect(
          bundledImageCatalog.schemes.some((scheme) => scheme.pattern.test(id)),
          id,
        ).toBe(true);
    }
  });
});

describe("bundled catalog: internal consistency", () => {
  const rows = bundledImageCatalog.images;

  it("has rows", () => {
    expect(rows.length).toBeGreaterThan(0);
  });

  it.each(rows.map((row) => [row.imageId, row] as const))(
    "%s: its ID follows exactly one naming scheme and the family pattern",
    (imageId) => {
      expect(bundledImageCatalog.schemes.filter((scheme) => scheme.pattern.test(imageId))).toHaveLength(1);
      expect(imageId).toMatch(bundledImageCatalog.alinux2Family);
    },
  );

  it("writes every kernel as a parseable release without the `kernel-` prefix", () => {
    for (const row of rows.filter((r) => r.kernel !== null)) {
      expect(row.kernel, row.imageId).not.toMatch(/^kernel-/);
      expect(parseKernelRelease(row.kernel as string), row.imageId).toBeDefined();
    }
  });

  it("has a kernel exactly where the basis says one is known", () => {
    for (const row of rows) expect(row.kernel === null, row.imageId).toBe(row.kernelBasis === "not-stated");
  });

  it("points every derivedFrom at a base-variant row of the catalog released no later", () => {
    for (const row of rows.filter((r) => r.derivedFrom !== null)) {
      const base = bundledImageCatalog.find(row.derivedFrom as string);
      expect(base, row.imageId).toBeDefined();
      expect(base?.variant).toBe("base");
      expect((base?.releaseDate ?? "") <= (row.releaseDate ?? "9999"), row.imageId).toBe(true);
    }
  });

  it("uses ISO dates or null for releaseDate", () => {
    for (const row of rows) if (row.releaseDate !== null) expect(row.releaseDate).toMatch(ISO_DATE);
  });

  it("gives each scheme an example that is a catalog row and that the scheme matches with a date", () => {
    expect(bundledImageCatalog.schemes.length).toBeGreaterThan(0);
    for (const scheme of bundledImageCatalog.schemes) {
      expect(scheme.pattern).toBeInstanceOf(RegExp);
      expect(scheme.pattern.exec(scheme.example)?.groups?.date, scheme.id).toMatch(/^\d{8}$/);
      expect(bundledImageCatalog.find(scheme.example), scheme.id).toBeDefined();
      expect(scheme.source.length).toBeGreaterThan(0);
    }
  });
});

describe("buildImageCatalog", () => {
  type Data = Parameters<typeof buildImageCatalog>[0];
  const row = (imageId: string, sources: string[] = ["a source"]) => ({
    imageId,
    variant: "base",
    variantDescription: "base",
    releaseDate: "2021-01-20",
    kernel: "4.19.91-22.2.al7",
    kernelBasis: "stated",
    derivedFrom: null,
    sources,
    notes: "",
  });
  const data = (images: ReturnType<typeof row>[]): Data => ({ ...catalogData, images });

  it("finds rows by exact ID and nothing else", () => {
    const catalog = buildImageCatalog(data([row("aliyun_2_1903_x64_20G_alibase_20210120.vhd")]));
    expect(catalog.find("aliyun_2_1903_x64_20G_alibase_20210120.vhd")?.kernel).toBe("4.19.91-22.2.al7");
    expect(catalog.find("aliyun_2_1903_x64_20G_alibase_20210325.vhd")).toBeUndefined();
    expect(catalog.find("ALIYUN_2_1903_X64_20G_ALIBASE_20210120.VHD")).toBeUndefined();
  });

  it("rejects a duplicate row", () => {
    const id = "aliyun_2_1903_x64_20G_alibase_20210120.vhd";
    expect(() => buildImageCatalog(data([row(id), row(id)]))).toThrowError(/duplicate.*20210120/);
  });

  it("rejects a row without a source", () => {
    expect(() => buildImageCatalog(data([row("aliyun_2_1903_x64_20G_alibase_20210120.vhd", [])]))).toThrowError(
      /no source/,
    );
  });

  it("compiles the schemes and the family pattern of the data it is given", () => {
    const catalog = buildImageCatalog(data([]));
    expect(catalog.schemes.map((s) => s.id)).toEqual(catalogData.schemes.map((s) => s.id));
    expect(catalog.alinux2Family.source).toBe(new RegExp(catalogData.alinux2Family.pattern).source);
  });
});
