import type { PolicyConfigSchema } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

import { KERNEL_RELEASE_PATTERN } from "../knowledge/kernelRelease";

/** `4.19.91-21.al7`, `kernel-4.19.91-21.al7.x86_64`: what `uname -r` or `rpm -q kernel` prints. */
export { KERNEL_RELEASE_PATTERN };

export const imageKernelsSchema: PolicyConfigJSONSchema = {
  type: "object",
  description:
    "Kernels of images the catalog cannot know (custom, shared, marketplace): image ID → kernel release as `uname -r` prints it, e.g. {\"m-bp1abc\": \"4.19.91-21.al7.x86_64\"}. A declared kernel also overrides the catalog for a public image.",
  additionalProperties: { type: "string", pattern: KERNEL_RELEASE_PATTERN },
  default: {},
};

export const exemptionsSchema: PolicyConfigJSONSchema = {
  type: "array",
  description:
    "Resources this policy does not block, each for a reason and until a date: [{\"resource\": \"<URN or logical name, globs * and ?>\", \"reason\": \"…\", \"expires\": \"YYYY-MM-DD\"}]. An exemption holds through its expiry day (UTC); after it, the violation returns and says the exemption expired.",
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

/** The config of every advisory policy (one per row of data/advisories.json): the same keys for each. */
export const advisoryPolicyConfigSchema: PolicyConfigSchema = {
  properties: { imageKernels: imageKernelsSchema, exemptions: exemptionsSchema },
};

export const kernelUnknownPolicyConfigSchema: PolicyConfigSchema = {
  properties: { imageKernels: imageKernelsSchema },
};

export interface AdvisoryPolicyConfig {
  readonly imageKernels?: Readonly<Record<string, string>>;
  readonly exemptions?: readonly { readonly resource: string; readonly reason: string; readonly expires: string }[];
}

export interface KernelUnknownPolicyConfig {
  readonly imageKernels?: Readonly<Record<string, string>>;
}
