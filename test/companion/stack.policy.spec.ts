/**
 * The companion stack's resources, recorded under Pulumi mocks, run through the alinux-guard policy pack
 * (test/support/policyRuntime.ts): no mandatory violation — after deploy (IDs link the invocation to the
 * instances) and at preview (IDs unknown; property dependencies link them). The control case (the same
 * instances without the hotfix) must be blocked, so the check can fail.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, defineCompanionStack } from "../../companion/stack";
import {
  runResourcePolicies,
  runStackPolicies,
  StackResourceInput,
  UNKNOWN,
  Violation,
} from "../support/policyRuntime";
import {
  COMMAND,
  installRecordingMocks,
  INSTANCE,
  INVOCATION,
  MockRun,
  RecordedResource,
  settle,
} from "./support/recordingMocks";

async function recordStack(settings = DEFAULT_SETTINGS): Promise<MockRun> {
  const run = await installRecordingMocks();
  const stack = defineCompanionStack(settings);
  await settle(
    stack.hotfix.invocationStatuses,
    stack.hotfix.commandId,
    stack.hotfix.urn,
    ...stack.instances.map((i) => i.urn),
  );
  return run;
}

function asDeployed(resources: RecordedResource[]): StackResourceInput[] {
  return resources.map((r) => ({
    type: r.type,
    name: r.name,
    urn: r.urn,
    parent: r.parent || undefined,
    props: r.props,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
  }));
}

/** What the engine sends at preview: IDs of resources being created, and every input holding one, are unknown. */
function asPreview(resources: RecordedResource[]): StackResourceInput[] {
  const ids = new Set(resources.filter((r) => r.custom).map((r) => r.id));
  const blank = (value: unknown): unknown => {
    if (typeof value === "string") return ids.has(value) ? UNKNOWN : value;
    if (Array.isArray(value)) return value.map(blank);
    if (value && typeof value === "object")
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, blank(v)]));
    return value;
  };
  return asDeployed(resources).map((r) => ({ ...r, props: blank(r.props) as Record<string, unknown> }));
}

async function violationsOf(resources: StackResourceInput[]): Promise<Violation[]> {
  const violations = await runStackPolicies(resources);
  for (const resource of resources) violations.push(...(await runResourcePolicies(resource)).violations);
  return violations;
}

const mandatory = (violations: Violation[]) => violations.filter((v) => v.enforcementLevel === "mandatory");

describe("the companion stack through the alinux-guard policy pack", () => {
  for (const [label, transform] of [
    ["after deploy", asDeployed],
    ["at preview", asPreview],
  ] as const) {
    it(`has no mandatory violation ${label}`, async () => {
      const run = await recordStack({ ...DEFAULT_SETTINGS, instanceCount: 2 });
      const violations = await violationsOf(transform(run.resources));
      expect(mandatory(violations)).toEqual([]);
    });

    it(`is blocked ${label} without the hotfix (control)`, async () => {
      const run = await recordStack({ ...DEFAULT_SETTINGS, instanceCount: 2 });
      const withoutHotfix = run.resources.filter((r) => r.type !== INVOCATION && r.type !== COMMAND);
      const blocked = mandatory(await violationsOf(transform(withoutHotfix)));
      const instanceUrns = new Set(run.resources.filter((r) => r.type === INSTANCE).map((r) => r.urn));
      expect(blocked.length).toBeGreaterThan(0);
      expect(blocked.some((v) => v.urn === undefined || instanceUrns.has(v.urn))).toBe(true);
    });
  }

  it("has no mandatory violation with 120 instances (3 invocations)", async () => {
    const run = await recordStack({ ...DEFAULT_SETTINGS, instanceCount: 120 });
    expect(run.resources.filter((r) => r.type === INVOCATION)).toHaveLength(3);
    expect(mandatory(await violationsOf(asDeployed(run.resources)))).toEqual([]);
  });
});
