import { PolicyPack } from "@pulumi/policy";
import { createPolicies, PACK_NAME } from "./src/pack/createPolicies";
import { createPackContext } from "./src/pack/packContext";
import { ownSdkReporter } from "./src/runtime/violationReport";

// Constructing the pack starts its gRPC server and prints the port; nothing else may write to stdout first.
new PolicyPack(PACK_NAME, {
  displayName: "alinux-guard",
  // The SDK running these policies is the one this package resolves: report as it is known to take violations.
  policies: createPolicies(createPackContext({ violationReporter: ownSdkReporter() })),
  tags: ["alicloud", "ecs", "alinux2", "kernel"],
});
