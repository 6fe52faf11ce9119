import { describe, expect, it } from "vitest";
import type { PolicyResource } from "@pulumi/policy";
import { StackGraph } from "../../../policies/src/launchSurfaces/stackGraph";
import { engineProps, UNKNOWN } from "../../support/policyRuntime";
import { T } from "../../support/stackFixtures";

const res = (type: string, name: string, props: Record<string, unknown>): PolicyResource =>
  ({
    type,
    name,
    urn: `urn:pulumi:s::p::${type}::${name}`,
    props: engineProps(props),
    dependencies: [],
    propertyDependencies: {},
  }) as unknown as PolicyResource;

describe("StackGraph", () => {
  const instance = res("alicloud:ecs/instance:Instance", "web", { id: "i-1", imageId: "x" });
  const pending = res("alicloud:ecs/instance:Instance", "pending", { id: UNKNOWN, imageId: "x" });
  const set = res("alicloud:ecs/ecsInstanceSet:EcsInstanceSet", "fleet", {
    imageId: "x",
    instanceIds: ["i-2", UNKNOWN, "i-3"],
  });
  const template = res("alicloud:ecs/ecsLaunchTemplate:EcsLaunchTemplate", "tpl", {
    id: "lt-1",
    launchTemplateName: "named",
  });
  const legacy = res("alicloud:ecs/launchTemplate:LaunchTemplate", "old", { name: "legacy" });
  const command = res("alicloud:ecs/command:Command", "cmd", { id: "c-1" });
  const invocation = res("alicloud:ecs/ecsInvocation:EcsInvocation", "inv", {});
  const bucket = res("alicloud:oss/bucket:Bucket", "b", { id: "i-1-bucket" });
  const nodeGroup = res(T.nodeGroup, "gpu", {
    id: "c-1:ng-1",
    nodeGroupId: "ng-1",
    imageId: "x",
  });
  // Lingjun nodes after their group, naming it by the same nodeGroupId output: they must not be taken for the group.
  const node = res(T.node, "n", { id: "e01-cn-n1", nodeGroupId: "ng-1" });
  const hyperNode = res(T.hyperNode, "h", { id: "e01-cn-h1", nodeGroupId: "ng-1" });
  const graph = new StackGraph([
    instance,
    pending,
    set,
    template,
    legacy,
    command,
    invocation,
    bucket,
    nodeGroup,
    node,
    hyperNode,
  ]);

  it("sorts resources into launch surfaces, commands and invocations, ignoring the rest", () => {
    expect(graph.surfaces.map((s) => s.resource.name)).toEqual([
      "web",
      "pending",
      "fleet",
      "tpl",
      "old",
      "gpu",
      "n",
      "h",
    ]);
    expect(graph.commands.map((r) => r.name)).toEqual(["cmd"]);
    expect(graph.invocations.map((r) => r.name)).toEqual(["inv"]);
  });

  it("indexes known cloud IDs, instance set members, node group IDs, and skips unknown ones", () => {
    expect(graph.byId("i-1")).toBe(instance);
    expect(graph.byId("i-2")).toBe(set);
    expect(graph.byId("i-3")).toBe(set);
    expect(graph.byId("lt-1")).toBe(template);
    expect(graph.byId("c-1")).toBe(command);
    // A node group by the output Lingjun nodes name it by (launchTemplate.source.idOutput), and by its composite id.
    expect(graph.byId("ng-1")).toBe(nodeGroup);
    expect(graph.byId("c-1:ng-1")).toBe(nodeGroup);
    // A node's nodeGroupId names its group, not the node; the node is indexed by its own id.
    expect(graph.byId("e01-cn-n1")).toBe(node);
    expect(graph.byId("e01-cn-h1")).toBe(hyperNode);
    expect(graph.byId(UNKNOWN)).toBeUndefined();
    expect(graph.byId("i-1-bucket")).toBeUndefined();
  });

  it("indexes launch templates by launchTemplateName and by the legacy name", () => {
    expect(graph.launchTemplateNamed("named")).toBe(template);
    expect(graph.launchTemplateNamed("legacy")).toBe(legacy);
    expect(graph.launchTemplateNamed("web")).toBeUndefined();
  });
});
