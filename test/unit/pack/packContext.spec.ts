import { describe, expect, it } from "vitest";
import { bundledImageCatalog } from "../../../policies/src/knowledge/imageCatalog";
import { bundledAdvisories } from "../../../policies/src/knowledge/advisories";
import { createPackContext } from "../../../policies/src/pack/packContext";

describe("createPackContext", () => {
  it("wires the bundled catalog, every bundled advisory and the system clock by default", () => {
    const context = createPackContext();
    expect(context.catalog).toBe(bundledImageCatalog);
    expect(context.advisories).toBe(bundledAdvisories);
    expect(context.advisories.map((a) => a.id)).toEqual([
      "alinux2-overlayfs-dentry-leak",
      "alinux2-released-inode-crash",
      "alinux2-page-fault-crash",
    ]);
    expect(context.today()).toBe(new Date().toISOString().slice(0, 10));
    expect(context.resolver.resolve("aliyun_2_1903_x64_20G_alibase_20210120.vhd").outcome).toBe("resolved");
  });

  it("takes overrides, e.g. a pinned clock", () => {
    expect(createPackContext({ today: () => "2030-01-01" }).today()).toBe("2030-01-01");
  });
});
