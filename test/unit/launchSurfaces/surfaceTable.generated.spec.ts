// Generated from the launch-surface table: for every surface and every image property it declares, an affected
// image is a mandatory violation, a fixed image is silent, an undeclared custom image is an advisory of
// alinux-image-kernel-unknown, and an unknown image defers the verdict naming the resource and the property; for every
// surface that can take its image from a launch template (or another surface: `launchTemplate.source`), an affected
// image there is a mandatory violation at the resource naming where it came from; a `source` is also followed by its
// `idOutput` after deploy (one outside the stack is reported by alinux-image-kernel-unknown), and its user data never
// mitigates the resource while the resource's own does.
// Adding a surface or an image property to launchSurfaces.ts adds its cases here.
import { describe, expect, it } from "vitest";
import { LAUNCH_SURFACES } from "../../../policies/src/launchSurfaces/launchSurfaces";
import { createPackContext } from "../../../policies/src/pack/packContext";
import { IMAGES, POLICY } from "../../support/contract";
import { runResourcePolicies, runStack, UNKNOWN } from "../../support/policyRuntime";
import {
  base64,
  concretePath,
  HOTFIX_SCRIPT,
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

describe.each(LAUNCH_SURFACES.filter((s) => s.launchTemplate?.source).map((s) => [s.type, s] as const))(
  "%s linked to its source by ID after deploy",
  (_type, surface) => {
    const ref = surface.launchTemplate!;
    const source = ref.source!;
    // After deploy no property dependencies link them: the resource names the source by its `idOutput`, which is not
    // its `id` (a node group's id is `<cluster_id>:<node_group_id>`).
    const deployed = (imageId: string, named: string) => [
      resource(source.type, "tpl", { id: "c-1:ng-1", [source.idOutput]: "ng-1", imageId }),
      resource(surface.type, "target", { id: "e01-target", [ref.idProperty]: named }),
    ];
    const atTarget = async (imageId: string, named = "ng-1") => {
      const resources = deployed(imageId, named);
      const { violations } = await runStack(resources, {}, { context });
      return violations.filter((v) => v.policyName === OVERLAYFS_POLICY_NAME && v.urn === urnFor(resources[1]));
    };

    it(`an affected image on the ${source.label} it names by ${source.idOutput} is a mandatory violation at the resource`, async () => {
      const [violation, ...rest] = await atTarget(IMAGES.belowHotfixRange);
      expect(rest).toEqual([]);
      expect(violation.enforcementLevel).toBe("mandatory");
      expect(violation.message).toContain(`(through ${source.label} 'tpl')`);
      expect(await atTarget(IMAGES.fixed)).toEqual([]);
    });

    it(`a ${source.label} it names that is not in the stack is reported by alinux-image-kernel-unknown, not judged`, async () => {
      expect(await atTarget(IMAGES.belowHotfixRange, "ng-elsewhere")).toEqual([]);
      const [, target] = deployed(IMAGES.belowHotfixRange, "ng-elsewhere");
      const analysed = await runResourcePolicies(target, {}, { context });
      const [unknown, ...more] = analysed.violations.filter((v) => v.policyName === KERNEL_UNKNOWN_POLICY_NAME);
      expect(more).toEqual([]);
      expect(unknown.message).toContain(
        `${surface.label} 'target' takes its image from ${source.label} ng-elsewhere (${ref.idProperty})`,
      );
    });
  },
);

describe.each(
  LAUNCH_SURFACES.filter((s) => s.launchTemplate?.source && s.userDataProperties.length > 0).map(
    (s) => [s.type, s] as const,
  ),
)("%s user data, its source's never", (_type, surface) => {
  const label = surface.launchTemplate?.source?.label;
  const [userData] = surface.userDataProperties;
  const atTarget = async (sourceUserData: string | undefined, ownUserData: string | undefined) => {
    const [source, target] = templateAndConsumer(surface, IMAGES.affectedHotfixable);
    if (sourceUserData) (source.props as Record<string, unknown>).userData = sourceUserData;
    if (ownUserData) (target.props as Record<string, unknown>)[userData] = ownUserData;
    const { violations } = await runStack([source, target], {}, { context });
    return violations.filter((v) => v.policyName === OVERLAYFS_POLICY_NAME && v.urn === urnFor(target));
  };

  it(`hotfix user data on the ${label} does not mitigate the resource (not known to run on it): mandatory`, async () => {
    const [violation, ...rest] = await atTarget(base64(HOTFIX_SCRIPT), undefined);
    expect(rest).toEqual([]);
    expect(violation.enforcementLevel).toBe("mandatory");
  });

  it(`its own ${userData} installing the hotfix mitigates it`, async () => {
    expect(await atTarget(base64(HOTFIX_SCRIPT), base64(HOTFIX_SCRIPT))).toEqual([]);
    expect(await atTarget(undefined, base64(HOTFIX_SCRIPT))).toEqual([]);
  });
});
