/**
 * Runs the pack's policies in-process the way the Node policy runtime runs them, for unit specs:
 * - props travel as the engine sends them: through a protobuf `Struct` and the SDK's own `deserializeProperties`
 *   (secrets arrive in plaintext, unknowns stay sentinels), then wrapped in the SDK's `unknownCheckingProxy`;
 * - config is reconciled like the engine does: schema defaults and declared enforcement levels, then the
 *   `--policy-pack-config` document (with `"all"`), validated against each policy's schema;
 * - the SDK's outcomes are mirrored: an `UnknownValueError` becomes the advisory "can't run policy … during
 *   preview", `notApplicable` is recorded, `disabled` policies do not run, messages are `description + "\n" + message`.
 * The out-of-process, gRPC harness in tools/engine is the engine-faithful counterpart.
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import { UNKNOWN as ENGINE_UNKNOWN, secret } from "../../tools/engine/sentinels";
import { ResourceNaming, type ResourceInput, type StackResourceInput } from "../../tools/engine/requests";
import type { Policies, Policy, PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { createPolicies } from "../../policies/src/pack/createPolicies";
import { createPackContext, PackContext } from "../../policies/src/pack/packContext";
import {
  parsePolicyPackConfig,
  PolicyMetadata,
  PolicyPackConfigFile,
  reconcilePolicyPackConfig,
} from "../../tools/engine/policyPackConfig";
import { UNIT_NAMING } from "./stackFixtures";

const packRequire = createRequire(path.join(__dirname, "../../policies/package.json"));
const { Struct } = packRequire("google-protobuf/google/protobuf/struct_pb") as {
  Struct: { fromJavaScript(value: Record<string, unknown>): unknown };
};
const { deserializeProperties } = packRequire("@pulumi/policy/deserialize") as {
  deserializeProperties: (struct: unknown, keepSecrets: boolean) => Record<string, unknown>;
};
const policySdk = packRequire("@pulumi/policy") as {
  unknownCheckingProxy<T extends object>(value: T): T;
  UnknownValueError: new (...args: never[]) => Error;
};

/** Engine sentinels, the harness's (tools/engine/sentinels.ts): one definition for unit and harness specs. */
export const UNKNOWN = ENGINE_UNKNOWN.string;
export const UNKNOWN_ARRAY = ENGINE_UNKNOWN.array;
export { secret };
/** Resources in the fixtures' dialect (test/support/stackFixtures.ts), the same the gRPC harness sends. */
export type { StackResourceInput };

export interface Violation {
  readonly policyName: string;
  readonly enforcementLevel: string;
  readonly severity?: string;
  readonly message: string;
  readonly urn?: string;
}

export interface PolicyRun {
  readonly violations: Violation[];
  readonly notApplicable: { readonly policyName: string; readonly reason: string }[];
}

/** `--policy-pack-config` document: policy name (or "all") → level or {enforcementLevel?, ...properties}. */
export type PackConfigDocument = Record<string, string | Record<string, unknown>>;

export interface RunOptions {
  readonly context?: PackContext;
  readonly stack?: string;
  readonly project?: string;
}

/** URNs as the engine assigns them, for the stack and project the run pretends to be (by default the fixtures'). */
function namingOf(options: RunOptions): ResourceNaming {
  if (options.stack === undefined && options.project === undefined) return UNIT_NAMING;
  return new ResourceNaming(options.stack ?? UNIT_NAMING.stack, options.project ?? UNIT_NAMING.project);
}

/** Every stack policy of the pack over these resources (what AnalyzeStack does). */
export async function runStackPolicies(
  resources: readonly StackResourceInput[],
  config: PackConfigDocument = {},
  options: RunOptions = {},
): Promise<Violation[]> {
  return (await runStack(resources, config, options)).violations;
}

export async function runStack(
  resources: readonly StackResourceInput[],
  config: PackConfigDocument = {},
  options: RunOptions = {},
): Promise<PolicyRun> {
  const { policies, levelOf, configOf, run } = prepareRun(config, options);
  for (const policy of policies) {
    if (!isStackPolicy(policy) || levelOf(policy) === "disabled") continue;
    const policyResources = toPolicyResources(resources, options);
    await runOne(policy, levelOf(policy), run, (report) =>
      policy.validateStack(
        {
          resources: policyResources,
          getConfig: configOf(policy),
          stackTags: new Map(),
          notApplicable: throwNotApplicable,
        },
        report,
      ),
    );
  }
  return run;
}

/** The pack's policies with their reconciled levels and config, and an empty result to fill. */
function prepareRun(config: PackConfigDocument, options: RunOptions) {
  const policies = createPolicies(options.context ?? createPackContext());
  const reconciled = reconcileConfig(policies, config);
  const run: PolicyRun = { violations: [], notApplicable: [] };
  return {
    policies,
    run,
    levelOf: (policy: Policy) => reconciled[policy.name].enforcementLevel,
    configOf:
      (policy: Policy) =>
      <T>() =>
        reconciled[policy.name].properties as T,
  };
}

/** Every resource policy of the pack on one resource's inputs (what Analyze does). */
export async function runResourcePolicies(
  resource: ResourceInput,
  config: PackConfigDocument = {},
  options: RunOptions = {},
): Promise<PolicyRun> {
  const { policies, levelOf, configOf, run } = prepareRun(config, options);
  const urn = namingOf(options).urnOf(resource);
  for (const policy of policies) {
    if (!isResourcePolicy(policy) || levelOf(policy) === "disabled") continue;
    const validate = policy.validateResource;
    if (!validate) continue;
    const validations = Array.isArray(validate) ? validate : [validate];
    for (const validation of validations) {
      const props = engineProps(resource.props ?? {});
      await runOne(policy, levelOf(policy), run, (report) =>
        validation(
          {
            type: resource.type,
            props,
            urn,
            name: resource.name,
            opts: {
              protect: false,
              ignoreChanges: [],
              aliases: [],
              customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
              additionalSecretOutputs: [],
            },
            stackTags: new Map(),
            isType: () => false,
            asType: () => undefined,
            getConfig: configOf(policy),
            notApplicable: throwNotApplicable,
          } as never,
          report,
        ),
      );
    }
  }
  return run;
}

class NotApplicableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

function throwNotApplicable(reason?: string): never {
  throw new NotApplicableError(reason ?? "");
}

type Report = (message: string, urn?: string) => void;

async function runOne(policy: Policy, level: string, run: PolicyRun, body: (report: Report) => unknown): Promise<void> {
  const effective = level === "remediate" ? "mandatory" : level;
  const report: Report = (message, urn) =>
    run.violations.push({
      policyName: policy.name,
      enforcementLevel: effective,
      severity: policy.severity,
      message: `${policy.description}\n${message}`,
      urn,
    });
  try {
    await body(report);
  } catch (error) {
    if (error instanceof policySdk.UnknownValueError) {
      run.violations.push({
        policyName: policy.name,
        enforcementLevel: "advisory",
        severity: policy.severity,
        message: `can't run policy '${policy.name}' from policy pack 'alinux-guard@v0.1.0' during preview: ${error.message}`,
      });
    } else if (error instanceof NotApplicableError) {
      run.notApplicable.push({ policyName: policy.name, reason: error.reason });
    } else {
      throw error;
    }
  }
}

/** Props as a policy receives them: protobuf round trip, SDK deserialisation, unknown-checking proxy. */
export function engineProps(props: Record<string, unknown>): Record<string, unknown> {
  return policySdk.unknownCheckingProxy(deserializeProperties(Struct.fromJavaScript(props), false));
}

function toPolicyResources(inputs: readonly StackResourceInput[], options: RunOptions): PolicyResource[] {
  const naming = namingOf(options);
  const byUrn = new Map<string, PolicyResource>();
  const pending: { resource: PolicyResource; input: StackResourceInput }[] = [];
  for (const input of inputs) {
    const urn = naming.urnOf(input);
    const resource = {
      type: input.type,
      name: input.name,
      urn,
      props: engineProps(input.props ?? {}),
      opts: {
        protect: false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
      dependencies: [] as PolicyResource[],
      propertyDependencies: {} as Record<string, PolicyResource[]>,
      isType: () => false,
      asType: () => undefined,
    } as unknown as PolicyResource;
    byUrn.set(urn, resource);
    pending.push({ resource, input });
  }
  for (const { resource, input } of pending) {
    const mutable = resource as {
      parent?: PolicyResource;
      dependencies: PolicyResource[];
      propertyDependencies: Record<string, PolicyResource[]>;
    };
    const linked = (links: readonly (string | ResourceInput)[]) =>
      links.map((link) => byUrn.get(naming.toUrn(link))).filter((r): r is PolicyResource => !!r);
    if (input.parent) mutable.parent = byUrn.get(naming.toUrn(input.parent));
    mutable.dependencies = linked(input.dependencies ?? []);
    for (const [key, links] of Object.entries(input.propertyDependencies ?? {}))
      mutable.propertyDependencies[key] = linked(links);
  }
  return pending.map((p) => p.resource);
}

function isStackPolicy(policy: Policy): policy is StackValidationPolicy {
  return typeof (policy as StackValidationPolicy).validateStack === "function";
}

function isResourcePolicy(policy: Policy): policy is ResourceValidationPolicy {
  return (policy as ResourceValidationPolicy).validateResource !== undefined;
}

interface ReconciledPolicyConfig {
  enforcementLevel: string;
  properties: Record<string, unknown>;
}

/**
 * The engine's reconciliation (schema defaults and declared levels, then the `--policy-pack-config` document,
 * then schema validation), through the same port of `pkg/resource/analyzer/config.go` the gRPC harness uses.
 * Throws on config the engine would reject.
 */
export function reconcileConfig(
  policies: Policies,
  document: PackConfigDocument,
): Record<string, ReconciledPolicyConfig> {
  const metadata: PolicyMetadata[] = policies.map((policy) => ({
    name: policy.name,
    enforcementLevel: policy.enforcementLevel ?? "advisory",
    configSchema: policy.configSchema,
  }));
  const { config, validationErrors } = reconcilePolicyPackConfig(
    metadata,
    undefined,
    parsePolicyPackConfig(document as PolicyPackConfigFile),
  );
  if (!config) throw new Error(validationErrors.join("\n"));
  const result: Record<string, ReconciledPolicyConfig> = {};
  for (const policy of policies) {
    const entry = config[policy.name];
    result[policy.name] = {
      enforcementLevel: entry?.enforcementLevel ?? "advisory",
      properties: entry?.properties ?? {},
    };
  }
  return result;
}
