// The rules a report describes: each policy's own metadata, as the pack declares it (name, display name,
// description, remediation steps, advisory URL, severity, tags, default level, resource or stack policy).
//
// This repository's pack is read in process from its sources (policies/src/pack/createPolicies.ts, the same
// createPolicies() its index.ts hands to PolicyPack), so the rules always match the pack that ran. A policy of any
// other pack, or a policy this pack does not define (an older or newer version ran), gets a minimal rule built from
// the event alone: its name, its pack, and the severity the event carries — never a crash.
import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { Policies } from "@pulumi/policy";
import { createPolicies, PACK_NAME } from "../policies/src/pack/createPolicies";
import type { EnforcementLevel, Severity } from "./policyRun";

export interface PolicyRule {
  readonly policyPack: string;
  readonly policy: string;
  /** The policy's display name (its name for a minimal rule). */
  readonly title: string;
  readonly description?: string;
  readonly remediation?: string;
  readonly helpUri?: string;
  readonly severity?: Severity;
  readonly tags: readonly string[];
  readonly defaultLevel?: EnforcementLevel;
  readonly policyType?: "resource" | "stack";
  /** False for a rule made from the event alone (a foreign pack, or a policy this pack does not define). */
  readonly fromPackMetadata: boolean;
}

export interface PackRules {
  /** The rule for a policy, full when the pack's metadata is known, minimal otherwise. */
  ruleFor(policyPack: string, policy: string, severity?: Severity): PolicyRule;
  /**
   * The text the policy reported: the message without the policy's description line, which the SDK puts first when a
   * policy reports in the documented form (this pack's advisory policies report without it).
   */
  reportedText(policyPack: string, policy: string, message: string): string;
}

const PACK_DIR = path.resolve(__dirname, "..", "policies");

/** The name and version of this repository's pack (policies/package.json). */
export const OWN_PACK = {
  name: PACK_NAME,
  version: (JSON.parse(readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as { version: string }).version,
};

function rulesOf(pack: string, policies: Policies): Map<string, PolicyRule> {
  const rules = new Map<string, PolicyRule>();
  for (const p of policies) {
    rules.set(p.name, {
      policyPack: pack,
      policy: p.name,
      title: p.displayName ?? p.name,
      description: p.description,
      ...(p.remediationSteps ? { remediation: p.remediationSteps } : {}),
      ...(p.url ? { helpUri: p.url } : {}),
      ...(p.severity ? { severity: p.severity } : {}),
      tags: [...(p.tags ?? [])],
      ...(typeof p.enforcementLevel === "string" ? { defaultLevel: p.enforcementLevel } : {}),
      policyType: "validateStack" in p ? "stack" : "resource",
      fromPackMetadata: true,
    });
  }
  return rules;
}

export function createPackRules(): PackRules {
  const own = rulesOf(OWN_PACK.name, createPolicies());
  const known = (pack: string, policy: string) => (pack === OWN_PACK.name ? own.get(policy) : undefined);
  return {
    ruleFor(policyPack, policy, severity) {
      return (
        known(policyPack, policy) ?? {
          policyPack,
          policy,
          title: policy,
          ...(severity ? { severity } : {}),
          tags: [],
          fromPackMetadata: false,
        }
      );
    },
    reportedText(policyPack, policy, message) {
      const description = known(policyPack, policy)?.description;
      const [first, ...rest] = message.split("\n");
      const reported = description !== undefined && first?.trim() === description.trim() ? rest.join("\n") : message;
      return reported.trim();
    },
  };
}
