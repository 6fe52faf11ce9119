// Images made inside the stack carry their source's kernel: at preview through property dependencies, after deploy
// through IDs; exemptions cover only what they name; a declared kernel of a source custom image flows to its copies.
import { describe, expect, it } from "vitest";
import { createPackContext } from "../../../policies/src/pack/packContext";
import { IMAGES, POLICY } from "../../support/contract";

const OVERLAYFS_POLICY_NAME = POLICY.overlayfs;
import { runStack, UNKNOWN, Violation } from "../../support/policyRuntime";
import { resource, urnFor } from "../../support/stackFixtures";

const T_IMAGE = "alicloud:ecs/image:Image";
const T_COPY = "alicloud:ecs/imageCopy:ImageCopy";
const T_SNAPSHOT = "alicloud:ecs/ecsSnapshot:EcsSnapshot";
const INSTANCE = "alicloud:ecs/instance:Instance";
const context = createPackContext({ today: () => "2026-11-27", declaredKernels: {} });
const main = (violations: Violation[]) => violations.filter((v) => v.policyName === OVERLAYFS_POLICY_NAME);
const check = async (resources: Parameters<typeof runStack>[0], config = {}) =>
  main((await runStack(resources, config, { context })).violations);

describe("image lineage at preview (property dependencies)", () => {
  const builder = resource(INSTANCE, "builder", { imageId: IMAGES.belowHotfixRange });
  const golden = resource(
    T_IMAGE,
    "golden",
    { instanceId: UNKNOWN, id: UNKNOWN },
    { propertyDependencies: { instanceId: [urnFor(builder)] } },
  );
  const app = resource(INSTANCE, "app", { imageId: UNKNOWN }, { propertyDependencies: { imageId: [urnFor(golden)] } });

  it("blocks the source instance and the instance launched from the image made from it, saying how the kernel is known", async () => {
    const violations = await check([builder, golden, app]);
    expect(violations.map((v) => [v.urn, v.enforcementLevel])).toEqual([
      [urnFor(builder), "mandatory"],
      [urnFor(app), "mandatory"],
    ]);
    expect(violations[1].message).toContain(
      `made in this stack from image ${IMAGES.belowHotfixRange} (image 'golden' of this stack, made from ECS instance 'builder'`,
    );
  });

  it("an exemption on the source covers the source only, never what is built from it", async () => {
    const exemptions = [
      { resource: "builder", reason: "build host, destroyed after the image is made", expires: "2999-01-01" },
    ];
    const violations = await check([builder, golden, app], { [OVERLAYFS_POLICY_NAME]: { exemptions } });
    expect(violations.map((v) => v.urn)).toEqual([urnFor(app)]);
  });

  it("follows copies, and snapshots whose disk comes from an instance of the stack", async () => {
    const copy = resource(
      T_COPY,
      "golden-eu",
      { sourceImageId: UNKNOWN },
      { propertyDependencies: { sourceImageId: [urnFor(golden)] } },
    );
    const snap = resource(
      T_SNAPSHOT,
      "snap",
      { diskId: UNKNOWN },
      { propertyDependencies: { diskId: [urnFor(builder)] } },
    );
    const fromSnap = resource(
      T_IMAGE,
      "from-snap",
      { snapshotId: UNKNOWN },
      { propertyDependencies: { snapshotId: [urnFor(snap)] } },
    );
    const a = resource(INSTANCE, "a", { imageId: UNKNOWN }, { propertyDependencies: { imageId: [urnFor(copy)] } });
    const b = resource(INSTANCE, "b", { imageId: UNKNOWN }, { propertyDependencies: { imageId: [urnFor(fromSnap)] } });
    const violations = await check([builder, golden, copy, snap, fromSnap, a, b]);
    expect(violations.map((v) => v.urn)).toEqual([urnFor(builder), urnFor(a), urnFor(b)]);
    expect(violations[1].message).toContain("image copy 'golden-eu' of this stack");
    expect(violations[2].message).toContain("snapshot 'snap' of ECS instance 'builder'");
  });

  it("an image made from an instance whose image is unknown defers, naming the chain", async () => {
    const pending = resource(INSTANCE, "pending", { imageId: UNKNOWN });
    const img = resource(
      T_IMAGE,
      "img",
      { instanceId: UNKNOWN },
      { propertyDependencies: { instanceId: [urnFor(pending)] } },
    );
    const child = resource(
      INSTANCE,
      "child",
      { imageId: UNKNOWN },
      { propertyDependencies: { imageId: [urnFor(img)] } },
    );
    const [advisory] = await check([pending, img, child]);
    expect(advisory.enforcementLevel).toBe("advisory");
    expect(advisory.message).toContain(
      "ECS instance 'child' (imageId (image 'img' is made from ECS instance 'pending', whose imageId is unknown))",
    );
  });

  it("an image of a fixed source is not blocked", async () => {
    const fixed = resource(INSTANCE, "fixed", { imageId: IMAGES.fixed });
    const img = resource(
      T_IMAGE,
      "img",
      { instanceId: UNKNOWN },
      { propertyDependencies: { instanceId: [urnFor(fixed)] } },
    );
    const child = resource(
      INSTANCE,
      "child",
      { imageId: UNKNOWN },
      { propertyDependencies: { imageId: [urnFor(img)] } },
    );
    expect(await check([fixed, img, child])).toEqual([]);
  });
});

describe("image lineage after deploy (IDs)", () => {
  it("links an instance's image ID to the ecs.Image of the stack, and that image to its instance by ID", async () => {
    const builder = resource(INSTANCE, "builder", { id: "i-builder", imageId: IMAGES.belowHotfixRange });
    const golden = resource(T_IMAGE, "golden", { id: "m-golden1", instanceId: "i-builder" });
    const app = resource(INSTANCE, "app", { id: "i-app", imageId: "m-golden1" });
    const violations = await check([builder, golden, app]);
    expect(violations.map((v) => v.urn)).toEqual([urnFor(builder), urnFor(app)]);
    expect(violations[1].message).toContain("launches from image m-golden1");
  });

  it("a declared kernel of a source custom image flows to its copies; a declaration on the copy wins", async () => {
    const copy = resource(T_COPY, "copy", { id: "m-copy1", sourceImageId: "m-external1" });
    const app = resource(INSTANCE, "app", { imageId: "m-copy1" });
    expect(await check([copy, app])).toEqual([]);
    const declared = { [OVERLAYFS_POLICY_NAME]: { imageKernels: { "m-external1": "4.19.91-18.al7.x86_64" } } };
    const [violation] = await check([copy, app], declared);
    expect(violation.urn).toBe(urnFor(app));
    expect(violation.message).toContain("declared in the policy pack config (imageKernels)");
    const both = {
      [OVERLAYFS_POLICY_NAME]: {
        imageKernels: { "m-external1": "4.19.91-18.al7.x86_64", "m-copy1": "4.19.91-27.al7.x86_64" },
      },
    };
    expect(await check([copy, app], both)).toEqual([]);
  });
});
