import type { ReportViolation } from "@pulumi/policy";
import { createRequire } from "node:module";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import {
  AS_IS_SDK_VERSIONS,
  ownSdkReporter,
  reportAsIs,
  reporterForSdk,
  reportUnderDescription,
  ViolationReporter,
} from "../../../policies/src/runtime/violationReport";

// The pack's own @pulumi/policy and protobuf modules, the ones its server runs.
const packRequire = createRequire(path.join(__dirname, "../../../policies/package.json"));
const server = packRequire("@pulumi/policy/server") as {
  makeAnalyzeStackRpcFun(
    ...args: unknown[]
  ): (call: { request: unknown }, callback: (error: unknown, response?: AnalyzeResponse) => void) => Promise<void>;
};
const pb = packRequire("@pulumi/pulumi/proto/analyzer_pb") as { AnalyzeStackRequest: new () => unknown };
interface AnalyzeResponse {
  getDiagnosticsList(): { getMessage(): string; getDescription(): string; getUrn(): string }[];
}

/** One violation reported through the SDK's real AnalyzeStack function, as the engine would receive it. */
async function throughSdk(reporter: ViolationReporter): Promise<{ message: string; description: string; urn: string }> {
  const policy = {
    name: "p",
    description: "The policy's description.",
    enforcementLevel: "mandatory",
    validateStack: (_args: unknown, report: ReportViolation) => reporter(report, "What is wrong.\nFix: this.", "urn:x"),
  };
  const rpc = server.makeAnalyzeStackRpcFun("pack", "0.0.1", "advisory", [policy]);
  const response = await new Promise<AnalyzeResponse>((resolve, reject) => {
    void rpc({ request: new pb.AnalyzeStackRequest() }, (e, r) =>
      e || !r ? reject(new Error(`AnalyzeStack failed: ${String(e)}`)) : resolve(r),
    );
  });
  const [d] = response.getDiagnosticsList();
  return { message: d.getMessage(), description: d.getDescription(), urn: d.getUrn() };
}

describe("how the pack hands violations to the SDK", () => {
  it("as is: the SDK sends the message as written and the description only in its own field", async () => {
    expect(await throughSdk(reportAsIs)).toEqual({
      message: "What is wrong.\nFix: this.",
      description: "The policy's description.",
      urn: "urn:x",
    });
  });

  it("the documented form: the SDK puts the description first", async () => {
    expect(await throughSdk(reportUnderDescription)).toEqual({
      message: "The policy's description.\nWhat is wrong.\nFix: this.",
      description: "The policy's description.",
      urn: "urn:x",
    });
  });

  it("reports as is only on SDK versions known to take it; the installed one is such a version", () => {
    expect(reporterForSdk("v1.21.0")).toBe(reportAsIs);
    expect(reporterForSdk("v1.19.0")).toBe(reportUnderDescription);
    expect(reporterForSdk("v2.0.0")).toBe(reportUnderDescription);
    expect(reporterForSdk(undefined)).toBe(reportUnderDescription);
    // Upgrading @pulumi/policy fails here until the new version is checked (the specs above) and listed.
    const installed = (packRequire("@pulumi/policy/package.json") as { version: string }).version;
    expect([...AS_IS_SDK_VERSIONS]).toContain(installed);
    expect(ownSdkReporter()).toBe(reportAsIs);
  });
});
