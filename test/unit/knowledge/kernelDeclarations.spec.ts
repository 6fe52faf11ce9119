import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  loadPackKernelDeclarations,
  PACK_KERNELS_FILE,
  parseKernelDeclarations,
  withPolicyDeclarations,
} from "../../../policies/src/knowledge/kernelDeclarations";
import { createPackContext } from "../../../policies/src/pack/packContext";
import { POLICY } from "../../support/contract";

const OVERLAYFS_POLICY_NAME = POLICY.overlayfs;
import { KERNEL_UNKNOWN_POLICY_NAME } from "../../../policies/src/policies/alinuxImageKernelUnknown";
import { END_OF_LIFE_POLICY_NAME } from "../../../policies/src/policies/alinux2EndOfLife";
import { runResourcePolicies, runStack } from "../../support/policyRuntime";
import { resource, T } from "../../support/stackFixtures";

const row = (kernel: unknown, source: unknown = "golden image build log") =>
  JSON.stringify({ imageKernels: { "m-bp1golden": { kernel, source } } });

describe("the pack's image-kernels.json (one place for every policy)", () => {
  it("parses rows with a kernel and a source", () => {
    expect(parseKernelDeclarations(row("4.19.91-21.al7.x86_64"), PACK_KERNELS_FILE)).toEqual({
      "m-bp1golden": { kernel: "4.19.91-21.al7.x86_64", source: "image-kernels.json (source: golden image build log)" },
    });
  });

  it.each([
    ["a kernel without .al7", row("4.19.91-21"), /m-bp1golden is not an Alibaba Cloud Linux 2 kernel release/],
    ["a row without a source", row("4.19.91-21.al7", " "), /m-bp1golden names no source/],
    ["no imageKernels object", "[]", /expected \{"imageKernels"/],
    ["text that is not JSON", "{", /not JSON/],
  ])("stops the pack at start-up on %s, naming the row", (_what, text, message) => {
    expect(() => parseKernelDeclarations(text, PACK_KERNELS_FILE)).toThrow(message);
  });

  it("no file: no rows", () => {
    expect(loadPackKernelDeclarations(path.join(os.tmpdir(), "does-not-exist", PACK_KERNELS_FILE))).toEqual({});
  });

  it("reads a file from disk", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ag-kernels-"));
    fs.writeFileSync(path.join(dir, PACK_KERNELS_FILE), row("4.19.91-21.al7"));
    expect(Object.keys(loadPackKernelDeclarations(path.join(dir, PACK_KERNELS_FILE)))).toEqual(["m-bp1golden"]);
  });

  it("a policy's imageKernels overrides a row for that policy only", () => {
    const pack = parseKernelDeclarations(row("4.19.91-21.al7"), PACK_KERNELS_FILE);
    expect(withPolicyDeclarations(pack, { "m-bp1golden": "4.19.91-27.al7" })["m-bp1golden"]).toBe("4.19.91-27.al7");
    expect(withPolicyDeclarations(pack, {})).toBe(pack);
  });

  it("is seen by every policy that resolves kernels, with no per-policy config", async () => {
    const context = createPackContext({
      today: () => "2026-11-27",
      declaredKernels: parseKernelDeclarations(row("4.19.91-21.al7.x86_64"), PACK_KERNELS_FILE),
    });
    const api = resource(T.instance, "api", { imageId: "m-bp1golden" });
    const stack = await runStack([api], {}, { context });
    const [blocked] = stack.violations.filter((v) => v.policyName === OVERLAYFS_POLICY_NAME);
    expect(blocked.enforcementLevel).toBe("mandatory");
    expect(blocked.message).toContain("declared in image-kernels.json (source: golden image build log)");
    const analysed = await runResourcePolicies(api, {}, { context });
    expect(analysed.violations.filter((v) => v.policyName === KERNEL_UNKNOWN_POLICY_NAME)).toEqual([]);
    expect(analysed.violations.filter((v) => v.policyName === END_OF_LIFE_POLICY_NAME)).toHaveLength(1);
  });
});
