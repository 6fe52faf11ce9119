// `alinux-guard/library`: the pack's policies, for an organisation's own policy pack.
//
//   import { PolicyPack } from "@pulumi/policy";
//   import { alinuxGuardPolicies } from "alinux-guard/library";
//
//   new PolicyPack("acme-guard", {
//     policies: [
//       ...alinuxGuardPolicies({ all: "mandatory", "alinux2-end-of-life": "advisory" }),
//       acmeOwnPolicy,
//     ],
//   });
//
// The options have the shape of a `--policy-pack-config` file (policy name → enforcement level, or → an object with
// `enforcementLevel` and the policy's config), plus `"all"` for every policy, as AWSGuard's `new AwsGuard({ all })`.
// A policy's config given here becomes the default of its config schema: the engine fills it in, validates it with
// the rest, and a `--policy-pack-config` of the composed pack still overrides it key by key.
//
// This module only builds policy objects. It never constructs a PolicyPack, so importing it starts no policy server
// (index.ts, the pack's own entry point, does).
import type { EnforcementLevel, Policies, Policy, PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchemaType } from "@pulumi/policy/schema";
import type { AdvisoryPolicyConfig, KernelUnknownPolicyConfig } from "./src/config/configSchema";
import { createPolicies, PACK_NAME } from "./src/pack/createPolicies";

export { PACK_NAME };

const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

/** One policy's options: an enforcement level, or an enforcement level and/or the policy's config. */
export type PolicyOptions<Config = Record<string, unknown>> =
  EnforcementLevel | ({ readonly enforcementLevel?: EnforcementLevel } & Config);

export interface AlinuxGuardOptions {
  /** Enforcement level of every policy; a policy's own entry wins over it. */
  readonly all?: EnforcementLevel;
  readonly "alinux2-overlayfs-dentry-leak"?: PolicyOptions<AdvisoryPolicyConfig>;
  readonly "alinux2-released-inode-crash"?: PolicyOptions<AdvisoryPolicyConfig>;
  readonly "alinux2-page-fault-crash"?: PolicyOptions<AdvisoryPolicyConfig>;
  readonly "alinux-image-kernel-unknown"?: PolicyOptions<KernelUnknownPolicyConfig>;
  readonly "alinux2-end-of-life"?: PolicyOptions<object>;
  /** Policies added to the pack later are configured by name in the same way. */
  // `any`, not `unknown`: the named entries above (config interfaces, which have no index signature) must fit it.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
  readonly [policyName: string]: PolicyOptions<Record<string, any>> | undefined;
}

function checkLevel(level: unknown, where: string): EnforcementLevel {
  if (typeof level !== "string" || !(ENFORCEMENT_LEVELS as readonly string[]).includes(level)) {
    throw new Error(
      `alinuxGuardPolicies: ${where} must be one of ${ENFORCEMENT_LEVELS.join(", ")}, got ${JSON.stringify(level)}`,
    );
  }
  return level as EnforcementLevel;
}

/** The policy's config schema with the given values as its defaults; every key must be one the policy has. */
function withDefaults(policy: Policy, config: Readonly<Record<string, unknown>>): PolicyConfigSchema | undefined {
  const keys = Object.keys(config).filter((k) => config[k] !== undefined);
  if (keys.length === 0) return policy.configSchema;
  const schema = policy.configSchema;
  const known = Object.keys(schema?.properties ?? {});
  const unknown = keys.filter((k) => !known.includes(k));
  if (!schema || unknown.length > 0) {
    throw new Error(
      `alinuxGuardPolicies: policy ${policy.name} has no config ${unknown.join(", ")}` +
        (known.length ? ` (its config: ${known.join(", ")})` : " (it takes no config)"),
    );
  }
  const properties = { ...schema.properties };
  for (const key of keys)
    properties[key] = { ...properties[key], default: structuredClone(config[key]) as PolicyConfigJSONSchemaType };
  return { ...schema, properties };
}

/**
 * The alinux-guard policies (every policy of the pack, from createPolicies(), so policies added later are included),
 * with the enforcement levels and config of `options`. Throws on an unknown policy name, an invalid enforcement
 * level or an unknown config key; the config values themselves are validated by the engine, against the policy's
 * schema, when the composed pack starts.
 */
export function alinuxGuardPolicies(options: AlinuxGuardOptions = {}): Policies {
  const policies = createPolicies();
  const names = policies.map((p) => p.name);
  for (const key of Object.keys(options)) {
    if (key !== "all" && !names.includes(key)) {
      throw new Error(
        `alinuxGuardPolicies: no policy ${JSON.stringify(key)} in ${PACK_NAME} (its policies: ${names.join(", ")}; "all" sets every one)`,
      );
    }
  }
  const all = options.all === undefined ? undefined : checkLevel(options.all, `"all"`);
  return policies.map((policy) => {
    const given = options[policy.name];
    if (given === undefined) return all === undefined ? policy : { ...policy, enforcementLevel: all };
    if (typeof given === "string") return { ...policy, enforcementLevel: checkLevel(given, policy.name) };
    const { enforcementLevel, ...config } = given as { enforcementLevel?: unknown } & Record<string, unknown>;
    const level =
      enforcementLevel === undefined
        ? (all ?? policy.enforcementLevel)
        : checkLevel(enforcementLevel, `${policy.name}.enforcementLevel`);
    return { ...policy, enforcementLevel: level, configSchema: withDefaults(policy, config) };
  });
}
