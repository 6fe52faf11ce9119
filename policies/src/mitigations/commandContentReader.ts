import { ReadOptions, ScriptReading } from "./scriptEffects";
import { readShellScript } from "./shellScriptReader";

/**
 * Reads a Cloud Assistant `RunShellScript` command as the API runs it (alinux2-facts.md §4): CreateCommand takes
 * `CommandContent` in Base64 only, so anything else is not a command that runs; with `EnableParameter`, every
 * `{{name}}` (names `[A-Za-z0-9_-]`, case-insensitive) is replaced by the invocation's parameter before the script
 * runs, and a missing one fails the invocation. Built-in `{{ACS::…}}` parameters are left as they are. The content
 * runs as a script (no `#!` line needed).
 */
export async function readCommandContent(
  content: string,
  parameters?: ReadonlyMap<string, string>,
  options: ReadOptions = {},
): Promise<ScriptReading> {
  const compact = content.replace(/\s+/g, "");
  if (compact.length === 0 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) {
    return { state: "does-not-run", reason: "its commandContent is not Base64 (CreateCommand takes Base64 only)" };
  }
  let script = Buffer.from(compact, "base64").toString("utf8");
  if (parameters) {
    let missing = false;
    script = script.replace(/\{\{([A-Za-z0-9_-]+)\}\}/g, (_, name: string) => {
      const value = parameters.get(name.toLowerCase());
      if (value === undefined) missing = true;
      return value ?? "";
    });
    if (missing)
      return {
        state: "does-not-run",
        reason: "a {{parameter}} it uses has no value in the invocation, so the invocation fails",
      };
  }
  return readShellScript(script, "the command", options);
}
