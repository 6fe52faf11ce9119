import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { bundledAdvisories } from "../../../policies/src/knowledge/advisories";
import { createPolicies, PACK_NAME } from "../../../policies/src/pack/createPolicies";
import { reconcileConfig, type PackConfigDocument } from "../../support/policyRuntime";

const packDir = path.resolve(__dirname, "../../../policies");

describe("the pack's policies", () => {
  const policies = createPolicies();

  it("are the contract names, each once, in a stable order: one stack policy per advisory row, then the two resource policies", () => {
    expect(policies.map((p) => p.name)).toEqual([
      "alinux2-overlayfs-dentry-leak",
      "alinux2-released-inode-crash",
      "alinux2-page-fault-crash",
      "alinux-image-kernel-unknown",
      "alinux2-end-of-life",
    ]);
  });

  it("are fully declared: display name, sentences, level, severity, tags, steps, URL", () => {
    for (const policy of policies) {
      expect(policy.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(policy.displayName).toBeTruthy();
      for (const sentence of policy.description.split(/(?<=\.) /)) expect(sentence, policy.name).toMatch(/^[A-Z].*\.$/);
      expect(["advisory", "mandatory"]).toContain(policy.enforcementLevel);
      expect(["low", "medium", "high", "critical"]).toContain(policy.severity);
      expect(policy.tags?.length).toBeGreaterThan(0);
      expect(policy.remediationSteps?.length).toBeGreaterThan(0);
      expect(policy.url).toMatch(/^https:\/\//);
      expect(policy.configSchema?.properties?.enforcementLevel, "enforcementLevel is reserved").toBeUndefined();
    }
  });

  it("has one stack policy per advisory and no other (the SDK deserialises the stack once per stack policy)", () => {
    expect(policies.filter((p) => "validateStack" in p).map((p) => p.name)).toEqual(
      bundledAdvisories.map((a) => a.policy.name),
    );
  });

  it("is served under the name and version the package declares", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(packDir, "package.json"), "utf8")) as {
      name: unknown;
      version: unknown;
      main: unknown;
    };
    expect(pkg.name).toBe(PACK_NAME);
    expect(pkg.version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(fs.readFileSync(path.join(packDir, "PulumiPolicy.yaml"), "utf8")).toMatch(/^runtime: nodejs$/m);
    expect(pkg.main).toBe("bin/index.js");
  });

  it("has an entry point that only constructs the pack (its server prints the port first)", () => {
    const entry = fs.readFileSync(path.join(packDir, "index.ts"), "utf8");
    expect(entry).toContain("new PolicyPack(PACK_NAME");
    expect(entry).not.toMatch(/console\.(log|info)/);
  });
});

describe("the config example the README shows", () => {
  it("is accepted by the engine's reconciliation and names only real policies", () => {
    const document = JSON.parse(
      fs.readFileSync(path.join(packDir, "config.example.json"), "utf8"),
    ) as PackConfigDocument;
    const names = createPolicies().map((p) => p.name);
    for (const key of Object.keys(document)) expect(names).toContain(key);
    const reconciled = reconcileConfig(createPolicies(), document);
    expect(reconciled["alinux2-overlayfs-dentry-leak"].properties.exemptions).toHaveLength(1);
  });
});
