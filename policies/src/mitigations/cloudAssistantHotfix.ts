import type { PolicyResource } from "@pulumi/policy";
import { ECS_COMMAND_TYPE } from "../launchSurfaces/launchSurfaces";
import { StackGraph } from "../launchSurfaces/stackGraph";
import { knownString, readString, readStringList } from "../runtime/propertyReader";
import { scriptInstallsHotfix } from "./hotfixScript";

/** What the Cloud Assistant invocations of a stack do for one instance (or instance set). */
export type InvocationCoverage =
  /**
   * An invocation runs a command that installs the hotfix on it; `scripts` are those commands' contents, so the
   * caller can check a release the script pins against the instance's kernel.
   */
  | { readonly state: "applies-hotfix"; readonly invocation: PolicyResource; readonly scripts: readonly string[] }
  /** An invocation targets it, but whether it installs the hotfix cannot be known yet (preview). */
  | { readonly state: "undetermined"; readonly invocation: PolicyResource; readonly error: Error; readonly where: string }
  /** Invocations target it, but none installs the hotfix at provisioning; says why, for the message. */
  | { readonly state: "does-not-apply"; readonly invocation: PolicyResource; readonly why: string };

type CommandVerdict =
  | { readonly state: "installs"; readonly script: string }
  | { readonly state: "unknown"; readonly error: Error; readonly where: string }
  | { readonly state: "does-not-install"; readonly why: string };

const SCHEDULED_MODES = new Set(["NextRebootOnly", "EveryReboot", "Period"]);
const WINDOWS_COMMAND_TYPES = new Set(["RunBatScript", "RunPowerShellScript"]);

const RANK: Record<InvocationCoverage["state"], number> = { "does-not-apply": 0, undetermined: 1, "applies-hotfix": 2 };

/**
 * Links every invocation to the instances it targets and to the command it runs — through property dependencies
 * during preview (IDs are unknown then) and through cloud IDs after deploy — in one pass over the invocations.
 * Each command is judged once. The best coverage per target wins.
 */
export function cloudAssistantCoverage(graph: StackGraph, hotfixPackage: string): Map<string, InvocationCoverage> {
  const coverage = new Map<string, InvocationCoverage>();
  const commandVerdicts = new Map<string, CommandVerdict>();

  const judgeCommand = (command: PolicyResource): CommandVerdict => {
    let verdict = commandVerdicts.get(command.urn);
    if (!verdict) {
      verdict = judgeCommandContent(command, hotfixPackage);
      commandVerdicts.set(command.urn, verdict);
    }
    return verdict;
  };

  for (const invocation of graph.invocations) {
    const targets = linkedResources(invocation, "instanceIds", graph);
    if (targets.length === 0) continue;
    const result = judgeInvocation(invocation, graph, judgeCommand);
    for (const target of targets) {
      const previous = coverage.get(target.urn);
      if (previous?.state === "applies-hotfix" && result.state === "applies-hotfix") {
        coverage.set(target.urn, { ...previous, scripts: [...previous.scripts, ...result.scripts] });
      } else if (!previous || RANK[result.state] > RANK[previous.state]) {
        coverage.set(target.urn, result);
      }
    }
  }
  return coverage;
}

function judgeInvocation(
  invocation: PolicyResource,
  graph: StackGraph,
  judgeCommand: (command: PolicyResource) => CommandVerdict,
): InvocationCoverage {
  const repeatMode = readString(invocation.props, "repeatMode");
  if (repeatMode.state === "unknown") return { state: "undetermined", invocation, error: repeatMode.error, where: `repeatMode of Cloud Assistant invocation '${invocation.name}'` };
  // Only a one-time invocation runs at provisioning; the others (NextRebootOnly, EveryReboot, Period) are scheduled
  // and complete at "Scheduled" without running now (alinux2-facts.md §4, the provider's create flow).
  if (repeatMode.state === "known" && repeatMode.value !== "Once") {
    const mode = SCHEDULED_MODES.has(repeatMode.value) ? repeatMode.value : "other than Once";
    return { state: "does-not-apply", invocation, why: `it is scheduled (repeatMode ${mode}), not run once at provisioning` };
  }
  const commands = linkedResources(invocation, "commandId", graph).filter((r) => r.type === ECS_COMMAND_TYPE);
  if (commands.length === 0) {
    const commandId = readString(invocation.props, "commandId");
    if (commandId.state === "unknown") return { state: "undetermined", invocation, error: commandId.error, where: `commandId of Cloud Assistant invocation '${invocation.name}'` };
    return { state: "does-not-apply", invocation, why: "the command it runs is not part of this stack, so the pack cannot see what it does" };
  }
  let undetermined: { readonly error: Error; readonly where: string } | undefined;
  let why = "";
  const scripts: string[] = [];
  for (const command of commands) {
    const verdict = judgeCommand(command);
    if (verdict.state === "installs") scripts.push(verdict.script);
    else if (verdict.state === "unknown") undetermined ??= verdict;
    else why = verdict.why;
  }
  if (scripts.length > 0) return { state: "applies-hotfix", invocation, scripts };
  return undetermined
    ? { state: "undetermined", invocation, error: undetermined.error, where: `${undetermined.where}, run by Cloud Assistant invocation '${invocation.name}'` }
    : { state: "does-not-apply", invocation, why };
}

function judgeCommandContent(command: PolicyResource, hotfixPackage: string): CommandVerdict {
  const type = readString(command.props, "type");
  if (type.state === "unknown") return { state: "unknown", error: type.error, where: `type of command '${command.name}'` };
  if (type.state === "known" && type.value !== "RunShellScript") {
    // Name the type only when it is one of the API's values: a property value is never echoed otherwise.
    const what = WINDOWS_COMMAND_TYPES.has(type.value) ? `a ${type.value}` : "not a RunShellScript";
    return { state: "does-not-install", why: `its command '${command.name}' is ${what}, not a Linux shell script` };
  }
  const content = readString(command.props, "commandContent");
  if (content.state === "unknown") return { state: "unknown", error: content.error, where: `commandContent of command '${command.name}'` };
  if (content.state === "known" && scriptInstallsHotfix(content.value, hotfixPackage)) return { state: "installs", script: content.value };
  return { state: "does-not-install", why: `its command '${command.name}' does not install ${hotfixPackage}` };
}

/**
 * Resources a property refers to: its property dependencies (set by the engine whenever the value came from
 * another resource's output), plus resources whose cloud ID appears among the property's known values.
 */
function linkedResources(resource: PolicyResource, property: string, graph: StackGraph): PolicyResource[] {
  const linked = [...(resource.propertyDependencies?.[property] ?? [])];
  for (const id of readStringList(resource.props, property).known) {
    const byId = graph.byId(id);
    if (byId && !linked.includes(byId)) linked.push(byId);
  }
  // `commandId` is a single string, not a list.
  const single = knownString(resource.props, property);
  if (single) {
    const byId = graph.byId(single);
    if (byId && !linked.includes(byId)) linked.push(byId);
  }
  return linked;
}
