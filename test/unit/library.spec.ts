// alinux-guard/library (policies/library.ts): the pack's policies for an organisation's own PolicyPack, with
// enforcement levels ("all" and per policy) and config given in code. Config reaches the policies the way the engine
// delivers it: as config-schema defaults that the engine's reconciliation (reconcileConfig, a port of
// pkg/resource/analyzer/config.go) fills in, validates, and lets a --policy-pack-config override.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { alinuxGuardPolicies } from "../../policies/library";
import { createPolicies } from "../../policies/src/pack/createPolicies";
import { ensurePackBuilt } from "../../tools/engine/packBuild";
import { reconcileConfig } from "../support/policyRuntime";

import { POLICY } from "../support/contract";

const OVERLAYFS = POLICY.overlayfs;
const KERNEL_UNKNOWN = POLICY.kernelUnknown;
const END_OF_LIFE = POLICY.endOfLife;
/** Every policy of the pack at one level. */
const allAt = (level: string) => Object.fromEntries(createPolicies().map((p) => [p.name, level]));
const EXEMPTION = {
  resource: "legacy-batch",
  reason: "No containers on this host; moving to Alibaba Cloud Linux 3 in OPS-1234.",
  expires: "2099-12-31",
};

const levels = (policies: ReturnType<typeof alinuxGuardPolicies>) =>
  Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel]));

describe("alinuxGuardPolicies()", () => {
  it("returns every policy of the pack, as createPolicies() builds them, with their own levels by default", () => {
    const own = createPolicies();
    const lib = alinuxGuardPolicies();
    expect(lib.map((p) => p.name)).toEqual(own.map((p) => p.name));
    expect(levels(lib)).toEqual(levels(own));
    expect(lib.map((p) => p.configSchema)).toEqual(own.map((p) => p.configSchema));
  });

  it('"all" sets every level, and a policy\'s own entry wins over it (as AWSGuard and the engine do)', () => {
    expect(levels(alinuxGuardPolicies({ all: "advisory" }))).toEqual(allAt("advisory"));
    expect(levels(alinuxGuardPolicies({ all: "mandatory", [END_OF_LIFE]: "disabled" }))).toEqual({
      ...allAt("mandatory"),
      [END_OF_LIFE]: "disabled",
    });
    expect(
      levels(alinuxGuardPolicies({ all: "disabled", [OVERLAYFS]: { enforcementLevel: "mandatory" } }))[OVERLAYFS],
    ).toBe("mandatory");
    expect(levels(alinuxGuardPolicies({ all: "advisory", [OVERLAYFS]: { exemptions: [] } }))[OVERLAYFS]).toBe(
      "advisory",
    );
  });

  it("config given in code is what the engine hands the policy, and a --policy-pack-config still overrides it", () => {
    const lib = alinuxGuardPolicies({
      [OVERLAYFS]: { exemptions: [EXEMPTION], imageKernels: { "m-bp1golden": "4.19.91-21.al7.x86_64" } },
    });
    const reconciled = reconcileConfig(lib, {});
    expect(reconciled[OVERLAYFS]).toEqual({
      enforcementLevel: "mandatory",
      properties: {
        exemptions: [EXEMPTION],
        imageKernels: { "m-bp1golden": "4.19.91-21.al7.x86_64" },
        unknownMitigations: "block",
      },
    });
    // The other policies keep their schema defaults; nothing leaks between policies.
    expect(reconciled[KERNEL_UNKNOWN]?.properties).toEqual({ imageKernels: {} });
    const overridden = reconcileConfig(lib, { [OVERLAYFS]: { exemptions: [] } });
    expect(overridden[OVERLAYFS]?.properties).toEqual({
      exemptions: [],
      imageKernels: { "m-bp1golden": "4.19.91-21.al7.x86_64" },
      unknownMitigations: "block",
    });
  });

  it("config the schema refuses is refused by the engine when the composed pack starts, naming the field", () => {
    const lib = alinuxGuardPolicies({ [OVERLAYFS]: { exemptions: [{ ...EXEMPTION, reason: "" }] } });
    expect(() => reconcileConfig(lib, {})).toThrow(/alinux2-overlayfs-dentry-leak: exemptions\.0\.reason/);
  });

  it("does not change the pack's own policies or the caller's options", () => {
    const options = { [OVERLAYFS]: { exemptions: [EXEMPTION] } };
    const lib = alinuxGuardPolicies(options);
    (lib[0].configSchema!.properties["exemptions"] as { default: unknown[] }).default.push("x");
    expect(options[OVERLAYFS].exemptions).toEqual([EXEMPTION]);
    expect(createPolicies()[0].configSchema!.properties["exemptions"]).toHaveProperty("default", []);
  });

  it("rejects what cannot be meant: an unknown policy, an invalid level, config a policy does not have", () => {
    expect(() => alinuxGuardPolicies({ "alinux2-overlayfs": "mandatory" })).toThrow(
      /no policy "alinux2-overlayfs" in alinux-guard \(its policies: alinux2-overlayfs-dentry-leak, /,
    );
    expect(() => alinuxGuardPolicies({ all: "blocking" as never })).toThrow(
      /"all" must be one of advisory, mandatory, remediate, disabled, got "blocking"/,
    );
    expect(() => alinuxGuardPolicies({ [OVERLAYFS]: { enforcementLevel: "warn" as never } })).toThrow(
      /enforcementLevel must be one of/,
    );
    expect(() => alinuxGuardPolicies({ [KERNEL_UNKNOWN]: { exemptions: [] } as never })).toThrow(
      /alinux-image-kernel-unknown has no config exemptions \(its config: imageKernels\)/,
    );
    expect(() => alinuxGuardPolicies({ [END_OF_LIFE]: { days: 30 } as never })).toThrow(
      /alinux2-end-of-life has no config days \(its config: imageKernels\)/,
    );
  });

  it("importing the built library starts no policy server: the process prints only what it was asked and exits", () => {
    const packDir = path.resolve(__dirname, "../../policies");
    ensurePackBuilt(packDir);
    const script = `const l = require(${JSON.stringify(path.join(packDir, "bin", "library.js"))}); console.log(l.alinuxGuardPolicies().map((p) => p.name).join(","));`;
    const res = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 30_000 });
    expect(res.error).toBeUndefined();
    expect(res.status, res.stderr).toBe(0);
    // A PolicyPack would print its gRPC port first and keep the process alive.
    expect(res.stdout).toBe(
      `${createPolicies()
        .map((p) => p.name)
        .join(",")}\n`,
    );
  });
});
