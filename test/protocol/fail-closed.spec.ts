// Issue #10 through the spawned pack and the engine-faithful harness: unknown mitigations block by default and defer
// on request; the deferral names every resource and property; bad kernels and modes are refused as the engine does.
import { describe, expect, it } from "vitest";
import { secret, unknown } from "../../tools/engine/sentinels";
import { IMAGES, POLICY } from "../support/contract";
import { launchSurfaceOf } from "../../policies/src/launchSurfaces/launchSurfaces";
import { LINGJUN_NODE_TYPES, previewInstance, resource, T } from "../support/stackFixtures";
import { byPolicy, isCantRunAdvisory, usePackPerSpecFile } from "./packSession";

// Bad kernels and unknownMitigations values, as the engine refuses them: config-errors.harness.spec.ts.
const pack = usePackPerSpecFile();

const webWithUnknownUserData = () => previewInstance("web", IMAGES.affectedHotfixable, { userData: unknown() });

describe("unknownMitigations", () => {
  it("block (the default): an affected instance whose user data is unknown at preview is a mandatory violation naming the property", async () => {
    const d = byPolicy(await pack().analyzeStack([webWithUnknownUserData()]), POLICY.overlayfs);
    expect(d.map((x) => x.enforcementLevel)).toEqual(["mandatory"]);
    expect(d[0].urn).toMatch(/::web$/);
    expect(d[0].message).toContain("Not a mitigation: userData of ECS instance 'web' is not known at preview");
  });

  it("block also holds for secret user data built from outputs, and never echoes a value", async () => {
    const r = await pack().analyzeStack([
      previewInstance("web", IMAGES.affectedHotfixable, { userData: secret(unknown()) }),
      previewInstance("ok", IMAGES.affectedHotfixable, { userData: secret("echo TOPSECRET-4711") }),
    ]);
    expect(byPolicy(r, POLICY.overlayfs).map((x) => x.enforcementLevel)).toEqual(["mandatory", "mandatory"]);
    expect(JSON.stringify(r)).not.toContain("TOPSECRET-4711");
  });

  it("defer: the verdict is left to the check after deployment, as the engine's advisory naming resource and property", async () => {
    await pack().configure({ [POLICY.overlayfs]: { unknownMitigations: "defer" } });
    const d = byPolicy(await pack().analyzeStack([webWithUnknownUserData()]), POLICY.overlayfs);
    expect(d).toHaveLength(1);
    expect(isCantRunAdvisory(d[0], POLICY.overlayfs)).toBe(true);
    expect(d[0].message).toContain("1 verdict waits for values unknown at preview: ECS instance 'web' (userData).");
  });

  it("an unknown image still defers, and the one advisory names every resource and property that kept a verdict open", async () => {
    const r = await pack().analyzeStack([
      previewInstance("a", unknown()),
      resource(T.scalingConfiguration, "sc", { imageId: unknown() }),
      resource("alicloud:ehpc/clusterV2:ClusterV2", "hpc", { queues: [{ computeNodes: [{ imageId: unknown() }] }] }),
      previewInstance("blocked", IMAGES.affectedHotfixable),
    ]);
    const d = byPolicy(r, POLICY.overlayfs);
    expect(d.filter((x) => x.enforcementLevel === "mandatory").map((x) => x.urn.split("::").pop())).toEqual([
      "blocked",
    ]);
    const [advisory] = d.filter((x) => x.enforcementLevel === "advisory");
    expect(isCantRunAdvisory(advisory, POLICY.overlayfs)).toBe(true);
    expect(advisory.message).toContain(
      "3 verdicts wait for values unknown at preview: ECS instance 'a' (imageId), scaling configuration 'sc' (imageId), E-HPC cluster 'hpc' (queues[0].computeNodes[0].imageId).",
    );
  });
});

describe("surfaces no policy reported before: a named advisory, never silence", () => {
  it("alinux-image-kernel-unknown reports [secret], a custom imageName, and a named launch template, without echoing values", async () => {
    const secretImage = byPolicy(
      await pack().analyze(resource(T.instance, "audited", { imageId: "[secret]" })),
      POLICY.kernelUnknown,
    );
    expect(secretImage.map((d) => d.enforcementLevel)).toEqual(["advisory"]);
    expect(secretImage[0].message).toContain("imageId cannot be read: it is an undecryptable secret");
    const byName = byPolicy(
      await pack().analyze(resource(T.scalingConfiguration, "sc", { imageName: "golden-web-v3" })),
      POLICY.kernelUnknown,
    );
    expect(byName[0].message).toContain("imageName cannot be read");
    expect(byName[0].message).not.toContain("golden-web-v3");
    const viaTemplate = byPolicy(
      await pack().analyze(resource(T.scalingGroup, "asg", { launchTemplateId: "lt-elsewhere" })),
      POLICY.kernelUnknown,
    );
    expect(viaTemplate[0].message).toContain("takes its image from launch template lt-elsewhere (launchTemplateId)");
  });

  it.each(LINGJUN_NODE_TYPES)(
    "alinux-image-kernel-unknown reports a %s whose node group is outside the stack, without echoing its user data",
    async (type) => {
      const node = resource(type, "node", { nodeGroupId: "ng-elsewhere", userData: "c2VjcmV0" });
      const [viaGroup, ...more] = byPolicy(await pack().analyze(node), POLICY.kernelUnknown);
      expect(more).toEqual([]);
      expect(viaGroup.message).toContain(
        `${launchSurfaceOf(type)?.label} 'node' takes its image from node group ng-elsewhere (nodeGroupId)`,
      );
      expect(viaGroup.message).toContain("Manage the node group in this stack");
      expect(viaGroup.message).not.toContain("c2VjcmV0");
    },
  );

  it("the new surfaces are judged by the main policy: an affected E-HPC queue, RDS Custom instance and image pipeline are mandatory", async () => {
    const r = await pack().analyzeStack([
      resource("alicloud:ehpc/queue:Queue", "q", { computeNodes: [{ imageId: IMAGES.affected2019 }] }),
      resource("alicloud:rds/custom:Custom", "db", { imageId: IMAGES.affected2019 }),
      resource("alicloud:ecs/ecsImagePipeline:EcsImagePipeline", "pipe", {
        baseImage: IMAGES.affected2019,
        baseImageType: "IMAGE",
      }),
    ]);
    expect(byPolicy(r, POLICY.overlayfs).map((d) => [d.urn.split("::").pop(), d.enforcementLevel])).toEqual([
      ["q", "mandatory"],
      ["db", "mandatory"],
      ["pipe", "mandatory"],
    ]);
  });
});
