import { describe, expect, it } from "vitest";
import type { PolicyResource } from "@pulumi/policy";
import { StackGraph } from "../../../policies/src/launchSurfaces/stackGraph";
import { cloudAssistantCoverage } from "../../../policies/src/mitigations/cloudAssistantHotfix";
import { proxyTarget } from "../../../policies/src/runtime/propertyReader";
import { engineProps, UNKNOWN } from "../../support/policyRuntime";
import { base64, HOTFIX_SCRIPT, UNRELATED_SCRIPT } from "../../support/stackFixtures";

const PKG = "kernel-hotfix-4375449";
const res = (type: string, name: string, props: Record<string, unknown>, propertyDependencies: Record<string, PolicyResource[]> = {}): PolicyResource =>
  ({ type, name, urn: `urn:${name}`, props: engineProps(props), dependencies: [], propertyDependencies }) as unknown as PolicyResource;
const instance = (name: string, id?: string) => res("alicloud:ecs/instance:Instance", name, { imageId: "x", ...(id ? { id } : {}) });
const command = (name: string, script: string, extra: Record<string, unknown> = {}) =>
  res("alicloud:ecs/command:Command", name, { type: "RunShellScript", commandContent: base64(script), ...extra });
const invocation = (name: string, props: Record<string, unknown>, deps: Record<string, PolicyResource[]> = {}) =>
  res("alicloud:ecs/ecsInvocation:EcsInvocation", name, props, deps);

describe("cloudAssistantCoverage", () => {
  it("links targets and command through property dependencies during preview", () => {
    const a = instance("a");
    const cmd = command("fix", HOTFIX_SCRIPT);
    const inv = invocation("inv", { instanceIds: [UNKNOWN], commandId: UNKNOWN }, { instanceIds: [a], commandId: [cmd] });
    const coverage = cloudAssistantCoverage(new StackGraph([a, cmd, inv]), PKG);
    const covered = coverage.get(a.urn);
    expect(covered?.state).toBe("applies-hotfix");
    expect(covered?.invocation).toBe(inv);
  });

  it("links through cloud IDs after deploy", () => {
    const a = instance("a", "i-a");
    const b = instance("b", "i-b");
    const cmd = command("fix", HOTFIX_SCRIPT, { id: "c-1" });
    const inv = invocation("inv", { instanceIds: ["i-a"], commandId: "c-1" });
    const coverage = cloudAssistantCoverage(new StackGraph([a, b, cmd, inv]), PKG);
    expect(coverage.get(a.urn)?.state).toBe("applies-hotfix");
    expect(coverage.has(b.urn)).toBe(false);
  });

  it("is undetermined while the command content is unknown, and explains commands that do something else", () => {
    const a = instance("a");
    const b = instance("b");
    const pending = command("pending", "", { commandContent: UNKNOWN });
    const other = command("other", UNRELATED_SCRIPT);
    const coverage = cloudAssistantCoverage(
      new StackGraph([
        a,
        b,
        pending,
        other,
        invocation("i1", { instanceIds: [UNKNOWN], commandId: UNKNOWN }, { instanceIds: [a], commandId: [pending] }),
        invocation("i2", { instanceIds: [UNKNOWN], commandId: UNKNOWN }, { instanceIds: [b], commandId: [other] }),
      ]),
      PKG,
    );
    expect(coverage.get(a.urn)?.state).toBe("undetermined");
    const other2 = coverage.get(b.urn);
    expect(other2?.state).toBe("does-not-apply");
    if (other2?.state === "does-not-apply") expect(other2.why).toBe(`its command 'other' does not install ${PKG}`);
  });

  it("says when the command is not part of the stack", () => {
    const a = instance("a", "i-a");
    const coverage = cloudAssistantCoverage(new StackGraph([a, invocation("inv", { instanceIds: ["i-a"], commandId: "c-elsewhere" })]), PKG);
    const covered = coverage.get(a.urn);
    expect(covered?.state).toBe("does-not-apply");
    if (covered?.state === "does-not-apply") expect(covered.why).toMatch(/not part of this stack/);
  });

  it("keeps the best coverage when several invocations target one instance", () => {
    const a = instance("a", "i-a");
    const good = command("good", HOTFIX_SCRIPT, { id: "c-good" });
    const bad = command("bad", UNRELATED_SCRIPT, { id: "c-bad" });
    const stack = [a, good, bad, invocation("first", { instanceIds: ["i-a"], commandId: "c-good" }), invocation("second", { instanceIds: ["i-a"], commandId: "c-bad" })];
    expect(cloudAssistantCoverage(new StackGraph(stack), PKG).get(a.urn)?.state).toBe("applies-hotfix");
    expect(cloudAssistantCoverage(new StackGraph([...stack].reverse()), PKG).get(a.urn)?.state).toBe("applies-hotfix");
  });

  it("judges each command once however many invocations run it", () => {
    let reads = 0;
    const cmd = command("fix", HOTFIX_SCRIPT, { id: "c-1" });
    // Count reads on the object the SDK's proxy wraps, so reads through the proxy and past it both count.
    const data = proxyTarget(cmd.props) ?? cmd.props;
    const content = data.commandContent;
    Object.defineProperty(data, "commandContent", { get: () => (reads++, content) });
    const instances = Array.from({ length: 120 }, (_, i) => instance(`i${i}`, `i-${i}`));
    const invocations = [0, 1, 2].map((b) => invocation(`b${b}`, { instanceIds: instances.slice(b * 50, b * 50 + 50).map((_, i) => `i-${b * 50 + i}`), commandId: "c-1" }));
    const coverage = cloudAssistantCoverage(new StackGraph([...instances, cmd, ...invocations]), PKG);
    expect([...coverage.values()].filter((c) => c.state === "applies-hotfix")).toHaveLength(120);
    expect(reads).toBe(1);
  });
});
