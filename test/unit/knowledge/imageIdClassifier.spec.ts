import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bundledImageCatalog } from "../../../policies/src/knowledge/imageCatalog";
import { classifyImageId, isoDateFromIdDate } from "../../../policies/src/knowledge/imageIdClassifier";

const catalog = bundledImageCatalog;
const classify = (id: string) => classifyImageId(id, catalog);

/** The variant an ID names (alinux2-facts.md §1 naming patterns): `_<variant>_alibase_`, `.qboot.vhd`, else base. */
function variantNamedBy(imageId: string): string {
  return (
    /_(qboot|secured|uefi|dengbao|scc)_alibase_/.exec(imageId)?.[1] ??
    (/\.qboot\.vhd$/.test(imageId) ? "qboot" : "base")
  );
}

/** The eight digits of the date an ID carries. */
function dateNamedBy(imageId: string): string {
  return (/(\d{8})(?:\.qboot)?\.vhd$/.exec(imageId) as RegExpExecArray)[1];
}

/** The naming schemes of alinux2-facts.md §1, written out independently of the catalog's regexes. */
const SCHEME_TEMPLATES: ReadonlyArray<{
  readonly name: string;
  readonly variant: string;
  readonly id: (date: string) => string;
}> = [
  { name: "hyphenated 2019", variant: "base", id: (d) => `aliyun-2.1903-x64-20G-alibase-${d}.vhd` },
  { name: "no-x 2019", variant: "base", id: (d) => `aliyun_2_1903_64_20G_alibase_${d}.vhd` },
  { name: "qboot suffix 2020", variant: "qboot", id: (d) => `aliyun_2_1903_x64_20G_alibase_${d}.qboot.vhd` },
  { name: "x64 base", variant: "base", id: (d) => `aliyun_2_1903_x64_20G_alibase_${d}.vhd` },
  ...["qboot", "secured", "uefi", "dengbao", "scc"].map((v) => ({
    name: `x64 ${v}`,
    variant: v,
    id: (d: string) => `aliyun_2_1903_x64_20G_${v}_alibase_${d}.vhd`,
  })),
];

describe("classifyImageId: every catalog row", () => {
  it.each(catalog.images.map((row) => [row.imageId] as const))(
    "%s is a public Alinux 2 ID of the variant and date it names",
    (imageId) => {
      const result = classify(imageId);
      expect(result.kind).toBe("alinux2-public");
      if (result.kind !== "alinux2-public") return;
      expect(result.variant).toBe(variantNamedBy(imageId));
      expect(result.idDate).toBe(dateNamedBy(imageId));
      const scheme = catalog.schemes.find((s) => s.id === result.scheme);
      expect(scheme?.pattern.test(imageId)).toBe(true);
    },
  );

  it("agrees with the variant each catalog row records", () => {
    for (const row of catalog.images) {
      const result = classify(row.imageId);
      expect(result.kind === "alinux2-public" ? result.variant : undefined, row.imageId).toBe(row.variant);
    }
  });
});

describe("classifyImageId: IDs outside the catalog, every naming scheme", () => {
  const idDate = fc
    .date({ min: new Date("2019-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10).replace(/-/g, ""));

  it.each(SCHEME_TEMPLATES.map((t) => [t.name, t] as const))(
    "%s: classified with its variant and date",
    (_name, template) => {
      fc.assert(
        fc.property(idDate, (date) => {
          const result = classify(template.id(date));
          expect(result).toMatchObject({ kind: "alinux2-public", variant: template.variant, idDate: date });
        }),
        { numRuns: 100 },
      );
    },
  );

  it("each scheme of the catalog is exercised by one of these templates", () => {
    const used = new Set<string>();
    for (const template of SCHEME_TEMPLATES) {
      const result = classify(template.id("20210120"));
      if (result.kind === "alinux2-public") used.add(result.scheme);
    }
    expect([...used].sort()).toEqual(catalog.schemes.map((s) => s.id).sort());
  });
});

describe("classifyImageId: custom, shared and marketplace images", () => {
  it.each(["m-bp1g7004ksh0oeuco8sd", "m-2ze0v9bdgfeh4ot0yy1z", "M-BP1ABC", "  m-bp1abc  "])(
    "%j → custom-or-marketplace",
    (id) => {
      expect(classify(id).kind).toBe("custom-or-marketplace");
    },
  );
});

describe("classifyImageId: lookalikes of Alibaba Cloud Linux 2.1903 → alinux2-unrecognised (never other-os)", () => {
  it.each([
    "aliyun_2_1903_x64_20G_alibase_2021.vhd",
    "aliyun_2_1903_x64_20G_alibase_20210120",
    "aliyun_2_1903_x64_20G_alibase_20210120.qcow2",
    "aliyun_2_1903_x64_40G_alibase_20210120.vhd",
    "aliyun_2_1903_arm64_20G_alibase_20210120.vhd",
    "aliyun_2_1903_x64_20G_trusted_alibase_20210120.vhd",
    "aliyun_2_1903_x64_20G_alibase_20210120.uefi.vhd",
    "ALIYUN_2_1903_X64_20G_ALIBASE_20210120.VHD",
    "aliyun-2-1903-x64-20G-alibase-20210120.vhd",
    // image family names and OS names
    "acs:alibaba_cloud_linux_2_1903_lts_x64",
    "alibaba_cloud_linux_2_1903_lts_x64",
    "acs:aliyun_2_1903_x64",
    "alibaba-cloud-linux-2",
    "aliyun21903",
    "Alibaba Cloud Linux 2.1903 LTS 64 bit",
  ])("%j", (id) => {
    expect(classify(id).kind).toBe("alinux2-unrecognised");
  });
});

describe("classifyImageId: public images of other operating systems → other-os", () => {
  it.each([
    "aliyun_3_x64_20G_alibase_20230727.vhd",
    "aliyun_3_arm64_20G_alibase_20230727.vhd",
    "ubuntu_22_04_x64_20G_alibase_20230208.vhd",
    "centos_7_9_x64_20G_alibase_20230919.vhd",
    "win2022_21H2_x64_dtc_zh-cn_40G_alibase_20230915.vhd",
    "acs:alibaba_cloud_linux_3_2104_lts_x64",
    "Alibaba Cloud Linux 3.2104 LTS 64 bit",
  ])("%j", (id) => {
    expect(classify(id)).toEqual({ kind: "other-os" });
  });
});

describe("isoDateFromIdDate", () => {
  it("turns YYYYMMDD into YYYY-MM-DD", () => {
    expect(isoDateFromIdDate("20210120")).toBe("2021-01-20");
    expect(isoDateFromIdDate("20190327")).toBe("2019-03-27");
  });

  it("round-trips any calendar date", () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date("2000-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true }),
        (d) => {
          const iso = d.toISOString().slice(0, 10);
          expect(isoDateFromIdDate(iso.replace(/-/g, ""))).toBe(iso);
        },
      ),
    );
  });
});

describe("IDs whose date is not a calendar date", () => {
  it("are lookalikes, not public images judged by an impossible date", () => {
    expect(classifyImageId("aliyun_2_1903_x64_20G_alibase_20211399.vhd", bundledImageCatalog).kind).toBe(
      "alinux2-unrecognised",
    );
    expect(classifyImageId("aliyun_2_1903_x64_20G_alibase_20210230.vhd", bundledImageCatalog).kind).toBe(
      "alinux2-unrecognised",
    );
  });
});
