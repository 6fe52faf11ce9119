/**
 * The pack's contract as users meet it, for unit, protocol and end-to-end specs alike: policy names, config keys, the
 * hotfix, and the images specs launch from. Facts are read from the pack's data files (policies/data/), not restated
 * and not taken from the pack's code: the advisory policies from advisories.json (found by the advisory's knowledge-
 * base ID), images from the catalog (found by the kernel their release notes state). The literal list of policy names
 * stands once, in test/unit/pack/createPolicies.spec.ts, so renaming a policy fails a spec instead of being followed.
 */
import advisoryData from "../../policies/data/advisories.json";
import catalogData from "../../policies/data/alinux2-image-catalog.json";

/** A row of policies/data/advisories.json, as far as specs read it. */
export interface AdvisoryRow {
  readonly knowledgeBaseId: string;
  /** The last affected kernel, as the advisory names it (`4.19.91-22.2.al7`). */
  readonly affectedThrough: string;
  readonly firstFixedKernel: string;
  readonly hotfix: {
    readonly package: string;
    readonly appliesFrom: string;
    readonly appliesThrough: string;
    readonly installCommand: string;
  } | null;
  /** The kernel route: the update command (a reboot must follow it). */
  readonly kernelUpdate: { readonly command: string };
  readonly policy: { readonly name: string; readonly enforcementLevel: string; readonly severity: string };
}

/** Every advisory row, in the data's order: specs that walk them test a new advisory by its row alone. */
export const ADVISORY_ROWS = advisoryData.advisories as readonly AdvisoryRow[];

function advisoryRow(knowledgeBaseId: string): AdvisoryRow {
  const row = ADVISORY_ROWS.find((a) => a.knowledgeBaseId === knowledgeBaseId);
  if (!row) throw new Error(`policies/data/advisories.json has no advisory ${knowledgeBaseId}`);
  return row;
}

/** The stack policy of each advisory row, in the data's order (the pack lists them in that order). */
export const ADVISORY_POLICIES: readonly string[] = ADVISORY_ROWS.map((a) => a.policy.name);

/** Policy names as users write them in `--policy-pack-config` files. */
export const POLICY = {
  /** Advisory 273061, the OverlayFS dentry leak: mandatory by default (a config may lower it). */
  overlayfs: advisoryRow("273061").policy.name,
  /** Advisory 272587, released inode used by writeback. */
  releasedInode: advisoryRow("272587").policy.name,
  /** Advisory 277447, page-fault soft lockup. */
  pageFault: advisoryRow("277447").policy.name,
  /** The resource policy for launch surfaces whose kernel the pack cannot know. */
  kernelUnknown: "alinux-image-kernel-unknown",
  /** The resource policy for Alibaba Cloud Linux 2 past its end of life. */
  endOfLife: "alinux2-end-of-life",
} as const;

/** Every policy of the pack: one per advisory row, then the two resource policies. */
export const POLICY_NAMES: readonly string[] = [...ADVISORY_POLICIES, POLICY.kernelUnknown, POLICY.endOfLife];

/** Config keys of the advisory policies (`imageKernels` also on alinux-image-kernel-unknown). */
export const CONFIG_KEY = {
  imageKernels: "imageKernels",
  exemptions: "exemptions",
  unknownMitigations: "unknownMitigations",
} as const;

/** The OverlayFS advisory's hotfix: its package prefix and the install command as the advisory writes it. */
export const HOTFIX = (() => {
  const hotfix = advisoryRow("273061").hotfix;
  if (!hotfix) throw new Error("advisory 273061 has no hotfix in policies/data/advisories.json");
  return { package: hotfix.package, installCommand: hotfix.installCommand } as const;
})();

/** The public base image whose release notes state `kernel` (catalog rows with kernelBasis "stated"). */
export function baseImageWithKernel(kernel: string): string {
  const stated = (i: (typeof catalogData.images)[number]) =>
    i.kernelBasis === "stated" && i.kernel?.replace(/\.x86_64$/, "") === kernel;
  const rows = catalogData.images.filter((i) => i.variant === "base" && stated(i));
  if (rows.length !== 1)
    throw new Error(`the catalog has ${rows.length} base images with stated kernel ${kernel}, not one`);
  return rows[0].imageId;
}

/** Image IDs specs launch from: Alibaba Cloud Linux 2 images by their stated kernel, and IDs the catalog does not hold. */
export const IMAGES = {
  /** 4.19.91-22.2.al7: affected, inside the hotfix range (the last kernel the OverlayFS advisory names). */
  affectedHotfixable: baseImageWithKernel("4.19.91-22.2.al7"),
  /** 4.19.24-9.al7: affected, below the hotfix range (the first 2019 image). */
  affected2019: baseImageWithKernel("4.19.24-9.al7"),
  /** 4.19.91-18.al7: affected, below 4.19.91-19.1.al7, so the hotfix does not count. */
  belowHotfixRange: baseImageWithKernel("4.19.91-18.al7"),
  /** 4.19.91-24.al7: past every advisory. */
  fixed: baseImageWithKernel("4.19.91-24.al7"),
  /** 4.19.91-23.al7: past the OverlayFS advisory, inside the released-inode and page-fault ones. */
  overlayfsFixedOnly: baseImageWithKernel("4.19.91-23.al7"),
  alinux3: "aliyun_3_x64_20G_alibase_20240819.vhd",
  ubuntu: "ubuntu_22_04_x64_20G_alibase_20240130.vhd",
  centos: "centos_7_9_x64_20G_alibase_20240628.vhd",
  windows: "win2022_21H2_x64_dtc_en-us_40G_alibase_20240110.vhd",
  /** A custom image (`m-…`): its kernel is whatever `imageKernels` declares. */
  custom: "m-bp1harnesscustom0001",
  /** Looks like Alibaba Cloud Linux 2 but follows no naming scheme. */
  alinux2Unrecognised: "aliyun_2_1903_x64_20G_harness_custom.img",
} as const;

/** The images at an advisory's range edges: the last affected kernel (inside) and the first fixed one (outside). */
export function rangeEdgeImages(row: AdvisoryRow): { readonly lastAffected: string; readonly firstFixed: string } {
  return {
    lastAffected: baseImageWithKernel(row.affectedThrough),
    firstFixed: baseImageWithKernel(row.firstFixedKernel),
  };
}
