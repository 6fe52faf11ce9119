import { describe, expect, it } from "vitest";
import {
  loadShellGrammar,
  MAX_NESTING,
  MAX_SCRIPT_CHARS,
  parseShell,
  parseShellLoaded,
  shellGrammarLoaded,
} from "../../../policies/src/mitigations/shellParser";

const NOT_VALID = { ok: false, reason: "it is not valid shell (syntax error)" };

describe("parseShell", () => {
  it("loads the grammar only when a script is parsed, not when the pack's policies load", async () => {
    await import("../../../policies/src/pack/createPolicies.js");
    expect(shellGrammarLoaded()).toBe(false);
    await parseShell("echo");
    expect(shellGrammarLoaded()).toBe(true);
  });

  it("gives the script's statements, commands and words with their positions", async () => {
    const source = "sudo yum install -y pkg && reboot\n";
    const parsed = await parseShell(source);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const list = parsed.script.commands[0].command;
    expect(list.type).toBe("AndOr");
    if (list.type !== "AndOr") return;
    expect(list.operators).toEqual(["&&"]);
    const command = list.commands[0];
    expect(command.type).toBe("Command");
    if (command.type !== "Command") return;
    expect(command.name && source.slice(command.name.pos, command.name.end)).toBe("sudo");
    expect(command.suffix.map((w) => source.slice(w.pos, w.end))).toEqual(["yum", "install", "-y", "pkg"]);
  });

  it("says a script with a syntax error, too large or nested too deeply cannot be read", async () => {
    expect(await parseShell("if true; then echo")).toEqual(NOT_VALID);
    expect((await parseShell("x".repeat(MAX_SCRIPT_CHARS + 1))).ok).toBe(false);
    for (const [open, close] of [
      ["(", ")"],
      ["{ ", "; }"],
      ["$(", ")"],
      ["if true; then ", "; fi"],
    ]) {
      const deep = open.repeat(MAX_NESTING + 10) + "true" + close.repeat(MAX_NESTING + 10);
      expect(await parseShell(deep), open).toEqual({ ok: false, reason: "it is nested too deeply to read" });
    }
  });

  it("sees syntax errors in the scripts nested in words, also where the reader does not look", async () => {
    await loadShellGrammar();
    for (const script of [
      'echo "$(if true; then)"',
      "x=$(echo $(fi))",
      "echo `if`",
      "cat > $(done) <<< x",
      "cat <<EOF\n$(esac)\nEOF",
      "diff <(if) /dev/null",
      "echo $(( $(fi) + 1 ))",
      "(( $(fi) ))",
      "for ((i = $(done); i < 3; i++)); do :; done",
      'case "$(then)" in *) : ;; esac',
    ])
      expect(parseShellLoaded(script), script).toEqual(NOT_VALID);
    for (const script of ["echo '$(if)'", "cat <<'EOF'\n$(if)\nEOF", 'echo "\\$(if)"', "echo $((10#$x))"])
      expect(parseShellLoaded(script).ok, script).toBe(true);
  });

  it("finishes on nesting of every kind mixed, without overflowing the stack", async () => {
    await loadShellGrammar();
    const levels = ["$(", "{ ", "( ", "if true; then ", '"$('];
    const closing = [")", "; }", " )", "; fi", ')"'];
    let open = "";
    let close = "";
    for (let i = 0; i < 2_000; i++) {
      open += levels[i % levels.length];
      close = closing[i % closing.length] + close;
    }
    const parsed = parseShellLoaded(`${open}yum install -y x${close}`);
    expect(parsed).toEqual({ ok: false, reason: "it is nested too deeply to read" });
  });
});
