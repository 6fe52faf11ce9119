import type { Policies } from "@pulumi/policy";
import { createEndOfLifePolicy } from "../policies/alinux2EndOfLife";
import { createAdvisoryPolicy } from "../policies/kernelAdvisoryPolicy";
import { createKernelUnknownPolicy } from "../policies/alinuxImageKernelUnknown";
import { createPackContext, PackContext } from "./packContext";

export const PACK_NAME = "alinux-guard";

/**
 * The pack's policies, in the order the engine lists them: one stack policy per advisory of data/advisories.json
 * (see kernelAdvisoryPolicy.ts for what each costs), then the two resource policies. Separate from index.ts so tests
 * and the library entry can import it without starting a policy server.
 */
export function createPolicies(context: PackContext = createPackContext()): Policies {
  return [
    ...context.advisories.map((advisory) => createAdvisoryPolicy(advisory, context)),
    createKernelUnknownPolicy(context),
    createEndOfLifePolicy(context),
  ];
}
