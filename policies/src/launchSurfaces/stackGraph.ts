import type { PolicyResource } from "@pulumi/policy";
import { knownString, readStringList } from "../runtime/propertyReader";
import { ECS_COMMAND_TYPE, ECS_INVOCATION_TYPE, LaunchSurface, launchSurfaceOf } from "./launchSurfaces";

export interface SurfaceResource {
  readonly resource: PolicyResource;
  readonly surface: LaunchSurface;
}

/**
 * One pass over the stack: the launch surfaces, the Cloud Assistant commands and invocations, and indexes to
 * link them by cloud ID (after deploy) and launch-template name. Property dependencies (at preview) need no index:
 * the SDK already links them to resource objects. Every lookup is a map access, so the whole analysis is linear.
 */
export class StackGraph {
  readonly surfaces: SurfaceResource[] = [];
  readonly commands: PolicyResource[] = [];
  readonly invocations: PolicyResource[] = [];
  private readonly byCloudId = new Map<string, PolicyResource>();
  private readonly templatesByName = new Map<string, PolicyResource>();

  constructor(resources: readonly PolicyResource[]) {
    for (const resource of resources) {
      const surface = launchSurfaceOf(resource.type);
      if (surface) {
        this.surfaces.push({ resource, surface });
        this.indexCloudId(resource);
        if (surface.instanceIdsOutput) {
          for (const id of readStringList(resource.props, surface.instanceIdsOutput).known) this.byCloudId.set(id, resource);
        }
        if (surface.isLaunchTemplate) {
          for (const key of ["launchTemplateName", "name"]) {
            const name = knownString(resource.props, key);
            if (name) this.templatesByName.set(name, resource);
          }
        }
      } else if (resource.type === ECS_COMMAND_TYPE) {
        this.commands.push(resource);
        this.indexCloudId(resource);
      } else if (resource.type === ECS_INVOCATION_TYPE) {
        this.invocations.push(resource);
      }
    }
  }

  /** The resource in this stack with that cloud ID (instance, instance set member, template, command). */
  byId(id: string): PolicyResource | undefined {
    return this.byCloudId.get(id);
  }

  launchTemplateNamed(name: string): PolicyResource | undefined {
    return this.templatesByName.get(name);
  }

  private indexCloudId(resource: PolicyResource): void {
    const id = knownString(resource.props, "id");
    if (id) this.byCloudId.set(id, resource);
  }
}
