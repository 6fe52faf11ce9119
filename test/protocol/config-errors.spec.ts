// Config the engine refuses: reported as the CLI reports it (`error: validating policy config: <pack> <version>
// <policy>: <gojsonschema error>`, sorted), before any Configure reaches the pack; the pack keeps its last config.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { PolicyConfigValidationError, type PolicyPackHarness } from "../../tools/engine/analyzerClient";
import { PolicyPackConfigParseError, type PolicyPackConfigFile } from "../../tools/engine/policyPackConfig";
import { IMAGES, POLICY } from "../support/contract";
import { previewInstance } from "../support/stackFixtures";
import { byPolicy, startPack } from "./packSession";

let h: PolicyPackHarness;
let prefix: string;
beforeAll(async () => {
  h = await startPack();
  prefix = `validating policy config: alinux-guard ${await h.engineVersion()}  `;
});
afterAll(async () => {
  await h?.stop();
});
afterEach(async () => {
  await h.configure();
});

async function engineErrors(config: PolicyPackConfigFile): Promise<string[]> {
  const err = await h.configure(config).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, JSON.stringify(config)).toBeInstanceOf(PolicyConfigValidationError);
  return (err as PolicyConfigValidationError).lines;
}

describe("config errors as the engine reports them", () => {
  it("an exemption without reason and with a malformed expiry", async () => {
    const lines = await engineErrors({
      [POLICY.overlayfs]: { exemptions: [{ resource: "web", expires: "next year" }] },
    });
    expect(lines).toContain(`${prefix}${POLICY.overlayfs}: exemptions.0: reason is required`);
    expect(
      lines.some((l) => l.startsWith(`${prefix}${POLICY.overlayfs}: exemptions.0.expires: Does not match pattern`)),
    ).toBe(true);
    expect(lines).toEqual([...lines].sort());
  });

  it("an impossible calendar date", async () => {
    const lines = await engineErrors({
      [POLICY.overlayfs]: { exemptions: [{ resource: "web", reason: "r", expires: "2026-02-30" }] },
    });
    expect(lines).toEqual([`${prefix}${POLICY.overlayfs}: exemptions.0.expires: Does not match format 'date'`]);
  });

  it("an empty reason and an unknown exemption field", async () => {
    const lines = await engineErrors({
      [POLICY.overlayfs]: { exemptions: [{ resource: "web", reason: "", expires: "2030-01-01", owner: "me" }] },
    });
    expect(lines).toContain(`${prefix}${POLICY.overlayfs}: exemptions.0: Additional property owner is not allowed`);
    expect(lines).toContain(
      `${prefix}${POLICY.overlayfs}: exemptions.0.reason: String length must be greater than or equal to 1`,
    );
  });

  it("a kernel that is not a kernel release, on both policies that accept imageKernels", async () => {
    const imageKernels = { [IMAGES.custom]: "latest" };
    const lines = await engineErrors({
      [POLICY.overlayfs]: { imageKernels },
      [POLICY.kernelUnknown]: { imageKernels },
    });
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^${escape(prefix + POLICY.kernelUnknown)}: imageKernels\\.${escape(IMAGES.custom)}: Does not match pattern '`,
      ),
    );
    expect(lines[1]).toMatch(
      new RegExp(
        `^${escape(prefix + POLICY.overlayfs)}: imageKernels\\.${escape(IMAGES.custom)}: Does not match pattern '`,
      ),
    );
  });

  it("wrong types", async () => {
    const lines = await engineErrors({ [POLICY.overlayfs]: { exemptions: "none", imageKernels: [] } });
    expect(lines).toEqual([
      `${prefix}${POLICY.overlayfs}: exemptions: Invalid type. Expected: array, given: string`,
      `${prefix}${POLICY.overlayfs}: imageKernels: Invalid type. Expected: object, given: array`,
    ]);
  });

  it("an invalid enforcement level is a parse error, with the engine's wording", async () => {
    await expect(h.configure({ [POLICY.overlayfs]: "blocking" as never })).rejects.toThrow(
      new PolicyPackConfigParseError(
        `parsing enforcement level for "${POLICY.overlayfs}": "blocking" is not a valid enforcement level`,
      ),
    );
  });

  it("after a refused config, the pack still runs with its previous config", async () => {
    await h.configure({ [POLICY.overlayfs]: "advisory" });
    await engineErrors({ [POLICY.overlayfs]: { exemptions: [{}] } });
    const i = previewInstance("web", IMAGES.affectedHotfixable);
    const d = byPolicy(await h.analyzeStack([i]), POLICY.overlayfs);
    expect(d).toHaveLength(1);
    expect(d[0].enforcementLevel).toBe("advisory");
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("declared kernels and unknownMitigations the engine refuses", () => {
  it.each(["4.19.91-21", "5.10.134-13.al8.x86_64", "4.19.91-21.al7.i686"])(
    "a declared kernel the resolver cannot use: %s",
    async (kernel) => {
      const lines = await engineErrors({
        [POLICY.overlayfs]: { imageKernels: { [IMAGES.custom]: kernel } },
        [POLICY.kernelUnknown]: { imageKernels: { [IMAGES.custom]: kernel } },
      });
      expect(lines).toHaveLength(2);
      for (const [line, policy] of [
        [lines[0], POLICY.kernelUnknown],
        [lines[1], POLICY.overlayfs],
      ] as const) {
        expect(line.startsWith(`${prefix}${policy}: imageKernels.${IMAGES.custom}: Does not match pattern '`)).toBe(
          true,
        );
      }
    },
  );

  it("an unknownMitigations value outside the contract", async () => {
    const lines = await engineErrors({ [POLICY.overlayfs]: { unknownMitigations: "warn" } });
    expect(lines).toEqual([
      `${prefix}${POLICY.overlayfs}: unknownMitigations: unknownMitigations must be one of the following: "block", "defer"`,
    ]);
  });

  it("a valid .al7 declaration is accepted and judged", async () => {
    await h.configure({ [POLICY.overlayfs]: { imageKernels: { [IMAGES.custom]: "kernel-4.19.91-21.al7.x86_64" } } });
    const d = byPolicy(await h.analyzeStack([previewInstance("api", IMAGES.custom)]), POLICY.overlayfs);
    expect(d.map((x) => x.enforcementLevel)).toEqual(["mandatory"]);
    expect(d[0].message).toContain("declared in the policy pack config (imageKernels)");
  });
});
