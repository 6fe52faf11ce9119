import { describe, expect, it } from "vitest";
import {
  loadShellGrammar,
  MAX_NESTING,
  MAX_SCRIPT_CHARS,
  parseShell,
  parseShellLoaded,
  shellGrammarLoaded,
  textOf,
} from "../../../policies/src/mitigations/shellParser";

describe("parseShell", () => {
  it("loads the grammar only when a script is parsed, not when the pack's policies load", async () => {
    await import("../../../policies/src/pack/createPolicies.js");
    expect(shellGrammarLoaded()).toBe(false);
    await parseShell("echo");
    expect(shellGrammarLoaded()).toBe(true);
  });

  it("gives the tree with node types, fields and positions", async () => {
    const parsed = await parseShell("sudo yum install -y pkg && reboot\n");
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const list = parsed.root.children[0];
    expect(list.type).toBe("list");
    const command = list.children[0];
    expect(
      command.children.find((c) => c.field === "name") &&
        textOf(
          command.children.find((c) => c.field === "name")!,
          parsed.source,
        ),
    ).toBe("sudo");
    expect(command.children.filter((c) => c.field === "argument").map((c) => textOf(c, parsed.source))).toEqual([
      "yum",
      "install",
      "-y",
      "pkg",
    ]);
  });

  it("says a script with a syntax error, too large or nested too deeply cannot be read", async () => {
    expect(await parseShell("if true; then echo")).toEqual({
      ok: false,
      reason: "it is not valid shell (syntax error)",
    });
    expect((await parseShell("x".repeat(MAX_SCRIPT_CHARS + 1))).ok).toBe(false);
    const deep = "(".repeat(MAX_NESTING + 10) + "true" + ")".repeat(MAX_NESTING + 10);
    expect(await parseShell(deep)).toEqual({ ok: false, reason: "it is nested too deeply to read" });
  });
  it("leaves out the top-level simple statements the caller skips, never a compound one, and still sees syntax errors", async () => {
    await loadShellGrammar();
    const source = "echo a\nif true; then echo b; fi\necho c && echo d\nyum install -y x\n";
    const parsed = parseShellLoaded(
      source,
      (start, end) => source.slice(start, end).startsWith("echo") || source.slice(start, end).startsWith("if"),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.root.children.map((c) => textOf(c, source))).toEqual([
      "if true; then echo b; fi",
      "yum install -y x",
    ]);
    expect(parseShellLoaded("echo a\nif true; then echo", () => true)).toEqual({
      ok: false,
      reason: "it is not valid shell (syntax error)",
    });
  });
});
