/**
 * The companion's own embedded script passes its own pack in every mode it offers, on every kernel branch it
 * claims to handle — fed to the pack's policy as user data and as a Cloud Assistant command, exactly as
 * hotfixUserData() and hotfixCommandContent() produce it — and is blocked where it only prints REBOOT PENDING
 * (an old kernel without allowReboot).
 */
import { describe, expect, it } from "vitest";
import { hotfixCommandContent, hotfixUserData } from "../../companion/hotfixDelivery";
import { createPackContext } from "../../policies/src/pack/packContext";
import { POLICY } from "../support/contract";

const OVERLAYFS_POLICY_NAME = POLICY.overlayfs;
import { runStack } from "../support/policyRuntime";
import { previewInvocation, resource, T } from "../support/stackFixtures";

const context = createPackContext({ today: () => "2026-11-27" });

/** Images whose kernel the release notes state, one per kernel branch of the script. */
const HOTFIX_RANGE = {
  "4.19.91-19.1.al7": "aliyun_2_1903_x64_20G_alibase_20200529.vhd",
  "4.19.91-21.al7": "aliyun_2_1903_x64_20G_alibase_20200904.vhd",
  "4.19.91-22.al7": "aliyun_2_1903_x64_20G_alibase_20201231.vhd",
  "4.19.91-22.2.al7": "aliyun_2_1903_x64_20G_alibase_20210120.vhd",
};
const OLDER = {
  "4.19.24-9.al7": "aliyun-2.1903-x64-20G-alibase-20190327.vhd",
  "4.19.81-17.1.al7": "aliyun_2_1903_x64_20G_alibase_20200221.vhd",
  "4.19.91-18.al7": "aliyun_2_1903_x64_20G_alibase_20200324.vhd",
};

async function violationsFor(image: string, allowReboot: boolean, via: "userData" | "command") {
  const web = resource(
    T.instance,
    "web",
    via === "userData" ? { imageId: image, userData: hotfixUserData({ allowReboot }).base64 } : { imageId: image },
  );
  const stack =
    via === "userData"
      ? [web]
      : (() => {
          const fix = resource(T.command, "fix", {
            name: "fix",
            type: "RunShellScript",
            commandContent: hotfixCommandContent({ allowReboot }),
            timeout: 1800,
          });
          return [web, fix, previewInvocation("apply", fix, [web], { repeatMode: "Once" })];
        })();
  const run = await runStack(stack, {}, { context });
  return run.violations.filter((v) => v.policyName === OVERLAYFS_POLICY_NAME);
}

describe("the companion's script passes its own pack", () => {
  it("control: every image here is affected and blocked without the script", async () => {
    for (const image of [...Object.values(HOTFIX_RANGE), ...Object.values(OLDER)]) {
      const run = await runStack([resource(T.instance, "web", { imageId: image })], {}, { context });
      expect(
        run.violations.filter((v) => v.policyName === OVERLAYFS_POLICY_NAME),
        image,
      ).toHaveLength(1);
    }
  });

  for (const via of ["userData", "command"] as const) {
    for (const allowReboot of [false, true]) {
      for (const [kernel, image] of Object.entries(HOTFIX_RANGE)) {
        it(`${via}, allowReboot ${allowReboot}: passes on ${kernel} (applies the hotfix)`, async () => {
          expect(await violationsFor(image, allowReboot, via)).toEqual([]);
        });
      }
    }
    for (const [kernel, image] of Object.entries(OLDER)) {
      it(`${via}, allowReboot true: passes on ${kernel} (kernel update and reboot)`, async () => {
        expect(await violationsFor(image, true, via)).toEqual([]);
      });
      it(`${via}, allowReboot false: blocked on ${kernel}, where it only prints REBOOT PENDING`, async () => {
        const violations = await violationsFor(image, false, via);
        expect(violations).toHaveLength(1);
        expect(violations[0].message).toContain("updates the kernel but does not reboot");
      });
    }
  }
});
