// The runs `npm run demo` shows and test/e2e checks: one bundled example, optionally with a policy pack config.

export type Outcome =
  /** `pulumi preview` exits non-zero with at least one mandatory violation. */
  | "blocked"
  /** `pulumi preview` exits zero: no mandatory violation (advisories may show). */
  | "passes"
  /** The engine refuses the policy pack config before any policy runs. */
  | "config-rejected";

/**
 * The example's program language (its Pulumi.yaml `runtime`), which decides the CLI that runs it: `nodejs` programs
 * run on the CLI with a Node.js language host (v3.68.0), `yaml` programs on the current CLI (v3.276.0).
 */
export type ProgramRuntime = "nodejs" | "yaml";

export interface Scenario {
  readonly id: string;
  /** Folder under examples/. */
  readonly example: string;
  /** Default `nodejs`; a spec checks it against the example's Pulumi.yaml. */
  readonly runtime?: ProgramRuntime;
  /** `--policy-pack-config` file, relative to the repository root. */
  readonly policyPackConfig?: string;
  readonly title: string;
  readonly expected: Outcome;
  /** Logical names of the resources a mandatory violation must block (for "blocked"). */
  readonly blockedResources?: readonly string[];
}

export const SCENARIOS: readonly Scenario[] = [
  {
    id: "affected-instance",
    example: "affected-instance",
    title: "ECS instance on an affected Alibaba Cloud Linux 2.1903 image, no hotfix",
    expected: "blocked",
    blockedResources: ["web"],
  },
  {
    id: "companion-stack",
    example: "companion-stack",
    title: "the companion stack: same affected image, hotfix applied through Cloud Assistant",
    expected: "passes",
  },
  {
    id: "launch-template-scaling",
    example: "launch-template-scaling",
    title: "launch template + scaling group + scaling configuration on the affected image",
    expected: "blocked",
    blockedResources: ["workers-template", "workers-from-template", "batch-config"],
  },
  {
    id: "image-lineage",
    example: "image-lineage",
    title: "an ecs.Image made from an instance on the affected image, and an instance launched from it",
    expected: "blocked",
    blockedResources: ["builder", "app"],
  },
  {
    id: "lingjun-node-group",
    example: "lingjun-node-group",
    title: "Lingjun nodes added to a node group on the affected image: the group and one node carry the hotfix",
    expected: "blocked",
    blockedResources: ["gpu-node-b"],
  },
  {
    id: "custom-image-undeclared",
    example: "custom-image-config",
    title: "custom image (m-…) whose kernel nobody declared",
    expected: "passes",
  },
  {
    id: "custom-image-declared",
    example: "custom-image-config",
    policyPackConfig: "examples/custom-image-config/policy-config.json",
    title: "the same custom image, kernel 4.19.91-22.2.al7 declared in imageKernels",
    expected: "blocked",
    blockedResources: ["api"],
  },
  {
    id: "exempted-instance",
    example: "exempted-instance",
    policyPackConfig: "examples/exempted-instance/policy-config.json",
    title: "affected instance with an exemption (reason + expiry) in the pack config",
    expected: "passes",
  },
  {
    id: "fixed-image",
    example: "fixed-image",
    title: "ECS instance on an image past every known advisory (kernel 4.19.91-24.al7)",
    expected: "passes",
  },
  {
    id: "overlayfs-fixed-image",
    example: "overlayfs-fixed-image",
    title:
      "ECS instance on the 2021-03-25 image (kernel 4.19.91-23.al7): past the OverlayFS leak, inside 272587 and 277447",
    expected: "passes",
  },
  {
    id: "overlayfs-fixed-image-strict",
    example: "overlayfs-fixed-image",
    policyPackConfig: "examples/overlayfs-fixed-image/policy-config.strict.json",
    title: "the same instance with the 272587 and 277447 policies set to mandatory",
    expected: "blocked",
    blockedResources: ["web"],
  },
  {
    id: "invalid-config",
    example: "exempted-instance",
    policyPackConfig: "examples/exempted-instance/policy-config.invalid.json",
    title: "a pack config whose exemption has an empty reason",
    expected: "config-rejected",
  },
  {
    id: "invalid-kernel",
    example: "custom-image-config",
    policyPackConfig: "examples/custom-image-config/policy-config.invalid-kernel.json",
    title: "a declared kernel without its .al7 release tag (the pack could not judge it)",
    expected: "config-rejected",
  },
  // The same situations as YAML programs, for a current engine (pulumi v3.276.0 + pulumi-language-yaml).
  {
    id: "yaml-affected-instance",
    example: "yaml-affected-instance",
    runtime: "yaml",
    title: "YAML program: ECS instance on an affected Alibaba Cloud Linux 2.1903 image, no hotfix",
    expected: "blocked",
    blockedResources: ["web"],
  },
  {
    id: "yaml-hotfix-cloud-assistant",
    example: "yaml-hotfix-cloud-assistant",
    runtime: "yaml",
    title: "YAML program: the companion's hotfix script as a Cloud Assistant command invoked on the instance",
    expected: "passes",
  },
  {
    id: "yaml-launch-template-scaling",
    example: "yaml-launch-template-scaling",
    runtime: "yaml",
    title: "YAML program: launch template + scaling group + scaling configuration on the affected image",
    expected: "blocked",
    blockedResources: ["workers-template", "workers-from-template", "batch-config"],
  },
  {
    id: "yaml-exempted-instance",
    example: "yaml-exempted-instance",
    runtime: "yaml",
    policyPackConfig: "examples/exempted-instance/policy-config.json",
    title: "YAML program: affected instance with an exemption (reason + expiry) in the pack config",
    expected: "passes",
  },
  {
    id: "yaml-invalid-config",
    example: "yaml-exempted-instance",
    runtime: "yaml",
    policyPackConfig: "examples/exempted-instance/policy-config.invalid.json",
    title: "YAML program: a pack config whose exemption has an empty reason",
    expected: "config-rejected",
  },
];

export function runtimeOf(s: Scenario): ProgramRuntime {
  return s.runtime ?? "nodejs";
}
