// The analyzer protocol's responses as plain data: what GetAnalyzerInfo, Analyze / AnalyzeStack and Remediate
// return, decoded from the pack's protobuf messages the way the engine reads them (enforcement levels and
// severities by their enum numbers in pulumi/pulumi proto/pulumi/analyzer.proto).
import type * as AnalyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import type { AnalyzerPolicyConfig, EnforcementLevel } from "./policyPackConfig";

export type Severity = "low" | "medium" | "high" | "critical";
export type PolicyType = "resource" | "stack";

export interface PolicyInfoView {
  name: string;
  displayName: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  policyType?: PolicyType;
  severity?: Severity;
  configSchema?: { properties: Record<string, unknown>; required: string[] };
  framework?: { name: string; version: string; reference: string; specification: string };
  tags: string[];
  remediationSteps: string;
  url: string;
}

export interface AnalyzerInfoView {
  name: string;
  displayName: string;
  version: string;
  supportsConfig: boolean;
  description: string;
  readme: string;
  provider: string;
  tags: string[];
  repository: string;
  policies: PolicyInfoView[];
  initialConfig: Record<string, AnalyzerPolicyConfig>;
}

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  /** Empty for a resource policy (the engine attributes it to the analysed resource) or an unattributed stack violation (root stack). */
  urn: string;
  severity?: Severity;
}

export interface NotApplicable {
  policyName: string;
  reason: string;
}

export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: NotApplicable[];
}

export interface RemediationView {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  /** New property values, or undefined when the policy only produced a diagnostic. */
  properties?: Record<string, unknown>;
  diagnostic: string;
}

export interface RemediateResult {
  remediations: RemediationView[];
  notApplicable: NotApplicable[];
}

/** Enforcement levels by their protocol number, and back. */
export const LEVELS: Record<number, EnforcementLevel> = {
  0: "advisory",
  1: "mandatory",
  2: "disabled",
  3: "remediate",
};
export const LEVEL_NUM: Record<EnforcementLevel, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };
const SEVERITIES: Record<number, Severity | undefined> = {
  0: undefined,
  1: "low",
  2: "medium",
  3: "high",
  4: "critical",
};
const POLICY_TYPES: Record<number, PolicyType | undefined> = { 0: undefined, 1: "resource", 2: "stack" };

/** GetAnalyzerInfo as plain data. */
export function toAnalyzerInfoView(resp: AnalyzerPb.AnalyzerInfo): AnalyzerInfoView {
  const policies: PolicyInfoView[] = resp.getPoliciesList().map((p) => {
    const schema = p.getConfigschema();
    const fw = p.getFramework();
    const pt = p.getPolicyType();
    return {
      name: p.getName(),
      displayName: p.getDisplayname(),
      description: p.getDescription(),
      message: p.getMessage(),
      enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory",
      policyType: POLICY_TYPES[pt],
      severity: SEVERITIES[p.getSeverity()],
      configSchema: schema
        ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() }
        : undefined,
      framework: fw
        ? {
            name: fw.getName(),
            version: fw.getVersion(),
            reference: fw.getReference(),
            specification: fw.getSpecification(),
          }
        : undefined,
      tags: p.getTagsList(),
      remediationSteps: p.getRemediationSteps(),
      url: p.getUrl(),
    };
  });
  const initialConfig: Record<string, AnalyzerPolicyConfig> = {};
  resp.getInitialconfigMap().forEach((v: AnalyzerPb.PolicyConfig, k: string) => {
    const props = v.getProperties()?.toJavaScript() as Record<string, unknown> | undefined;
    initialConfig[k] = {
      enforcementLevel: LEVELS[v.getEnforcementlevel()],
      properties: props && Object.keys(props).length > 0 ? props : undefined,
    };
  });
  return {
    name: resp.getName(),
    displayName: resp.getDisplayname(),
    version: resp.getVersion(),
    supportsConfig: resp.getSupportsconfig(),
    description: resp.getDescription(),
    readme: resp.getReadme(),
    provider: resp.getProvider(),
    tags: resp.getTagsList(),
    repository: resp.getRepository(),
    policies,
    initialConfig,
  };
}

export function toAnalyzeResult(resp: AnalyzerPb.AnalyzeResponse): AnalyzeResult {
  return {
    diagnostics: resp.getDiagnosticsList().map((d) => ({
      policyName: d.getPolicyname(),
      policyPackName: d.getPolicypackname(),
      policyPackVersion: d.getPolicypackversion(),
      description: d.getDescription(),
      message: d.getMessage(),
      enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
      urn: d.getUrn(),
      severity: SEVERITIES[d.getSeverity()],
    })),
    notApplicable: resp.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
  };
}

/** A RemediateResponse as plain data. */
export function toRemediateResult(resp: AnalyzerPb.RemediateResponse): RemediateResult {
  return {
    remediations: resp.getRemediationsList().map((x) => ({
      policyName: x.getPolicyname(),
      policyPackName: x.getPolicypackname(),
      policyPackVersion: x.getPolicypackversion(),
      description: x.getDescription(),
      properties: x.getProperties()?.toJavaScript(),
      diagnostic: x.getDiagnostic(),
    })),
    notApplicable: resp.getNotApplicableList().map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
  };
}
