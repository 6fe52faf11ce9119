// Generated from the launch-surface table: for every surface and every image property it declares, an affected
// image is a mandatory violation, a fixed image is silent, an undeclared custom image is an advisory of
// alinux-image-kernel-unknown, and an unknown image defers the verdict naming the resource and the property; for every
// surface that can take its image from a launch template (or another surface: `launchTemplate.source`), an affected
// image there is a mandatory violation at the resource naming where it came from.
// Adding a surface or an image property to launchSurfaces.ts adds its cases here.
import { describe, expect, it } from "vitest";
import { LAUNCH_SURFACES } from "../../../policies/src/launchSurfaces/launchSurfaces";
import { createPackContext } from "../../../policies/src/pack/packContext";
import { IMAGES, POLICY } from "../../support/contract";
import { runResourcePolicies, runStack, UNKNOWN } from "../../support/policyRuntime";
import {
  concretePath,
  imageIdProperties,
  resource,
  surfaceResource,
  templateAndConsumer,
  urnFor,
} from "../../support/stackFixtures";

const OVERLAYFS_POLICY_NAME = POLICY.overlayfs;
const KERNEL_UNKNOWN_POLICY_NAME = POLICY.kernelUnknown;
const context = createPackContext({ today: () => "2026-11-27", declaredKernels: {} });

const cases = imageIdProperties(LAUNCH_SURFACES);

describe.each(cases)("%s %s", (type, path, surface, property) => {
  const run = (value: unknown) => runStack([surfaceResource(surface, property, value)], {}, { context });
  const main = async (value: unknown) =>
    (await run(value)).violations.filter((v) => v.policyName === OVERLAYFS_POLICY_NAME);

  it("an affected image (no hotfix possible) is a mandatory violation at the resource, naming the image", async () => {
    // IMAGES.belowHotfixRange: older than the hotfix range, so no user data or invocation could mitigate it on any surface.
    const [violation, ...rest] = await main(IMAGES.belowHotfixRange);
    expect(rest).toEqual([]);
    expect(violation.enforcementLevel).toBe("mandatory");
    expect(violation.urn).toBe(urnFor(resource(type, "target", {})));
    expect(violation.message).toContain(`${surface.label} 'target' launches from image ${IMAGES.belowHotfixRange}`);
    if (path !== "imageId") expect(violation.message).toContain(concretePath(path));
  });

  it("a fixed image is silent", async () => {
    expect(await main(IMAGES.fixed)).toEqual([]);
  });

  it("an undeclared custom image is an advisory of alinux-image-kernel-unknown, not a mandatory violation", async () => {
    expect(await main("m-bp1generatedcase")).toEqual([]);
    const analysed = await runResourcePolicies(
      surfaceResource(surface, property, "m-bp1generatedcase"),
      {},
      { context },
    );
    const advisories = analysed.violations.filter((v) => v.policyName === KERNEL_UNKNOWN_POLICY_NAME);
    expect(advisories.map((v) => v.enforcementLevel)).toEqual(["advisory"]);
    expect(advisories[0].message).toContain("m-bp1generatedcase");
  });

  it("an unknown image defers the verdict, naming the resource and the property", async () => {
    const [advisory, ...rest] = await main(UNKNOWN);
    expect(rest).toEqual([]);
    expect(advisory.enforcementLevel).toBe("advisory");
    expect(advisory.message).toMatch(
      /^can't run policy 'alinux2-overlayfs-dentry-leak' .* during preview: 1 verdict waits? for values unknown at preview/,
    );
    expect(advisory.message).toContain(`${surface.label} 'target' (${concretePath(path)})`);
  });
});

describe("image names (ESS imageName)", () => {
  const byName = LAUNCH_SURFACES.flatMap((s) =>
    s.imageProperties.filter((p) => p.names === "name").map((p) => [s.type, p.path] as const),
  );
  it.each(byName)(
    "%s %s: a public image's name is its ID and is judged; a custom name is reported as unreadable",
    async (type, path) => {
      const main = async (value: string) =>
        (await runStack([resource(type, "t", { [path]: value })], {}, { context })).violations.filter(
          (v) => v.policyName === OVERLAYFS_POLICY_NAME,
        );
      expect((await main(IMAGES.belowHotfixRange)).map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
      expect(await main("golden-web-v3")).toEqual([]);
      const analysed = await runResourcePolicies(resource(type, "t", { [path]: "golden-web-v3" }), {}, { context });
      const [unknown] = analysed.violations.filter((v) => v.policyName === KERNEL_UNKNOWN_POLICY_NAME);
      expect(unknown.message).toContain(`${path} cannot be read`);
      expect(unknown.message).not.toContain("golden-web-v3");
    },
  );
});

describe.each(LAUNCH_SURFACES.filter((s) => s.launchTemplate).map((s) => [s.type, s] as const))(
  "%s through its launch template",
  (_type, surface) => {
    const label = surface.launchTemplate?.source?.label ?? "launch template";
    const atTarget = async (imageId: unknown) => {
      const [template, target] = templateAndConsumer(surface, imageId);
      const { violations } = await runStack([template, target], {}, { context });
      return violations.filter((v) => v.policyName === OVERLAYFS_POLICY_NAME && v.urn === urnFor(target));
    };

    it(`an affected image on the ${label} is a mandatory violation at the resource, naming the ${label}`, async () => {
      const [violation, ...rest] = await atTarget(IMAGES.belowHotfixRange);
      expect(rest).toEqual([]);
      expect(violation.enforcementLevel).toBe("mandatory");
      expect(violation.message).toContain(
        `${surface.label} 'target' launches from image ${IMAGES.belowHotfixRange} (through ${label} 'tpl')`,
      );
    });

    it(`a fixed image on the ${label} is silent at the resource`, async () => {
      expect(await atTarget(IMAGES.fixed)).toEqual([]);
    });
  },
);
