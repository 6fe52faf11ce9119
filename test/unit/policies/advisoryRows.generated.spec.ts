// Generated from the advisory rows of policies/data/advisories.json: each row's stack policy, in process, at the
// row's range edges (the catalog's images with its last affected and first fixed kernels), at its default level and
// raised by config, silenced by an exemption, and mitigated by the row's own routes: its hotfix's install command when
// it has one (at the last kernel the hotfix covers), and its kernel update followed by a reboot. A new row is tested
// by adding it; the catalog must hold an image at each of its edges.
import { describe, expect, it } from "vitest";
import { createPackContext } from "../../../policies/src/pack/packContext";
import { runStack, Violation } from "../../support/policyRuntime";
import { ADVISORY_ROWS, baseImageWithKernel, rangeEdgeImages } from "../../support/contract";
import { base64, previewInstance, urnFor } from "../../support/stackFixtures";

const context = createPackContext({ today: () => "2026-11-27", declaredKernels: {} });

describe.each(ADVISORY_ROWS.map((row) => [row.policy.name, row, rangeEdgeImages(row)] as const))(
  "%s",
  (name, row, edges) => {
    const of = (violations: Violation[]) =>
      violations.filter((v) => v.policyName === name && !v.message.startsWith("can't run"));
    const check = async (userData?: string, image = edges.lastAffected, config = {}) => {
      const web = previewInstance("web", image, userData === undefined ? {} : { userData: base64(userData) });
      return { web, found: of((await runStack([web], config, { context })).violations) };
    };

    const { enforcementLevel, severity } = row.policy;
    it(`reports kernel ${row.affectedThrough} at its level and severity (${enforcementLevel}, ${severity}) at the resource`, async () => {
      const { web, found } = await check();
      expect(found.map((v) => [v.urn, v.enforcementLevel, v.severity])).toEqual([
        [urnFor(web), enforcementLevel, severity],
      ]);
      expect(found[0].message).toContain(`kernel ${row.affectedThrough}`);
    });

    it(`passes kernel ${row.firstFixedKernel}, the first fixed one`, async () => {
      expect((await check(undefined, edges.firstFixed)).found).toEqual([]);
    });

    it("is raised to mandatory, and an exemption silences it, by the pack config", async () => {
      const raised = await check(undefined, edges.lastAffected, { [name]: { enforcementLevel: "mandatory" } });
      expect(raised.found.map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
      const exemptions = [{ resource: "web", reason: "ticket OPS-1", expires: "2099-01-01" }];
      expect((await check(undefined, edges.lastAffected, { [name]: { exemptions } })).found).toEqual([]);
    });

    it("is mitigated by its kernel update followed by a reboot, and not by the update alone", async () => {
      expect((await check(`#!/bin/bash\n${row.kernelUpdate.command}\nreboot\n`)).found).toEqual([]);
      expect((await check(`#!/bin/bash\n${row.kernelUpdate.command}\n`)).found).toHaveLength(1);
    });

    const hotfix = row.hotfix;
    if (hotfix) {
      it(`is mitigated by its hotfix's install command on the last kernel the hotfix covers (${hotfix.appliesThrough})`, async () => {
        const covered = baseImageWithKernel(hotfix.appliesThrough);
        expect((await check(`#!/bin/bash\nset -e\n${hotfix.installCommand}\n`, covered)).found).toEqual([]);
      });
    } else {
      it("knows no hotfix: another advisory's hotfix does not mitigate it", async () => {
        const other = ADVISORY_ROWS.find((r) => r.hotfix)?.hotfix;
        expect(other, "some advisory row has a hotfix to try").toBeDefined();
        expect((await check(`#!/bin/bash\nset -e\n${other?.installCommand}\n`)).found).toHaveLength(1);
      });
    }
  },
);
