// Generated from the launch-surface table and the advisory rows: every policy of the pack on every surface, through
// the spawned pack as the engine drives it. Each advisory row's stack policy reports a surface whose image has the
// row's last affected kernel, at the row's level and severity and at the surface's own URN, and passes the row's
// first fixed kernel; surfaces that take their image from a launch template (or a node group) are judged by its image;
// alinux-image-kernel-unknown and alinux2-end-of-life answer Analyze for every surface. Adding a surface, an image
// property or an advisory row adds its cases here (the branches behind them: test/unit/launchSurfaces/).
import { describe, expect, it } from "vitest";
import { LAUNCH_SURFACES } from "../../policies/src/launchSurfaces/launchSurfaces";
import { ADVISORY_ROWS, IMAGES, POLICY, rangeEdgeImages } from "../support/contract";
import {
  concretePath,
  imageIdProperties,
  resource,
  surfaceResource,
  templateAndConsumer,
} from "../support/stackFixtures";
import { byPolicy, usePackPerSpecFile } from "./packSession";

const pack = usePackPerSpecFile();

const surfaceProperties = imageIdProperties(LAUNCH_SURFACES);
const withTemplates = LAUNCH_SURFACES.filter((s) => s.launchTemplate).map((s) => [s.type, s] as const);
const byName = LAUNCH_SURFACES.flatMap((s) =>
  s.imageProperties.filter((p) => p.names === "name").map((p) => [s.type, p.path] as const),
);

describe.each(ADVISORY_ROWS.map((row) => [row.policy.name, row, rangeEdgeImages(row)] as const))(
  "%s",
  (policyName, row, edges) => {
    const found = async (...stack: Parameters<ReturnType<typeof pack>["analyzeStack"]>[0]) =>
      byPolicy(await pack().analyzeStack(stack), policyName).filter((d) => !d.message.startsWith("can't run"));

    describe.each(surfaceProperties)("%s %s", (_type, path, surface, property) => {
      const { enforcementLevel, severity } = row.policy;
      it(`kernel ${row.affectedThrough} (last affected): ${enforcementLevel}, ${severity}, at the resource, naming the image`, async () => {
        const target = surfaceResource(surface, property, edges.lastAffected);
        const [d, ...rest] = await found(target);
        expect(rest).toEqual([]);
        expect(d).toMatchObject({
          urn: pack().urnOf(target),
          enforcementLevel,
          severity,
          policyPackName: "alinux-guard",
        });
        expect(d.message).toContain(`${surface.label} 'target' launches from image ${edges.lastAffected}`);
        expect(d.message).toContain(`kernel ${row.affectedThrough}`);
        if (path !== "imageId") expect(d.message).toContain(concretePath(path));
      });

      it(`kernel ${row.firstFixedKernel} (first fixed): not reported`, async () => {
        expect(await found(surfaceResource(surface, property, edges.firstFixed))).toEqual([]);
      });
    });

    it.each(byName)("%s %s: a public image's name is its ID and is judged", async (type, path) => {
      const target = resource(type, "target", { [path]: edges.lastAffected });
      expect((await found(target)).map((d) => [d.urn, d.enforcementLevel])).toEqual([
        [pack().urnOf(target), row.policy.enforcementLevel],
      ]);
    });

    it.each(withTemplates)(
      "%s: an image taken from a launch template (or node group) of the stack is judged at the resource",
      async (type, surface) => {
        const [template, target] = templateAndConsumer(surface, edges.lastAffected);
        const source = surface.launchTemplate?.source;
        const atTarget = (await found(template, target)).filter((d) => d.urn === pack().urnOf(target));
        expect(atTarget.map((d) => d.enforcementLevel)).toEqual([row.policy.enforcementLevel]);
        expect(atTarget[0].message).toContain(
          `${edges.lastAffected} (through ${source?.label ?? "launch template"} 'tpl')`,
        );
      },
    );
  },
);

describe.each(surfaceProperties)("resource policies on %s %s (Analyze)", (_type, _path, surface, property) => {
  it(`${POLICY.kernelUnknown}: an undeclared custom image is an advisory naming it`, async () => {
    const d = byPolicy(await pack().analyze(surfaceResource(surface, property, IMAGES.custom)), POLICY.kernelUnknown);
    expect(d.map((x) => x.enforcementLevel)).toEqual(["advisory"]);
    expect(d[0].message).toContain(IMAGES.custom);
  });

  it(`${POLICY.endOfLife}: an Alibaba Cloud Linux 2 image, even one past the OverlayFS leak, is an advisory naming it`, async () => {
    // (An upgrade image has a launch image beside it, which is reported on its own.)
    const d = byPolicy(
      await pack().analyze(surfaceResource(surface, property, IMAGES.overlayfsFixedOnly)),
      POLICY.endOfLife,
    );
    expect(d.filter((x) => x.message.includes(IMAGES.overlayfsFixedOnly)).map((x) => x.enforcementLevel)).toEqual([
      "advisory",
    ]);
  });
});
