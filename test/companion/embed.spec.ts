import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GENERATED_PATH, isEmbeddedModuleFresh, renderEmbeddedModule, SCRIPT_PATH } from "../../companion/embed";
import { HOTFIX_SCRIPT, HOTFIX_SCRIPT_SHA256 } from "../../companion/generated/embeddedHotfixScript";

describe("embedded hotfix script", () => {
  it("is up to date with companion/shell/apply-overlayfs-hotfix.sh (else run: npx tsx companion/embed.ts)", () => {
    expect(readFileSync(GENERATED_PATH, "utf8")).toBe(renderEmbeddedModule(readFileSync(SCRIPT_PATH, "utf8")));
    expect(isEmbeddedModuleFresh()).toBe(true);
  });

  it("holds the script byte for byte, with its SHA-256", () => {
    const script = readFileSync(SCRIPT_PATH, "utf8");
    expect(HOTFIX_SCRIPT).toBe(script);
    expect(HOTFIX_SCRIPT_SHA256).toMatch(/^[0-9a-f]{64}$/);
  });

  it("renders a different module for a different script", () => {
    expect(renderEmbeddedModule("#!/bin/bash\necho a\n")).not.toBe(renderEmbeddedModule("#!/bin/bash\necho b\n"));
    expect(renderEmbeddedModule("#!/bin/bash\n")).toContain(JSON.stringify("#!/bin/bash\n"));
  });
});
