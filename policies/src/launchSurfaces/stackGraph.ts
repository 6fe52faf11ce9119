import type { PolicyResource } from "@pulumi/policy";
import { knownString, readStringList } from "../runtime/propertyReader";
import type { TracedImage } from "./imageLineage";
import {
  ECS_COMMAND_TYPE,
  ECS_IMAGE_COPY_TYPE,
  ECS_IMAGE_TYPE,
  ECS_INVOCATION_TYPE,
  ECS_SNAPSHOT_TYPES,
  LAUNCH_SURFACES,
  LaunchSurface,
  launchSurfaceOf,
} from "./launchSurfaces";

/** Surfaces other resources take their image from by an output other than `id` (`launchTemplate.source`). */
const SOURCE_ID_OUTPUTS = new Map(
  LAUNCH_SURFACES.flatMap(({ launchTemplate }) =>
    launchTemplate?.source ? [[launchTemplate.source.type, launchTemplate.source.idOutput] as const] : [],
  ),
);

export interface SurfaceResource {
  readonly resource: PolicyResource;
  readonly surface: LaunchSurface;
}

/**
 * One pass over the stack: the launch surfaces, the Cloud Assistant commands and invocations, the resources that make
 * images (and the snapshots they may be made from), and indexes to link them by cloud ID (after deploy), launch-template
 * name and image name. Property dependencies (at preview) need no index:
 * the SDK already links them to resource objects. Every lookup is a map access, so the whole analysis is linear.
 */
export class StackGraph {
  readonly surfaces: SurfaceResource[] = [];
  readonly commands: PolicyResource[] = [];
  readonly invocations: PolicyResource[] = [];
  private readonly byCloudId = new Map<string, PolicyResource>();
  private readonly templatesByName = new Map<string, PolicyResource>();
  private readonly imagesByName = new Map<string, PolicyResource>();
  private readonly producers = new Set<PolicyResource>();
  private readonly snapshots = new Set<PolicyResource>();
  /** Images made in this stack, traced once per graph (imageLineage.ts). */
  readonly tracedImages = new Map<string, TracedImage>();

  constructor(resources: readonly PolicyResource[]) {
    for (const resource of resources) {
      const surface = launchSurfaceOf(resource.type);
      if (surface) {
        this.surfaces.push({ resource, surface });
        this.indexCloudId(resource);
        const idOutput = SOURCE_ID_OUTPUTS.get(resource.type);
        if (idOutput) this.indexCloudId(resource, idOutput);
        if (surface.instanceIdsOutput) {
          for (const id of readStringList(resource.props, surface.instanceIdsOutput).known)
            this.byCloudId.set(id, resource);
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
      } else if (resource.type === ECS_IMAGE_TYPE || resource.type === ECS_IMAGE_COPY_TYPE) {
        this.producers.add(resource);
        this.indexCloudId(resource);
        for (const key of ["imageName", "name"]) {
          const name = knownString(resource.props, key);
          if (name) this.imagesByName.set(name, resource);
        }
      } else if (ECS_SNAPSHOT_TYPES.includes(resource.type)) {
        this.snapshots.add(resource);
        this.indexCloudId(resource);
      }
    }
  }

  /** The resource in this stack with that cloud ID (instance, instance set member, template, node group, command). */
  byId(id: string): PolicyResource | undefined {
    return this.byCloudId.get(id);
  }

  launchTemplateNamed(name: string): PolicyResource | undefined {
    return this.templatesByName.get(name);
  }

  /** Whether the resource makes an image in this stack (`ecs.Image`, `ecs.ImageCopy`). */
  isImageProducer(resource: PolicyResource): boolean {
    return this.producers.has(resource);
  }

  /** The `ecs.Image` / `ecs.ImageCopy` of this stack with that image ID, if any. */
  imageProducerById(id: string): PolicyResource | undefined {
    const found = this.byCloudId.get(id);
    return found && this.producers.has(found) ? found : undefined;
  }

  /** The `ecs.Image` / `ecs.ImageCopy` of this stack with that image name, if any. */
  imageNamed(name: string): PolicyResource | undefined {
    return this.imagesByName.get(name);
  }

  isSnapshot(resource: PolicyResource): boolean {
    return this.snapshots.has(resource);
  }

  snapshotById(id: string): PolicyResource | undefined {
    const found = this.byCloudId.get(id);
    return found && this.snapshots.has(found) ? found : undefined;
  }

  private indexCloudId(resource: PolicyResource, property = "id"): void {
    const id = knownString(resource.props, property);
    if (id) this.byCloudId.set(id, resource);
  }
}
