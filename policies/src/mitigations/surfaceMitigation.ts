import type { PolicyResource } from "@pulumi/policy";
import { KernelAdvisory } from "../knowledge/advisories";
import { remedyFor, RunContext } from "../knowledge/advisoryRemedy";
import { KernelRelease } from "../knowledge/kernelRelease";
import { SurfaceResource } from "../launchSurfaces/stackGraph";
import { launchSurfaceOf } from "../launchSurfaces/launchSurfaces";
import { readString, readStringList } from "../runtime/propertyReader";
import { TargetCoverage } from "./cloudAssistantHotfix";
import { ScriptReading } from "./scriptEffects";
import { prefetchUserData, userDataReading } from "./userDataReadings";

/** Whether what runs at provisioning on a launch surface's instances mitigates the advisory on their kernel. */
export type Mitigation =
  | { readonly state: "mitigated"; readonly how: string }
  /**
   * Something that may mitigate it is not known yet (preview): no verdict now. `where` names the resource and
   * property that is unknown (e.g. "userData of ECS instance 'web'"), never a value.
   */
  | { readonly state: "undetermined"; readonly error: Error; readonly where: string }
  /** Nothing mitigates it; `notes` say why attached scripts and invocations do not count (never their contents). */
  | { readonly state: "none"; readonly notes: readonly string[] };

/** User data runs as root under cloud-init, which gives exit codes no meaning. */
const USER_DATA_RUN: RunContext = { asRoot: true, exit194Reboots: false };
/** Notes kept per violation; the rest are counted. */
const MAX_NOTES = 5;

/**
 * Looks for a mitigation where it can reach a launch surface's instances: the surface's own user data (or, when it
 * sets none, the user data of the launch template it uses) and Cloud Assistant invocations targeting it.
 */
export async function findMitigation(
  target: SurfaceResource,
  template: PolicyResource | undefined,
  coverage: () => Promise<ReadonlyMap<string, TargetCoverage>>,
  advisory: KernelAdvisory,
  kernel: KernelRelease,
): Promise<Mitigation> {
  const notes = new Set<string>();
  let undetermined: { error: Error; where: string } | undefined;

  for (const read of userDataOf(target, template)) {
    if (read.state === "unknown") {
      undetermined ??= { error: read.error, where: read.where };
      continue;
    }
    const reading = await userDataReading(read.value);
    const remedy = remedyFor(advisory, kernel, reading, USER_DATA_RUN);
    if (remedy.mitigates) return { state: "mitigated", how: `its ${read.property} ${remedy.how}` };
    notes.add(`its ${read.property}: ${remedy.why}${readingNotes(reading)}`);
  }

  if (target.surface.invocationTarget) {
    const covered = (await coverage()).get(target.resource.urn);
    if (covered) {
      const memberIds = target.surface.instanceIdsOutput
        ? readStringList(target.resource.props, target.surface.instanceIdsOutput).known
        : [];
      const reached = new Set<string>();
      // Thousands of invocations run a handful of commands: judge each reading once per run context, and keep one
      // note per command and reason, with a count.
      const remedies = new Map<ScriptReading, Map<boolean, ReturnType<typeof remedyFor>>>();
      const failed = new Map<string, { first: string; count: number }>();
      for (const run of covered.runs) {
        let byRoot = remedies.get(run.reading);
        if (!byRoot) remedies.set(run.reading, (byRoot = new Map<boolean, ReturnType<typeof remedyFor>>()));
        let remedy = byRoot.get(run.run.asRoot);
        if (!remedy) byRoot.set(run.run.asRoot, (remedy = remedyFor(advisory, kernel, run.reading, run.run)));
        if (!remedy.mitigates) {
          const key = `(command '${run.command.name}'): ${remedy.why}${readingNotes(run.reading)}`;
          const seen = failed.get(key);
          if (seen) seen.count++;
          else failed.set(key, { first: run.invocation.name, count: 1 });
          continue;
        }
        const who = `Cloud Assistant invocation '${run.invocation.name}' (command '${run.command.name}')`;
        if (!run.memberIds) return { state: "mitigated", how: `${who} ${remedy.how}` };
        for (const id of run.memberIds) reached.add(id);
        if (memberIds.every((id) => reached.has(id)))
          return { state: "mitigated", how: `Cloud Assistant invocations ${remedy.how}` };
      }
      if (reached.size > 0)
        notes.add(`Cloud Assistant invocations reach only ${reached.size} of its ${memberIds.length} instances`);
      for (const [key, { first, count }] of failed)
        notes.add(`Cloud Assistant invocation ${invocationsNamed(first, count)} ${key}`);
      for (const [why, { first, count }] of covered.notCounted)
        notes.add(`Cloud Assistant invocation ${invocationsNamed(first, count)} targets it, but ${why}`);
      if (covered.undetermined) undetermined ??= covered.undetermined;
    }
  }

  if (undetermined) return { state: "undetermined", ...undetermined };
  const list = [...notes];
  return {
    state: "none",
    notes: list.length > MAX_NOTES ? [...list.slice(0, MAX_NOTES), `${list.length - MAX_NOTES} more like these`] : list,
  };
}

function invocationsNamed(first: string, count: number): string {
  return count > 1 ? `'${first}' (and ${count - 1} more)` : `'${first}'`;
}

function readingNotes(reading: ScriptReading): string {
  return reading.state === "runs" && reading.notes.length > 0 ? ` (${reading.notes.join("; ")})` : "";
}

/**
 * Says which launch surfaces findMitigation will be asked about next, in that order, so that their user data can be
 * read ahead (on other threads where the pack has them: userDataReadings.ts).
 */
export function prefetchMitigations(
  targets: Iterable<{ readonly target: SurfaceResource; readonly template: PolicyResource | undefined }>,
): void {
  const values: string[] = [];
  for (const { target, template } of targets)
    for (const read of userDataOf(target, template)) if (read.state === "known") values.push(read.value);
  prefetchUserData(values);
}

type UserDataRead =
  | { readonly state: "known"; readonly value: string; readonly property: string }
  | { readonly state: "unknown"; readonly error: Error; readonly where: string };

function userDataOf(target: SurfaceResource, template: PolicyResource | undefined): UserDataRead[] {
  const { resource, surface } = target;
  const reads: UserDataRead[] = [];
  for (const property of surface.userDataProperties) {
    const read = readString(resource.props, property);
    if (read.state === "known") reads.push({ state: "known", value: read.value, property });
    if (read.state === "unknown")
      reads.push({ state: "unknown", error: read.error, where: `${property} of ${surface.label} '${resource.name}'` });
  }
  // Only a launch template's user data runs on the instances launched from it; a node group's (`launchTemplate.source`)
  // is not known to run on a node attached later, so it is no mitigation (fail closed).
  if (reads.length === 0 && template && launchSurfaceOf(template.type)?.isLaunchTemplate) {
    for (const property of launchSurfaceOf(template.type)?.userDataProperties ?? []) {
      const read = readString(template.props, property);
      if (read.state === "known")
        reads.push({ state: "known", value: read.value, property: `launch template '${template.name}' ${property}` });
      if (read.state === "unknown")
        reads.push({ state: "unknown", error: read.error, where: `${property} of launch template '${template.name}'` });
    }
  }
  return reads;
}
