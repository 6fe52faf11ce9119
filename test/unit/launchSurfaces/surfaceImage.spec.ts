import { describe, expect, it } from "vitest";
import type { PolicyResource } from "@pulumi/policy";
import { launchSurfaceOf } from "../../../policies/src/launchSurfaces/launchSurfaces";
import { StackGraph } from "../../../policies/src/launchSurfaces/stackGraph";
import { findTemplate, surfaceImagesOf } from "../../../policies/src/launchSurfaces/surfaceImage";
import { engineProps, UNKNOWN } from "../../support/policyRuntime";
import { LINGJUN_NODE_TYPES, T } from "../../support/stackFixtures";

const res = (
  type: string,
  name: string,
  props: Record<string, unknown>,
  propertyDependencies: Record<string, PolicyResource[]> = {},
): PolicyResource =>
  ({
    type,
    name,
    urn: `urn:pulumi:s::p::${type}::${name}`,
    props: engineProps(props),
    dependencies: [],
    propertyDependencies,
  }) as unknown as PolicyResource;
const INSTANCE = "alicloud:ecs/instance:Instance";
const TEMPLATE = "alicloud:ecs/ecsLaunchTemplate:EcsLaunchTemplate";
const imagesOf = (r: PolicyResource, graph?: StackGraph) => surfaceImagesOf(r, launchSurfaceOf(r.type)!, graph);
/** The first image, or `{kind: "none"}` when the resource names none. */
const imageOf = (r: PolicyResource, graph?: StackGraph) => imagesOf(r, graph)[0] ?? { kind: "none" };
const SC = "alicloud:ess/scalingConfiguration:ScalingConfiguration";
const NODE_GROUP = T.nodeGroup;

describe("surfaceImagesOf", () => {
  it("takes the resource's own image", () => {
    expect(imageOf(res(INSTANCE, "a", { imageId: "img-1" }))).toEqual({
      kind: "image",
      imageId: "img-1",
      property: "imageId",
    });
    const sc = res(SC, "sc", { imageName: "aliyun_2_1903_x64_20G_alibase_20210120.vhd" });
    expect(imageOf(sc)).toMatchObject({
      kind: "image",
      imageId: "aliyun_2_1903_x64_20G_alibase_20210120.vhd",
      property: "imageName",
    });
  });

  it("reads a custom image's name as unreadable (a name says nothing about the kernel), and [secret] as unreadable", () => {
    expect(imageOf(res(SC, "sc", { imageName: "golden-web-v3" }))).toMatchObject({
      kind: "unreadable",
      property: "imageName",
    });
    expect(imageOf(res(INSTANCE, "a", { imageId: "[secret]" }))).toMatchObject({
      kind: "unreadable",
      why: expect.stringContaining("[secret]"),
    });
  });

  it("reads every element of nested image paths, naming each by its concrete path", () => {
    const cluster = res("alicloud:ehpc/clusterV2:ClusterV2", "hpc", {
      manager: { managerNode: { imageId: "img-m" } },
      queues: [
        { computeNodes: [{ imageId: "img-a" }, { imageId: UNKNOWN }] },
        { computeNodes: [] },
        { computeNodes: UNKNOWN },
      ],
    });
    expect(imagesOf(cluster).map((i) => [i.kind, i.property])).toEqual([
      ["image", "manager.managerNode.imageId"],
      ["image", "queues[0].computeNodes[0].imageId"],
      ["unknown", "queues[0].computeNodes[1].imageId"],
      ["unknown", "queues[2].computeNodes"],
    ]);
  });

  it("checks an ACK upgrade image besides the pool's own, and keeps the OS-family fallback for the launch image", () => {
    const pool = res("alicloud:cs/nodePool:NodePool", "np", {
      imageType: "AliyunLinux",
      upgradePolicy: { imageId: "img-u" },
    });
    expect(imagesOf(pool).map((i) => i.kind)).toEqual(["image", "os-family"]);
  });

  it("reads a pipeline's base image as an ID only when baseImageType is IMAGE", () => {
    const pipeline = (baseImageType: unknown) =>
      res("alicloud:ecs/ecsImagePipeline:EcsImagePipeline", "p", { baseImage: "img-b", baseImageType });
    expect(imageOf(pipeline("IMAGE"))).toMatchObject({ kind: "image", imageId: "img-b" });
    expect(imageOf(pipeline("IMAGE_FAMILY"))).toMatchObject({
      kind: "unreadable",
      why: expect.stringContaining("image family"),
    });
    expect(imageOf(pipeline(UNKNOWN))).toMatchObject({ kind: "unknown", property: "baseImageType" });
  });

  it("reports an unknown image as unknown, carrying the SDK's error", () => {
    const image = imageOf(res(INSTANCE, "a", { imageId: UNKNOWN }));
    expect(image.kind).toBe("unknown");
    if (image.kind === "unknown")
      expect(image.error.message).toBe("string value at .imageId can't be known during preview");
  });

  it("reads the OS family of ACK resources when no image is pinned", () => {
    expect(imageOf(res("alicloud:cs/nodePool:NodePool", "np", { imageType: "AliyunLinuxUEFI" }))).toEqual({
      kind: "os-family",
      property: "imageType",
      value: "AliyunLinuxUEFI",
      alinux2: true,
    });
    expect(imageOf(res("alicloud:cs/nodePool:NodePool", "np", { imageType: "Ubuntu" }))).toMatchObject({
      alinux2: false,
    });
    expect(imageOf(res("alicloud:cs/nodePool:NodePool", "np", {}))).toEqual({ kind: "none" });
  });

  it("follows a launch template of the stack, and names one outside it", () => {
    const template = res(TEMPLATE, "tpl", { id: "lt-1", imageId: "img-t" });
    const graph = new StackGraph([template]);
    const viaDeps = res(INSTANCE, "a", { launchTemplateId: UNKNOWN }, { launchTemplateId: [template] });
    expect(imageOf(viaDeps, graph)).toMatchObject({ kind: "image", imageId: "img-t", template });
    expect(imageOf(res(INSTANCE, "b", { launchTemplateId: "lt-1" }), graph)).toMatchObject({ kind: "image", template });
    expect(imageOf(res(INSTANCE, "c", { launchTemplateId: "lt-elsewhere" }), graph)).toEqual({
      kind: "template-outside-stack",
      property: "launchTemplateId",
      reference: "lt-elsewhere",
      label: "launch template",
    });
    expect(imageOf(res(INSTANCE, "d", { launchTemplateId: UNKNOWN }), graph).kind).toBe("unknown");
  });

  it.each(LINGJUN_NODE_TYPES)(
    "%s takes its image from its node group (by dependency at preview, by nodeGroupId after deploy), never from a launch template",
    (NODE) => {
      const group = res(NODE_GROUP, "gpu", { id: "c-1:ng-1", nodeGroupId: "ng-1", imageId: "img-g" });
      const template = res(TEMPLATE, "tpl", { id: "ng-2", imageId: "img-t" });
      const graph = new StackGraph([group, template]);
      const viaDeps = res(NODE, "n1", { nodeGroupId: UNKNOWN }, { nodeGroupId: [group] });
      expect(imageOf(viaDeps, graph)).toMatchObject({
        kind: "image",
        imageId: "img-g",
        template: group,
        templateLabel: "node group",
      });
      expect(imageOf(res(NODE, "n2", { nodeGroupId: "ng-1" }), graph)).toMatchObject({
        kind: "image",
        imageId: "img-g",
        template: group,
      });
      // A launch template with that ID is not a node group: the group is outside the stack.
      expect(imageOf(res(NODE, "n4", { nodeGroupId: "ng-2" }), graph)).toMatchObject({
        kind: "template-outside-stack",
        reference: "ng-2",
        label: "node group",
      });
      expect(imageOf(res(NODE, "n5", { nodeGroupId: UNKNOWN }, { nodeGroupId: [template] }), graph).kind).toBe(
        "unknown",
      );
      const pending = res(NODE_GROUP, "later", { imageId: UNKNOWN });
      const waiting = imageOf(
        res(NODE, "n6", { nodeGroupId: UNKNOWN }, { nodeGroupId: [pending] }),
        new StackGraph([pending]),
      );
      expect(waiting).toMatchObject({ kind: "unknown", property: "node group 'later' imageId" });
      // Naming no node group, it has no image the pack can see.
      expect(imagesOf(res(NODE, "n7", {}), graph)).toEqual([]);
    },
  );

  it("treats an unknown image on the template as unknown for the consumer", () => {
    const template = res(TEMPLATE, "tpl", { imageId: UNKNOWN });
    const graph = new StackGraph([template]);
    expect(
      imageOf(res(INSTANCE, "a", { launchTemplateId: UNKNOWN }, { launchTemplateId: [template] }), graph).kind,
    ).toBe("unknown");
  });

  it("does not follow templates without a stack graph (resource policies judge the template itself)", () => {
    const template = res(TEMPLATE, "tpl", { imageId: "img-t" });
    expect(imageOf(res(INSTANCE, "a", { launchTemplateId: UNKNOWN }, { launchTemplateId: [template] }))).toEqual({
      kind: "none",
    });
    expect(imageOf(res("alicloud:ess/scalingGroup:ScalingGroup", "asg", { launchTemplateId: UNKNOWN }))).toEqual({
      kind: "none",
    });
  });

  it("ignores property dependencies that are not launch templates", () => {
    const vpc = res("alicloud:vpc/network:Network", "vpc", {});
    expect(
      findTemplate(res(INSTANCE, "a", {}, { launchTemplateId: [vpc] }), { idProperty: "launchTemplateId" }, undefined),
    ).toBeUndefined();
  });
});
