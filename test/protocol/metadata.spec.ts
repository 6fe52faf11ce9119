// What the engine sees when it boots the pack: a clean port line, GetAnalyzerInfo, and a default config that
// the engine's own reconciliation accepts.
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PolicyPackHarness } from "../../tools/engine/analyzerClient";
import { defaultPackDir } from "../../tools/engine/packTree";
import { CONFIG_KEY, POLICY, POLICY_NAMES } from "../support/contract";
import { startPack } from "./packSession";

let h: PolicyPackHarness;
beforeAll(async () => {
  h = await startPack();
});
afterAll(async () => {
  await h?.stop();
});

describe("start-up", () => {
  it("writes nothing to stdout but the port (the engine parses the first line as the port)", () => {
    expect(h.firstStdoutLine).toMatch(/^[1-9]\d{0,4}$/);
    expect(h.stdout).toBe("");
  });

  it("boots without stderr noise", () => {
    expect(h.stderr).toBe("");
  });

  it("has no Handshake, like every @pulumi/policy 1.21 pack (the engine tolerates it)", () => {
    expect(h.handshake).toBe("unimplemented");
  });
});

describe("GetAnalyzerInfo", () => {
  it("names the pack and its version as package.json does", async () => {
    const info = await h.getAnalyzerInfo();
    const pkg = JSON.parse(fs.readFileSync(path.join(defaultPackDir, "package.json"), "utf8")) as {
      name: string;
      version: string;
    };
    expect(info.name).toBe("alinux-guard");
    expect(info.version).toBe(pkg.version);
    expect(info.supportsConfig).toBe(true);
  });

  it("lists exactly the contracted policies", async () => {
    const info = await h.getAnalyzerInfo();
    expect(info.policies.map((p) => p.name).sort()).toEqual([...POLICY_NAMES].sort());
  });

  it("the OverlayFS policy is a mandatory, critical stack policy", async () => {
    const p = (await h.getAnalyzerInfo()).policies.find((x) => x.name === POLICY.overlayfs);
    expect(p).toMatchObject({ policyType: "stack", enforcementLevel: "mandatory", severity: "critical" });
  });

  it("the released-inode and page-fault policies are advisory, high-severity stack policies with the main policy's config keys", async () => {
    const info = await h.getAnalyzerInfo();
    for (const name of [POLICY.releasedInode, POLICY.pageFault]) {
      const p = info.policies.find((x) => x.name === name);
      expect(p, name).toMatchObject({ policyType: "stack", enforcementLevel: "advisory", severity: "high" });
      const keys = (n: string) =>
        Object.keys(info.policies.find((x) => x.name === n)?.configSchema?.properties ?? {}).sort();
      expect(keys(name), name).toEqual(keys(POLICY.overlayfs));
    }
  });

  it("the kernel-unknown and end-of-life policies are advisory resource policies", async () => {
    const info = await h.getAnalyzerInfo();
    for (const name of [POLICY.kernelUnknown, POLICY.endOfLife]) {
      expect(info.policies.find((x) => x.name === name)).toMatchObject({
        policyType: "resource",
        enforcementLevel: "advisory",
      });
    }
  });

  it("every policy carries what `pulumi preview` and Pulumi Cloud display", async () => {
    for (const p of (await h.getAnalyzerInfo()).policies) {
      expect(p.description.length, p.name).toBeGreaterThan(40);
      expect(p.displayName, p.name).not.toBe("");
      expect(p.severity, p.name).toBeDefined();
      expect(p.remediationSteps, p.name).not.toBe("");
      expect(p.url, p.name).toMatch(/^https:\/\//);
    }
  });

  it("config schemas: imageKernels on both kernel policies, exemptions on the OverlayFS policy, all with defaults", async () => {
    const info = await h.getAnalyzerInfo();
    const schema = (name: string) => info.policies.find((p) => p.name === name)?.configSchema?.properties ?? {};
    expect(Object.keys(schema(POLICY.overlayfs)).sort()).toEqual(Object.values(CONFIG_KEY).sort());
    expect(Object.keys(schema(POLICY.kernelUnknown))).toContain("imageKernels");
    for (const [name, props] of [
      [POLICY.overlayfs, schema(POLICY.overlayfs)],
      [POLICY.kernelUnknown, schema(POLICY.kernelUnknown)],
    ] as const) {
      for (const [k, v] of Object.entries(props)) expect(v, `${name}.${k}`).toHaveProperty("default");
    }
  });
});

describe("default configuration", () => {
  it("the engine's reconciliation accepts the pack's own defaults and sends every policy", async () => {
    const sent = await h.configure();
    expect(Object.keys(sent).sort()).toEqual([...POLICY_NAMES].sort());
    expect(sent[POLICY.overlayfs]).toMatchObject({
      enforcementLevel: "mandatory",
      properties: { imageKernels: {}, exemptions: [] },
    });
  });
});
