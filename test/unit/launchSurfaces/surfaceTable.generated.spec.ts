// Generated from the launch-surface table: for every surface and every image property it declares, an affected
// image is a mandatory violation, a fixed image is silent, an undeclared custom image is an advisory of
// alinux-image-kernel-unknown, and an unknown image defers the verdict naming the resource and the property.
// Adding a surface or an image property to launchSurfaces.ts adds its cases here.
import { describe, expect, it } from "vitest";
import { ImageProperty, LAUNCH_SURFACES } from "../../../policies/src/launchSurfaces/launchSurfaces";
import { createPackContext } from "../../../policies/src/pack/packContext";
import { KERNEL_UNKNOWN_POLICY_NAME } from "../../../policies/src/policies/alinuxImageKernelUnknown";
import { IMAGES, POLICY } from "../../support/contract";

const OVERLAYFS_POLICY_NAME = POLICY.overlayfs;
import { runResourcePolicies, runStack, UNKNOWN } from "../../support/policyRuntime";
import { resource, urnFor } from "../../support/stackFixtures";

const context = createPackContext({ today: () => "2026-11-27", declaredKernels: {} });

/** Props with `value` at a table path (`queues[].computeNodes[].imageId` → one element per list). */
function propsAt(path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split(".");
  const key = head.replace("[]", "");
  const inner = rest.length === 0 ? value : propsAt(rest.join("."), value);
  return { [key]: head.endsWith("[]") ? [inner] : inner };
}

/** The concrete path the pack names for the first element of every list. */
const concrete = (path: string) => path.replace(/\[\]/g, "[0]");

function propsFor(property: ImageProperty, value: unknown): Record<string, unknown> {
  const props = propsAt(property.path, value);
  if (property.idOnlyWhen) props[property.idOnlyWhen.property] = property.idOnlyWhen.value;
  // An upgrade image is judged besides the launch image: pin a fixed launch image so only the upgrade one speaks.
  if (property.role === "upgrade") props.imageId = IMAGES.fixed;
  return props;
}

const cases = LAUNCH_SURFACES.flatMap((surface) =>
  surface.imageProperties.filter((p) => p.names !== "name").map((property) => [surface.type, property.path, surface, property] as const),
);

describe.each(cases)("%s %s", (type, path, surface, property) => {
  const run = (value: unknown) => runStack([resource(type, "target", propsFor(property, value))], {}, { context });
  const main = async (value: unknown) => (await run(value)).violations.filter((v) => v.policyName === OVERLAYFS_POLICY_NAME);

  it("an affected image (no hotfix possible) is a mandatory violation at the resource, naming the image", async () => {
    // IMAGES.belowHotfixRange: older than the hotfix range, so no user data or invocation could mitigate it on any surface.
    const [violation, ...rest] = await main(IMAGES.belowHotfixRange);
    expect(rest).toEqual([]);
    expect(violation.enforcementLevel).toBe("mandatory");
    expect(violation.urn).toBe(urnFor(resource(type, "target", {})));
    expect(violation.message).toContain(`${surface.label} 'target' launches from image ${IMAGES.belowHotfixRange}`);
    if (path !== "imageId") expect(violation.message).toContain(concrete(path));
  });

  it("a fixed image is silent", async () => {
    expect(await main(IMAGES.fixed)).toEqual([]);
  });

  it("an undeclared custom image is an advisory of alinux-image-kernel-unknown, not a mandatory violation", async () => {
    expect(await main("m-bp1generatedcase")).toEqual([]);
    const analysed = await runResourcePolicies(resource(type, "target", propsFor(property, "m-bp1generatedcase")), {}, { context });
    const advisories = analysed.violations.filter((v) => v.policyName === KERNEL_UNKNOWN_POLICY_NAME);
    expect(advisories.map((v) => v.enforcementLevel)).toEqual(["advisory"]);
    expect(advisories[0].message).toContain("m-bp1generatedcase");
  });

  it("an unknown image defers the verdict, naming the resource and the property", async () => {
    const [advisory, ...rest] = await main(UNKNOWN);
    expect(rest).toEqual([]);
    expect(advisory.enforcementLevel).toBe("advisory");
    expect(advisory.message).toMatch(/^can't run policy 'alinux2-overlayfs-dentry-leak' .* during preview: 1 verdict waits? for values unknown at preview/);
    expect(advisory.message).toContain(`${surface.label} 'target' (${concrete(path)})`);
  });
});

describe("image names (ESS imageName)", () => {
  const byName = LAUNCH_SURFACES.flatMap((s) => s.imageProperties.filter((p) => p.names === "name").map((p) => [s.type, p.path] as const));
  it.each(byName)("%s %s: a public image's name is its ID and is judged; a custom name is reported as unreadable", async (type, path) => {
    const main = async (value: string) => (await runStack([resource(type, "t", { [path]: value })], {}, { context })).violations.filter((v) => v.policyName === OVERLAYFS_POLICY_NAME);
    expect((await main(IMAGES.belowHotfixRange)).map((v) => v.enforcementLevel)).toEqual(["mandatory"]);
    expect(await main("golden-web-v3")).toEqual([]);
    const analysed = await runResourcePolicies(resource(type, "t", { [path]: "golden-web-v3" }), {}, { context });
    const [unknown] = analysed.violations.filter((v) => v.policyName === KERNEL_UNKNOWN_POLICY_NAME);
    expect(unknown.message).toContain(`${path} cannot be read`);
    expect(unknown.message).not.toContain("golden-web-v3");
  });
});
