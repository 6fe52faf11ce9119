import { PolicyPack } from "@pulumi/policy";
import { createPolicies, PACK_NAME } from "./src/pack/createPolicies";

// Constructing the pack starts its gRPC server and prints the port; nothing else may write to stdout first.
new PolicyPack(PACK_NAME, {
  displayName: "alinux-guard",
  policies: createPolicies(),
  tags: ["alicloud", "ecs", "alinux2", "kernel"],
});
