import { describe, expect, it } from "vitest";
import type { ResourceValidationArgs } from "@pulumi/policy";
import { resourceSurfaceImage } from "../../../policies/src/launchSurfaces/resourceSurface";
import { engineProps, UNKNOWN } from "../../support/policyRuntime";

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

describe("resourceSurfaceImage", () => {
  it("gives the launch surface and its image", () => {
    const found = resourceSurfaceImage(args("alicloud:ecs/instance:Instance", { imageId: "img" }));
    expect(found?.surface.label).toBe("ECS instance");
    expect(found?.image).toEqual({ kind: "image", imageId: "img", property: "imageId" });
  });

  it("declares other types not applicable, naming the type", () => {
    expect(() => resourceSurfaceImage(args("alicloud:oss/bucket:Bucket", {}))).toThrow(/alicloud:oss\/bucket:Bucket does not launch/);
  });

  it("lets the SDK's unknown-value error end the policy when the image is unknown", () => {
    expect(() => resourceSurfaceImage(args("alicloud:ecs/instance:Instance", { imageId: UNKNOWN }))).toThrow("string value at .imageId can't be known during preview");
  });
});
