import { describe, expect, it } from "vitest";
import type { PolicyResource } from "@pulumi/policy";
import { StackGraph } from "../../../policies/src/launchSurfaces/stackGraph";
import { cloudAssistantCoverage } from "../../../policies/src/mitigations/cloudAssistantHotfix";
import { engineProps, UNKNOWN } from "../../support/policyRuntime";
import { base64, HOTFIX_SCRIPT, UNRELATED_SCRIPT } from "../../support/stackFixtures";

const res = (
  type: string,
  name: string,
  props: Record<string, unknown>,
  propertyDependencies: Record<string, PolicyResource[]> = {},
): PolicyResource =>
  ({
    type,
    name,
    urn: `urn:${name}`,
    props: engineProps(props),
    dependencies: [],
    propertyDependencies,
  }) as unknown as PolicyResource;
const instance = (name: string, id?: string) =>
  res("alicloud:ecs/instance:Instance", name, { imageId: "x", ...(id ? { id } : {}) });
const command = (name: string, script: string, extra: Record<string, unknown> = {}) =>
  res("alicloud:ecs/command:Command", name, { type: "RunShellScript", commandContent: base64(script), ...extra });
const invocation = (name: string, props: Record<string, unknown>, deps: Record<string, PolicyResource[]> = {}) =>
  res("alicloud:ecs/ecsInvocation:EcsInvocation", name, props, deps);
const installs = (reading: { state: string; effects?: readonly { kind: string }[] }) =>
  reading.state === "runs" && reading.effects!.some((e) => e.kind === "install");

describe("cloudAssistantCoverage", () => {
  it("links targets and command through property dependencies during preview", async () => {
    const a = instance("a");
    const cmd = command("fix", HOTFIX_SCRIPT);
    const inv = invocation(
      "inv",
      { instanceIds: [UNKNOWN], commandId: UNKNOWN },
      { instanceIds: [a], commandId: [cmd] },
    );
    const covered = (await cloudAssistantCoverage(new StackGraph([a, cmd, inv]))).get(a.urn)!;
    expect(covered.runs.map((r) => [r.invocation, r.command, r.run])).toEqual([
      [inv, cmd, { asRoot: true, exit194Reboots: true }],
    ]);
    expect(installs(covered.runs[0].reading)).toBe(true);
  });

  it("links through cloud IDs after deploy, and an instance set only through the members it names", async () => {
    const a = instance("a", "i-a");
    const set = res("alicloud:ecs/ecsInstanceSet:EcsInstanceSet", "set", {
      imageId: "x",
      id: "set-1",
      instanceIds: ["i-1", "i-2"],
    });
    const cmd = command("fix", HOTFIX_SCRIPT, { id: "c-1" });
    const inv = invocation("inv", { instanceIds: ["i-a", "i-1"], commandId: "c-1", status: "Success" });
    const coverage = await cloudAssistantCoverage(new StackGraph([a, set, cmd, inv]));
    expect(coverage.get(a.urn)!.runs[0].memberIds).toBeUndefined();
    expect([...coverage.get(set.urn)!.runs[0].memberIds!]).toEqual(["i-1"]);
  });

  it("says why an invocation does not run at provisioning, never echoing a value", async () => {
    const a = instance("a", "i-a");
    const cmd = command("fix", HOTFIX_SCRIPT, { id: "c-1" });
    const cases: [Record<string, unknown>, string][] = [
      [{ repeatMode: "EveryReboot" }, "scheduled (repeatMode EveryReboot)"],
      [{ frequency: "0 */5 * * * *" }, "has a frequency"],
      [{ status: "Failed" }, "its status is Failed"],
      [{ status: "PartialFailed" }, "its status is PartialFailed"],
      [{ status: "Stopped" }, "its status is Stopped"],
      [{ status: "Cancelled" }, "its status is Cancelled"],
      [{ status: "Running" }, "has not finished (status Running)"],
      [{ instanceIds: [...Array(51).keys()].map((i) => (i === 0 ? "i-a" : `i-${i}`)) }, "more than 50 instances"],
    ];
    for (const [extra, why] of cases) {
      const inv = invocation("inv", { instanceIds: ["i-a"], commandId: "c-1", ...extra });
      const covered = (await cloudAssistantCoverage(new StackGraph([a, cmd, inv]))).get(a.urn)!;
      expect(covered.runs).toEqual([]);
      expect([...covered.notCounted.keys()].join()).toContain(why);
    }
  });

  it("is undetermined while the command content, parameters or username are unknown, and says where", async () => {
    const a = instance("a");
    for (const [cmdExtra, invExtra, where] of [
      [{ commandContent: UNKNOWN }, {}, "commandContent of command 'fix', run by Cloud Assistant invocation 'inv'"],
      [{ enableParameter: true }, { parameters: UNKNOWN }, "parameters of Cloud Assistant invocation 'inv'"],
      [{}, { username: UNKNOWN }, "username of Cloud Assistant invocation 'inv'"],
    ] as const) {
      const cmd = command("fix", HOTFIX_SCRIPT, cmdExtra);
      const inv = invocation(
        "inv",
        { instanceIds: [UNKNOWN], commandId: UNKNOWN, ...invExtra },
        { instanceIds: [a], commandId: [cmd] },
      );
      const covered = (await cloudAssistantCoverage(new StackGraph([a, cmd, inv]))).get(a.urn)!;
      expect(covered.undetermined?.where).toBe(where);
    }
  });

  it("says when the command is not part of the stack", async () => {
    const a = instance("a", "i-a");
    const inv = invocation("inv", { instanceIds: ["i-a"], commandId: "c-elsewhere" });
    expect(
      [...(await cloudAssistantCoverage(new StackGraph([a, inv]))).get(a.urn)!.notCounted.keys()].join(),
    ).toContain("not part of this stack");
  });

  it("keeps every invocation on a target, reading each command once however many invocations run it", async () => {
    const a = instance("a", "i-a");
    const fix = command("fix", HOTFIX_SCRIPT, { id: "c-1" });
    const other = command("other", UNRELATED_SCRIPT, { id: "c-2" });
    const invocations = [...Array(300).keys()].map((i) =>
      invocation(`inv-${i}`, { instanceIds: ["i-a"], commandId: i % 2 ? "c-1" : "c-2" }),
    );
    const runs = (await cloudAssistantCoverage(new StackGraph([a, fix, other, ...invocations]))).get(a.urn)!.runs;
    expect(runs).toHaveLength(300);
    expect(new Set(runs.map((r) => r.reading)).size).toBe(2);
  });
});
