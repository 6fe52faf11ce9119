import type { Policies } from "@pulumi/policy";
import { createEndOfLifePolicy } from "../policies/alinux2EndOfLife";
import { createOverlayfsDentryLeakPolicy } from "../policies/alinux2OverlayfsDentryLeak";
import { createKernelUnknownPolicy } from "../policies/alinuxImageKernelUnknown";
import { createPackContext, PackContext } from "./packContext";

export const PACK_NAME = "alinux-guard";

/** The pack's policies, in the order the engine lists them. Separate from index.ts so tests can import it. */
export function createPolicies(context: PackContext = createPackContext()): Policies {
  return [createOverlayfsDentryLeakPolicy(context), createKernelUnknownPolicy(context), createEndOfLifePolicy(context)];
}
