/**
 * The pack's contract as users write it in config files: policy names. Specs name policies from here, never from
 * the pack's own source, so renaming one in the pack fails the specs instead of silently following it.
 */
export const POLICY = {
  overlayfs: "alinux2-overlayfs-dentry-leak",
  releasedInode: "alinux2-released-inode-crash",
  pageFault: "alinux2-page-fault-crash",
  kernelUnknown: "alinux-image-kernel-unknown",
  endOfLife: "alinux2-end-of-life",
} as const;
