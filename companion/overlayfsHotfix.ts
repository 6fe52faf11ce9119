/**
 * OverlayfsHotfix: applies Alibaba's OverlayFS dentry-leak kernel hotfix (kernel-hotfix-4375449) to ECS
 * instances through Cloud Assistant the moment they exist. One `alicloud.ecs.Command` (RunShellScript,
 * Base64 content = the hotfix script) and one `alicloud.ecs.EcsInvocation` per batch of at most 50
 * instance IDs. This is the building block other stacks import to pass the alinux-guard policy pack,
 * which recognises the mitigation by what it does (an invocation whose `instanceIds` reference the
 * instance and whose command installs kernel-hotfix-4375449 with yum).
 */
import * as alicloud from "@pulumi/alicloud";
import * as pulumi from "@pulumi/pulumi";
import { hotfixCommandContent, HotfixScriptOptions, hotfixUserData, HotfixUserData } from "./hotfixDelivery";

/** An ECS instance to fix: a resource of this program (e.g. `alicloud.ecs.Instance`) or an instance ID. */
export type InstanceRef = pulumi.CustomResource | pulumi.Input<string>;

/** InvokeCommand accepts 1 to 50 instance IDs per call (alicloud_ecs_invocation `instance_id`: up to 50). */
export const MAX_INSTANCES_PER_INVOCATION = 50;

/**
 * Cloud Assistant's default command timeout is 60 s, too short for yum. 30 min covers the slowest branch
 * (a kernel update) plus the default 10 min wait for a held yum lock. No maximum is documented.
 */
export const DEFAULT_COMMAND_TIMEOUT_SECONDS = 1800;

/**
 * Time the invocation create may take beyond the command timeout: delivery (a command not delivered
 * within 1 minute is Aborted), the provider's 5 s polling delay, scheduling slack.
 */
export const INVOCATION_TIMEOUT_MARGIN_SECONDS = 600;

export interface OverlayfsHotfixArgs extends HotfixScriptOptions {
  /**
   * The instances to fix. Resources get a property dependency (their `id` feeds `instanceIds`) and an
   * explicit `dependsOn`; plain IDs (brownfield) are passed as they are. The list itself must be known
   * when the program runs (it decides how many invocations exist); the IDs inside may be outputs.
   */
  instances: InstanceRef[];
  /** Cloud Assistant command timeout in seconds. Default {@link DEFAULT_COMMAND_TIMEOUT_SECONDS}. */
  commandTimeoutSeconds?: number;
  /** Instance IDs per invocation, 1..50. Default 50. */
  batchSize?: number;
  /** Name of the Cloud Assistant command. Default `alinux-overlayfs-hotfix-4375449`. */
  commandName?: pulumi.Input<string>;
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error(`batch size must be a positive integer, got ${size}`);
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/** The invocation create timeout for a command timeout, as a Pulumi duration string (whole minutes). */
export function invocationCreateTimeout(commandTimeoutSeconds: number): string {
  return `${Math.ceil((commandTimeoutSeconds + INVOCATION_TIMEOUT_MARGIN_SECONDS) / 60)}m`;
}

function instanceId(ref: InstanceRef): pulumi.Input<string> {
  return pulumi.CustomResource.isInstance(ref) ? ref.id : ref;
}

export class OverlayfsHotfix extends pulumi.ComponentResource {
  /** The Cloud Assistant command holding the hotfix script. */
  readonly command: alicloud.ecs.Command;
  /** One invocation per batch of at most 50 instances, in the order of `args.instances`. */
  readonly invocations: alicloud.ecs.EcsInvocation[];
  readonly commandId: pulumi.Output<string>;
  readonly invocationIds: pulumi.Output<string[]>;
  /** InvocationStatus of each invocation (e.g. `Success`), in the order of `invocations`. */
  readonly invocationStatuses: pulumi.Output<string[]>;
  /** `Success` when every invocation succeeded (or there is none); otherwise the first other status. */
  readonly status: pulumi.Output<string>;
  /** The same script as user data, for launch templates, scaling configurations and node pools. */
  readonly userData: HotfixUserData;

  constructor(name: string, args: OverlayfsHotfixArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validate before registering anything.
    const timeout = args.commandTimeoutSeconds ?? DEFAULT_COMMAND_TIMEOUT_SECONDS;
    if (!Number.isInteger(timeout) || timeout < 60) {
      throw new Error(`commandTimeoutSeconds must be a whole number of seconds >= 60, got ${timeout}`);
    }
    const batchSize = args.batchSize ?? MAX_INSTANCES_PER_INVOCATION;
    if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_INSTANCES_PER_INVOCATION) {
      throw new Error(`batchSize must be an integer from 1 to ${MAX_INSTANCES_PER_INVOCATION}, got ${batchSize}`);
    }
    super("alinux-guard:companion:OverlayfsHotfix", name, {}, opts);
    const scriptOptions: HotfixScriptOptions = { allowReboot: args.allowReboot ?? false };
    this.userData = hotfixUserData(scriptOptions);

    this.command = new alicloud.ecs.Command(
      `${name}-command`,
      {
        name: args.commandName ?? "alinux-overlayfs-hotfix-4375449",
        description: "alinux-guard: OverlayFS dentry-leak kernel hotfix (kernel-hotfix-4375449, advisory 273061)",
        type: "RunShellScript",
        commandContent: hotfixCommandContent(scriptOptions),
        timeout,
        enableParameter: false,
      },
      { parent: this },
    );

    this.invocations = chunk(args.instances, batchSize).map(
      (batch, i) =>
        new alicloud.ecs.EcsInvocation(
          `${name}-batch-${i}`,
          {
            commandId: this.command.id,
            instanceIds: batch.map(instanceId),
            repeatMode: "Once",
          },
          {
            parent: this,
            dependsOn: batch.filter((ref): ref is pulumi.CustomResource => pulumi.CustomResource.isInstance(ref)),
            // The provider waits until the invocation reaches Success; its default create timeout is 1 minute.
            customTimeouts: { create: invocationCreateTimeout(timeout) },
          },
        ),
    );

    this.commandId = this.command.id;
    this.invocationIds = pulumi.all(this.invocations.map((inv) => inv.id));
    this.invocationStatuses = pulumi.all(this.invocations.map((inv) => inv.status));
    this.status = this.invocationStatuses.apply((statuses) => statuses.find((s) => s !== "Success") ?? "Success");
    this.registerOutputs({
      commandId: this.commandId,
      invocationIds: this.invocationIds,
      invocationStatuses: this.invocationStatuses,
      status: this.status,
    });
  }
}
