import { describe, expect, it } from "vitest";
import { getAdvisory } from "../../../policies/src/knowledge/advisories";
import { remedyFor } from "../../../policies/src/knowledge/advisoryRemedy";
import { parseKernelRelease } from "../../../policies/src/knowledge/kernelRelease";
import { readShellScript } from "../../../policies/src/mitigations/shellScriptReader";

const advisory = getAdvisory("alinux2-overlayfs-dentry-leak");
const k = (r: string) => parseKernelRelease(r)!;
const ROOT = { asRoot: true, exit194Reboots: false };
const remedy = async (script: string, kernel: string, run = ROOT) =>
  remedyFor(advisory, k(kernel), await readShellScript(script, "t"), run);

describe("remedyFor", () => {
  it("counts the hotfix computed from uname -r or pinned to this kernel, only in the hotfix range", async () => {
    expect(
      (
        await remedy(
          `yum install -y kernel-hotfix-4375449-$(uname -r | awk -F"-" '{print $NF}')`,
          "4.19.91-21.al7.x86_64",
        )
      ).mitigates,
    ).toBe(true);
    expect((await remedy("yum install -y kernel-hotfix-4375449-21.al7", "4.19.91-21.al7.x86_64")).mitigates).toBe(true);
    expect((await remedy("yum install -y kernel-hotfix-4375449-21.al7.x86_64", "4.19.91-21.al7")).mitigates).toBe(true);
    expect(await remedy("yum install -y kernel-hotfix-4375449-21.al7", "4.19.91-22.2.al7")).toEqual({
      mitigates: false,
      why: "it installs kernel-hotfix-4375449 for another kernel's release",
    });
    expect((await remedy("yum install -y kernel-hotfix-4375449-18.al7", "4.19.91-18.al7")).mitigates).toBe(false);
    expect((await remedy("yum install -y kernel-hotfix-4375449-21.al7.bogus", "4.19.91-21.al7")).mitigates).toBe(false);
  });

  it("counts the kernel route on every affected kernel, only with a reboot after the update", async () => {
    for (const kernel of ["4.19.91-18.al7", "4.19.91-22.2.al7"]) {
      expect(await remedy("yum update -y kernel && reboot", kernel)).toEqual({
        mitigates: true,
        how: "updates the kernel and reboots at provisioning",
      });
      expect((await remedy("reboot; yum update -y kernel", kernel)).mitigates).toBe(false);
    }
    expect((await remedy("yum update -y kernel\nexit 194", "4.19.91-18.al7")).mitigates).toBe(false);
    expect(
      (await remedy("yum update -y kernel\nexit 194", "4.19.91-18.al7", { asRoot: true, exit194Reboots: true }))
        .mitigates,
    ).toBe(true);
  });

  it("needs root, -y and no --downloadonly", async () => {
    const fix = `kernel-hotfix-4375449-$(uname -r | awk -F"-" '{print $NF}')`;
    expect(
      (await remedy(`yum install -y ${fix}`, "4.19.91-21.al7", { asRoot: false, exit194Reboots: true })).mitigates,
    ).toBe(false);
    expect(
      (await remedy(`sudo yum install -y ${fix}`, "4.19.91-21.al7", { asRoot: false, exit194Reboots: true })).mitigates,
    ).toBe(true);
    expect((await remedy(`yum install ${fix}`, "4.19.91-21.al7")).mitigates).toBe(false);
    expect((await remedy(`yum install -y --downloadonly ${fix}`, "4.19.91-21.al7")).mitigates).toBe(false);
  });

  it("passes on a reading that does not run or cannot be read, with its reason", () => {
    expect(remedyFor(advisory, k("4.19.91-21.al7"), { state: "does-not-run", reason: "x" }, ROOT)).toEqual({
      mitigates: false,
      why: "it does not run: x",
    });
    expect(remedyFor(advisory, k("4.19.91-21.al7"), { state: "cannot-be-read", reason: "y" }, ROOT)).toEqual({
      mitigates: false,
      why: "it cannot be read: y",
    });
  });
});
