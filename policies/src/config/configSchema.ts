import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

import { DECLARED_KERNEL_PATTERN, KERNEL_RELEASE_PATTERN } from "../knowledge/kernelRelease";

/** `4.19.91-21.al7`, `kernel-4.19.91-21.al7.x86_64`: what `uname -r` or `rpm -q kernel` prints. */
export { DECLARED_KERNEL_PATTERN, KERNEL_RELEASE_PATTERN };

export const imageKernelsSchema: PolicyConfigJSONSchema = {
  type: "object",
  description:
    'Kernels of images the catalog cannot know (custom, shared, marketplace): image ID → Alibaba Cloud Linux 2 kernel release as `uname -r` prints it (`<version>-<release>.al7`, optional `kernel-` and `.x86_64`/`.aarch64`), e.g. {"m-bp1abc": "4.19.91-21.al7.x86_64"}. Adds to and overrides the pack\'s image-kernels.json for this policy; a declared kernel also overrides the catalog for a public image.',
  additionalProperties: { type: "string", pattern: DECLARED_KERNEL_PATTERN },
  default: {},
};

export const exemptionsSchema: PolicyConfigJSONSchema = {
  type: "array",
  description:
    'Resources this policy does not block, each for a reason and until a date: [{"resource": "<URN or logical name, globs * and ?>", "reason": "…", "expires": "YYYY-MM-DD"}]. An exemption holds through its expiry day (UTC); after it, the violation returns and says the exemption expired. It covers the resources it names only, never images or instances derived from them.',
  items: {
    type: "object",
    properties: {
      resource: { type: "string", minLength: 1 },
      reason: { type: "string", minLength: 1, pattern: "\\S" },
      expires: { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$", format: "date" },
    },
    required: ["resource", "reason", "expires"],
    additionalProperties: false,
  },
  default: [],
};

/** What an advisory policy does with a mitigation it cannot read at preview on an image known to be affected. */
export const UNKNOWN_MITIGATION_MODES = ["block", "defer"] as const;
export type UnknownMitigationMode = (typeof UNKNOWN_MITIGATION_MODES)[number];

export const unknownMitigationsSchema: PolicyConfigJSONSchema = {
  type: "string",
  enum: [...UNKNOWN_MITIGATION_MODES],
  description:
    'On an image known to be affected, a mitigation that cannot be read at preview (user data or command content built from outputs, an invocation whose targets cannot be linked): "block" (default) reports the mandatory violation, naming the unknown property; "defer" leaves the verdict to the check after deployment (the engine\'s can\'t-run-during-preview advisory).',
  default: "block",
};

/** The config of every advisory policy (one per row of data/advisories.json): the same keys for each. */
export const advisoryPolicyConfigSchema: PolicyConfigSchema = {
  properties: {
    imageKernels: imageKernelsSchema,
    exemptions: exemptionsSchema,
    unknownMitigations: unknownMitigationsSchema,
  },
};

export const kernelUnknownPolicyConfigSchema: PolicyConfigSchema = {
  properties: { imageKernels: imageKernelsSchema },
};

export const endOfLifePolicyConfigSchema: PolicyConfigSchema = {
  properties: { imageKernels: imageKernelsSchema },
};

export interface AdvisoryPolicyConfig {
  readonly imageKernels?: Readonly<Record<string, string>>;
  readonly exemptions?: readonly { readonly resource: string; readonly reason: string; readonly expires: string }[];
  readonly unknownMitigations?: UnknownMitigationMode;
}

export interface KernelUnknownPolicyConfig {
  readonly imageKernels?: Readonly<Record<string, string>>;
}

export type EndOfLifePolicyConfig = KernelUnknownPolicyConfig;
