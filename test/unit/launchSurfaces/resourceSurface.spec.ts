import { describe, expect, it } from "vitest";
import type { ResourceValidationArgs } from "@pulumi/policy";
import { resourceSurfaceImages } from "../../../policies/src/launchSurfaces/resourceSurface";
import { engineProps, UNKNOWN } from "../../support/policyRuntime";
import { LINGJUN_NODE_TYPES } from "../../support/stackFixtures";

class NotApplicable extends Error {}
const args = (type: string, props: Record<string, unknown>) =>
  ({
    type,
    name: "r",
    urn: `urn:pulumi:s::p::${type}::r`,
    props: engineProps(props),
    notApplicable: (reason?: string) => {
      throw new NotApplicable(reason);
    },
  }) as unknown as ResourceValidationArgs;

describe("resourceSurfaceImages", () => {
  it("gives the launch surface and its image", () => {
    const found = resourceSurfaceImages(args("alicloud:ecs/instance:Instance", { imageId: "img" }));
    expect(found?.surface.label).toBe("ECS instance");
    expect(found?.images).toEqual([{ kind: "image", imageId: "img", property: "imageId" }]);
  });

  it("gives the launch template a resource names when it sets no image, and nothing for one created in the same run", () => {
    expect(
      resourceSurfaceImages(args("alicloud:ess/scalingGroup:ScalingGroup", { launchTemplateId: "lt-1" }))?.template,
    ).toEqual({
      property: "launchTemplateId",
      reference: "lt-1",
      label: "launch template",
    });
    expect(
      resourceSurfaceImages(args("alicloud:ess/scalingGroup:ScalingGroup", { launchTemplateId: UNKNOWN }))?.template,
    ).toBeUndefined();
    expect(
      resourceSurfaceImages(args("alicloud:ecs/instance:Instance", { imageId: "img", launchTemplateId: "lt-1" }))
        ?.template,
    ).toBeUndefined();
  });

  it.each(LINGJUN_NODE_TYPES)(
    "%s: gives the node group it joins, named as a node group, and none without one",
    (type) => {
      const found = resourceSurfaceImages(args(type, { nodeGroupId: "ng-1", userData: "c2VjcmV0" }));
      expect(found?.template).toEqual({ property: "nodeGroupId", reference: "ng-1", label: "node group" });
      expect(found?.images).toEqual([]);
      const alone = resourceSurfaceImages(args(type, {}));
      expect(alone?.template).toBeUndefined();
      expect(alone?.images).toEqual([]);
    },
  );

  it("declares other types not applicable, naming the type", () => {
    expect(() => resourceSurfaceImages(args("alicloud:oss/bucket:Bucket", {}))).toThrow(
      /alicloud:oss\/bucket:Bucket does not launch/,
    );
  });

  it("lets the SDK's unknown-value error end the policy when the image is unknown", () => {
    expect(() => resourceSurfaceImages(args("alicloud:ecs/instance:Instance", { imageId: UNKNOWN }))).toThrow(
      "string value at .imageId can't be known during preview",
    );
  });
});
