import type { PolicyResource } from "@pulumi/policy";
import { REMEDY_WORDS, RunContext } from "../knowledge/advisoryRemedy";
import { ECS_COMMAND_TYPE } from "../launchSurfaces/launchSurfaces";
import { StackGraph } from "../launchSurfaces/stackGraph";
import { knownString, readProperty, readString, readStringList } from "../runtime/propertyReader";
import { readCommandContent } from "./commandContentReader";
import { scriptReadings } from "./readingMemo";
import { ScriptReading, UNREADABLE } from "./scriptEffects";

/** One Cloud Assistant invocation that runs a command of this stack on a target, and what that command does. */
export interface InvocationRun {
  readonly invocation: PolicyResource;
  readonly command: PolicyResource;
  readonly reading: ScriptReading;
  readonly run: RunContext;
  /** When the target is an instance set reached through its members' IDs: the members this invocation targets. */
  readonly memberIds?: ReadonlySet<string>;
}

/** What the Cloud Assistant invocations of a stack do for one launch surface. Advisory-neutral. */
export interface TargetCoverage {
  readonly runs: InvocationRun[];
  /**
   * Why invocations targeting it do not run at provisioning: per reason, the first invocation and how many give it
   * (thousands of invocations give a handful of reasons).
   */
  readonly notCounted: Map<string, { readonly first: string; count: number }>;
  /** The first thing unknown at preview, and where it is (resource and property, never the value). */
  undetermined?: { readonly error: Error; readonly where: string };
}

type InvocationVerdict =
  | {
      readonly state: "runs";
      readonly runs: readonly { command: PolicyResource; reading: ScriptReading }[];
      readonly run: RunContext;
    }
  | { readonly state: "not-counted"; readonly why: string }
  | { readonly state: "undetermined"; readonly error: Error; readonly where: string };

const SCHEDULED_MODES = new Set(["NextRebootOnly", "EveryReboot", "Period"]);
const WINDOWS_COMMAND_TYPES = new Set(["RunBatScript", "RunPowerShellScript"]);
/** InvokeCommand takes 1 to 50 instance IDs (alinux2-facts.md §4). */
export const MAX_INSTANCES_PER_INVOCATION = 50;
/** InvocationStatus values after which the command did not (fully) run (DescribeInvocations). */
const FAILED_STATUSES = new Set(["Failed", "PartialFailed", "Stopped", "Stopping", "Cancelled"]);
const UNFINISHED_STATUSES = new Set(["Pending", "Running"]);

/**
 * Links every invocation to the launch surfaces it targets and the commands it runs — through property
 * dependencies during preview (IDs are unknown then) and through cloud IDs after deploy — in one pass, appending to
 * per-target lists (linear in the number of invocations). Each command content is read once per set of parameters.
 */
export async function cloudAssistantCoverage(graph: StackGraph): Promise<Map<string, TargetCoverage>> {
  const coverage = new Map<string, TargetCoverage>();
  const readings = new Map<string, Promise<ScriptReading>>();
  const entry = (urn: string): TargetCoverage => {
    let found = coverage.get(urn);
    if (!found) coverage.set(urn, (found = { runs: [], notCounted: new Map() }));
    return found;
  };
  for (const invocation of graph.invocations) {
    const targets = invocationTargets(invocation, graph);
    if (targets.size === 0) continue;
    const verdict = await judgeInvocation(invocation, graph, readings);
    for (const [target, memberIds] of targets) {
      const found = entry(target.urn);
      if (verdict.state === "runs") {
        for (const { command, reading } of verdict.runs)
          found.runs.push({ invocation, command, reading, run: verdict.run, memberIds });
      } else if (verdict.state === "not-counted") {
        const seen = found.notCounted.get(verdict.why);
        if (seen) seen.count++;
        else found.notCounted.set(verdict.why, { first: invocation.name, count: 1 });
      } else found.undetermined ??= { error: verdict.error, where: verdict.where };
    }
  }
  return coverage;
}

async function judgeInvocation(
  invocation: PolicyResource,
  graph: StackGraph,
  readings: Map<string, Promise<ScriptReading>>,
): Promise<InvocationVerdict> {
  const where = (property: string) => `${property} of Cloud Assistant invocation '${invocation.name}'`;
  const repeatMode = readString(invocation.props, "repeatMode");
  if (repeatMode.state === "unknown")
    return { state: "undetermined", error: repeatMode.error, where: where("repeatMode") };
  // Only a one-time invocation runs at provisioning; the others complete at "Scheduled" without running now.
  if (repeatMode.state === "known" && repeatMode.value !== "Once") {
    const mode = SCHEDULED_MODES.has(repeatMode.value) ? repeatMode.value : "other than Once";
    return { state: "not-counted", why: `it is scheduled (repeatMode ${mode}), not run once at provisioning` };
  }
  const frequency = readString(invocation.props, "frequency");
  if (frequency.state !== "absent")
    return {
      state: "not-counted",
      why: "it has a frequency, so it is scheduled (Period), not run once at provisioning",
    };
  const ids = readProperty(invocation.props, "instanceIds");
  if (ids.state === "known" && Array.isArray(ids.value) && ids.value.length > MAX_INSTANCES_PER_INVOCATION) {
    return {
      state: "not-counted",
      why: `it targets more than ${MAX_INSTANCES_PER_INVOCATION} instances, which InvokeCommand rejects`,
    };
  }
  const status = readString(invocation.props, "status");
  // Absent or unknown (preview): it runs when created, and the provider fails the deployment unless it succeeds.
  if (status.state === "known" && status.value !== "Success") {
    if (FAILED_STATUSES.has(status.value)) return { state: "not-counted", why: `its status is ${status.value}` };
    if (UNFINISHED_STATUSES.has(status.value))
      return { state: "not-counted", why: `it has not finished (status ${status.value})` };
    if (status.value === "Scheduled")
      return { state: "not-counted", why: "it is scheduled (status Scheduled), not run at provisioning" };
    return { state: "not-counted", why: "its status is not Success" };
  }
  const username = readString(invocation.props, "username");
  if (username.state === "unknown") return { state: "undetermined", error: username.error, where: where("username") };
  const run: RunContext = { asRoot: username.state === "absent" || username.value === "root", exit194Reboots: true };

  const commands = linkedResources(invocation, "commandId", graph).filter((r) => r.type === ECS_COMMAND_TYPE);
  if (commands.length === 0) {
    const commandId = readString(invocation.props, "commandId");
    if (commandId.state === "unknown")
      return { state: "undetermined", error: commandId.error, where: where("commandId") };
    return {
      state: "not-counted",
      why: "the command it runs is not part of this stack, so the pack cannot see what it does",
    };
  }
  const runs: { command: PolicyResource; reading: ScriptReading }[] = [];
  for (const command of commands) {
    const commandWhere = (property: string) =>
      `${property} of command '${command.name}', run by Cloud Assistant invocation '${invocation.name}'`;
    const type = readString(command.props, "type");
    if (type.state === "unknown") return { state: "undetermined", error: type.error, where: commandWhere("type") };
    if (type.state === "known" && type.value !== "RunShellScript") {
      // Name the type only when it is one of the API's values: a property value is never echoed otherwise.
      const what = WINDOWS_COMMAND_TYPES.has(type.value) ? `a ${type.value}` : "not a RunShellScript";
      return { state: "not-counted", why: `its command '${command.name}' is ${what}, not a Linux shell script` };
    }
    const content = readString(command.props, "commandContent");
    if (content.state === "unknown")
      return { state: "undetermined", error: content.error, where: commandWhere("commandContent") };
    if (content.state === "absent")
      return { state: "not-counted", why: `its command '${command.name}' has no content` };
    const enabled = readProperty(command.props, "enableParameter");
    if (enabled.state === "unknown")
      return { state: "undetermined", error: enabled.error, where: commandWhere("enableParameter") };
    let parameters: Map<string, string> | undefined;
    if (enabled.state === "known" && enabled.value === true) {
      const read = readParameters(invocation);
      if ("error" in read) return { state: "undetermined", error: read.error, where: where("parameters") };
      parameters = read.values;
    }
    const key = `${parameters ? JSON.stringify([...parameters]) : ""}\u0000${content.value}`;
    let reading = readings.get(key);
    if (!reading)
      readings.set(
        key,
        (reading = scriptReadings.reading("command", key, () =>
          readCommandContent(content.value, parameters, { onlyIfMentions: REMEDY_WORDS }).catch(() => UNREADABLE),
        )),
      );
    runs.push({ command, reading: await reading });
  }
  return { state: "runs", runs, run };
}

function readParameters(invocation: PolicyResource): { values: Map<string, string> } | { error: Error } {
  const read = readProperty(invocation.props, "parameters");
  if (read.state === "unknown") return { error: read.error };
  const values = new Map<string, string>();
  if (read.state === "absent" || typeof read.value !== "object" || read.value === null) return { values };
  const object = read.value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const value = readProperty(object, key);
    if (value.state === "unknown") return { error: value.error };
    if (value.state === "known") values.set(key.toLowerCase(), String(value.value));
  }
  return { values };
}

/**
 * The launch surfaces an invocation targets: through property dependencies of `instanceIds` (the whole resource),
 * and through known IDs (an instance set through its members' IDs: which of them).
 */
function invocationTargets(
  invocation: PolicyResource,
  graph: StackGraph,
): Map<PolicyResource, Set<string> | undefined> {
  const targets = new Map<PolicyResource, Set<string> | undefined>();
  for (const dependency of invocation.propertyDependencies?.["instanceIds"] ?? []) targets.set(dependency, undefined);
  for (const id of readStringList(invocation.props, "instanceIds").known) {
    const target = graph.byId(id);
    if (!target) continue;
    const own = knownString(target.props, "id") === id;
    if (own) targets.set(target, undefined);
    else if (!targets.has(target) || targets.get(target)) {
      const members = targets.get(target) ?? new Set<string>();
      members.add(id);
      targets.set(target, members);
    }
  }
  return targets;
}

/** Resources a single-valued property refers to: its property dependencies, plus the resource with that cloud ID. */
function linkedResources(resource: PolicyResource, property: string, graph: StackGraph): PolicyResource[] {
  const linked = [...(resource.propertyDependencies?.[property] ?? [])];
  const single = knownString(resource.props, property);
  if (single) {
    const byId = graph.byId(single);
    if (byId && !linked.includes(byId)) linked.push(byId);
  }
  return linked;
}
