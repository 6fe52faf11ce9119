import type { PolicyResource } from "@pulumi/policy";
import { SurfaceResource } from "../launchSurfaces/stackGraph";
import { launchSurfaceOf } from "../launchSurfaces/launchSurfaces";
import { readString } from "../runtime/propertyReader";
import { InvocationCoverage } from "./cloudAssistantHotfix";
import { KernelRelease } from "../knowledge/kernelRelease";
import { scriptInstallsHotfix } from "./hotfixScript";

/** Whether the hotfix reaches the instances a launch surface starts. */
export type Mitigation =
  | { readonly state: "hotfix-applied"; readonly how: string }
  /**
   * Something that may apply it is not known yet (preview): no verdict now. `where` names the resource and property
   * that is unknown (never its value).
   */
  | { readonly state: "undetermined"; readonly error: Error; readonly where: string }
  /** Nothing applies it; `notes` say why attached things do not count (never their contents). */
  | { readonly state: "none"; readonly notes: readonly string[] };

/**
 * Looks for the hotfix where it can reach a launch surface's instances: the surface's own user data (or, when it
 * sets none, the user data of the launch template it uses) and Cloud Assistant invocations targeting it.
 */
export function findHotfixMitigation(
  target: SurfaceResource,
  template: PolicyResource | undefined,
  coverage: () => ReadonlyMap<string, InvocationCoverage>,
  hotfixPackage: string,
  kernel?: KernelRelease,
): Mitigation {
  const notes: string[] = [];
  let undetermined: { readonly error: Error; readonly where: string } | undefined;

  const userData = userDataOf(target.resource, target.surface.userDataProperties, template);
  for (const read of userData) {
    if (read.state === "unknown") undetermined ??= read;
    else if (scriptInstallsHotfix(read.value, hotfixPackage, kernel)) return { state: "hotfix-applied", how: `its ${read.where} installs ${hotfixPackage}` };
    else if (scriptInstallsHotfix(read.value, hotfixPackage)) notes.push(`its ${read.where} installs ${hotfixPackage} for another kernel release`);
    else notes.push(`its ${read.where} does not install ${hotfixPackage}`);
  }

  if (target.surface.invocationTarget) {
    const covered = coverage().get(target.resource.urn);
    if (covered?.state === "applies-hotfix") {
      if (covered.scripts.some((script) => scriptInstallsHotfix(script, hotfixPackage, kernel))) {
        return { state: "hotfix-applied", how: `Cloud Assistant invocation '${covered.invocation.name}' installs ${hotfixPackage}` };
      }
      notes.push(`Cloud Assistant invocation '${covered.invocation.name}' installs ${hotfixPackage} for another kernel release`);
    }
    if (covered?.state === "undetermined") undetermined ??= covered;
    if (covered?.state === "does-not-apply") notes.push(`Cloud Assistant invocation '${covered.invocation.name}' targets it, but ${covered.why}`);
  }

  if (!undetermined) return { state: "none", notes };
  const unknown = undetermined;
  return { state: "undetermined", get error() { return unknown.error; }, where: unknown.where };
}

type UserDataRead = { state: "known"; value: string; where: string } | { state: "unknown"; error: Error; where: string };

function userDataOf(resource: PolicyResource, properties: readonly string[], template: PolicyResource | undefined): UserDataRead[] {
  const reads: UserDataRead[] = [];
  for (const property of properties) {
    const read = readString(resource.props, property);
    if (read.state === "known") reads.push({ state: "known", value: read.value, where: `${property}` });
    if (read.state === "unknown") reads.push({ state: "unknown", error: read.error, where: `its ${property}` });
  }
  if (reads.length === 0 && template) {
    const templateSurface = launchSurfaceOf(template.type);
    for (const property of templateSurface?.userDataProperties ?? []) {
      const read = readString(template.props, property);
      if (read.state === "known") reads.push({ state: "known", value: read.value, where: `launch template '${template.name}' ${property}` });
      if (read.state === "unknown") reads.push({ state: "unknown", error: read.error, where: `launch template '${template.name}' ${property}` });
    }
  }
  return reads;
}
