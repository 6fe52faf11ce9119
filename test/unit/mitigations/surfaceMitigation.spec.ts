import { describe, expect, it } from "vitest";
import type { PolicyResource } from "@pulumi/policy";
import { launchSurfaceOf } from "../../../policies/src/launchSurfaces/launchSurfaces";
import { InvocationCoverage } from "../../../policies/src/mitigations/cloudAssistantHotfix";
import { findHotfixMitigation } from "../../../policies/src/mitigations/surfaceMitigation";
import { parseKernelRelease } from "../../../policies/src/knowledge/kernelRelease";
import { engineProps, secret, UNKNOWN } from "../../support/policyRuntime";
import { base64, HOTFIX_SCRIPT, UNRELATED_SCRIPT } from "../../support/stackFixtures";

const PKG = "kernel-hotfix-4375449";
const res = (type: string, name: string, props: Record<string, unknown>): PolicyResource =>
  ({ type, name, urn: `urn:${name}`, props: engineProps(props), dependencies: [], propertyDependencies: {} }) as unknown as PolicyResource;
const target = (resource: PolicyResource) => ({ resource, surface: launchSurfaceOf(resource.type)! });
const noCoverage = () => new Map<string, InvocationCoverage>();
const INSTANCE = "alicloud:ecs/instance:Instance";

describe("findHotfixMitigation", () => {
  it("accepts the surface's own hotfix user data, plain or base64", () => {
    for (const userData of [HOTFIX_SCRIPT, base64(HOTFIX_SCRIPT), secret(base64(HOTFIX_SCRIPT))]) {
      const m = findHotfixMitigation(target(res(INSTANCE, "a", { userData })), undefined, noCoverage, PKG);
      expect(m).toEqual({ state: "hotfix-applied", how: `its userData installs ${PKG}` });
    }
  });

  it("checks every user-data property of a node pool", () => {
    const pool = res("alicloud:cs/nodePool:NodePool", "np", { userData: base64(UNRELATED_SCRIPT), preUserData: base64(HOTFIX_SCRIPT) });
    expect(findHotfixMitigation(target(pool), undefined, noCoverage, PKG).state).toBe("hotfix-applied");
  });

  it("falls back to the launch template's user data only when the surface has none", () => {
    const template = res("alicloud:ecs/ecsLaunchTemplate:EcsLaunchTemplate", "tpl", { userData: base64(HOTFIX_SCRIPT) });
    expect(findHotfixMitigation(target(res(INSTANCE, "a", {})), template, noCoverage, PKG)).toEqual({
      state: "hotfix-applied",
      how: `its launch template 'tpl' userData installs ${PKG}`,
    });
    const own = findHotfixMitigation(target(res(INSTANCE, "b", { userData: UNRELATED_SCRIPT })), template, noCoverage, PKG);
    expect(own).toEqual({ state: "none", notes: [`its userData does not install ${PKG}`] });
  });

  it("accepts an invocation covering an instance, but never for a surface Cloud Assistant cannot target", () => {
    const instance = res(INSTANCE, "a", {});
    const pool = res("alicloud:cs/nodePool:NodePool", "np", {});
    const invocation = res("alicloud:ecs/ecsInvocation:EcsInvocation", "inv", {});
    const coverage = () => new Map<string, InvocationCoverage>([[instance.urn, { state: "applies-hotfix", invocation, scripts: [HOTFIX_SCRIPT] }], [pool.urn, { state: "applies-hotfix", invocation, scripts: [HOTFIX_SCRIPT] }]]);
    expect(findHotfixMitigation(target(instance), undefined, coverage, PKG)).toEqual({ state: "hotfix-applied", how: `Cloud Assistant invocation 'inv' installs ${PKG}` });
    expect(findHotfixMitigation(target(pool), undefined, coverage, PKG).state).toBe("none");
  });

  it("is undetermined while user data is unknown, unless something else already applies the hotfix", () => {
    const unknownUserData = res(INSTANCE, "a", { userData: UNKNOWN });
    expect(findHotfixMitigation(target(unknownUserData), undefined, noCoverage, PKG).state).toBe("undetermined");
    const invocation = res("alicloud:ecs/ecsInvocation:EcsInvocation", "inv", {});
    const coverage = () => new Map<string, InvocationCoverage>([[unknownUserData.urn, { state: "applies-hotfix", invocation, scripts: [HOTFIX_SCRIPT] }]]);
    expect(findHotfixMitigation(target(unknownUserData), undefined, coverage, PKG).state).toBe("hotfix-applied");
  });

  it("computes Cloud Assistant coverage only when an instance needs it", () => {
    let computed = 0;
    const coverage = () => (computed++, new Map<string, InvocationCoverage>());
    findHotfixMitigation(target(res("alicloud:ess/scalingConfiguration:ScalingConfiguration", "sc", {})), undefined, coverage, PKG);
    expect(computed).toBe(0);
    findHotfixMitigation(target(res(INSTANCE, "a", {})), undefined, coverage, PKG);
    expect(computed).toBe(1);
  });
});

describe("findHotfixMitigation and pinned releases", () => {
  const kernel = parseKernelRelease("4.19.91-21.al7.x86_64");
  const pinned = (release: string) => `yum install -y kernel-hotfix-4375449-${release}\n`;

  it("accepts a script that pins the instance's own release, or computes it", () => {
    for (const userData of [pinned("21.al7.x86_64"), pinned("21.al7"), HOTFIX_SCRIPT]) {
      expect(findHotfixMitigation(target(res(INSTANCE, "a", { userData })), undefined, noCoverage, PKG, kernel).state).toBe("hotfix-applied");
    }
  });

  it("rejects a script pinned to another kernel's release, in user data and through an invocation", () => {
    const viaUserData = findHotfixMitigation(target(res(INSTANCE, "a", { userData: pinned("22.2.al7.x86_64") })), undefined, noCoverage, PKG, kernel);
    expect(viaUserData).toEqual({ state: "none", notes: [`its userData installs ${PKG} for another kernel release`] });
    const instance = res(INSTANCE, "b", {});
    const invocation = res("alicloud:ecs/ecsInvocation:EcsInvocation", "inv", {});
    const coverage = () => new Map<string, InvocationCoverage>([[instance.urn, { state: "applies-hotfix", invocation, scripts: [pinned("22.2.al7")] }]]);
    expect(findHotfixMitigation(target(instance), undefined, coverage, PKG, kernel).state).toBe("none");
  });
});
