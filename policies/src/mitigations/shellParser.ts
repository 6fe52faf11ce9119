/**
 * The shell grammar: `unbash` 6.0.4 (npm, ISC, zero dependencies, by webpro-nl, maintained: about 20 releases in
 * 2026; a GNU Bash 5.3 parser written in TypeScript). It gives a typed, source-positioned AST of what the shell
 * executes — statements, `&&`/`||` lists, pipelines, simple commands with their prefix assignments, arguments and
 * redirections, every compound command, and words split into their parts (literal, quoted, `$X`, `${X…}` with its
 * operator, `$( )` with its own parsed script, arithmetic, globs) — and it is tolerant: a script with syntax errors
 * still parses, with `errors` listing them. Pure JavaScript, synchronous, no WASM, no install script; ESM only, so it
 * is loaded with `import()` on first use (pack start-up does not pay for it: only a stack with a script to read does).
 *
 * Why this one, now (measured 2026-12-02 on the project's 2-vCPU machine, shared with other jobs, load average
 * 1-5): the 5 000 shell scripts the bench's user-data row makes the readers parse (22.9 MB), parsed in one `node`
 * process, 3 runs each: unbash 0.39-0.86 s (27-59 MB/s), plus 0-0.11 s for the nested-script error check below;
 * tree-sitter-bash 0.25 in WASM 6.0-6.9 s for parse and copy out of WASM (3.3-3.8 MB/s), which was 55-65 % of
 * `npx tsx bench/userDataReadingCost.ts 10000 2` (9.3-12.7 s then). That command, same machine and load (≈ 0.9),
 * 3 runs, two rounds: 6.5-8.1 s with tree-sitter-bash, 2.7-4.4 s with unbash (the first run of each round warms up).
 * unbash's word parts and nested scripts resolve lazily, on first access, so the reader pays only for the words it
 * looks at (and it skips inert commands without resolving their words).
 *
 * What it replaced: tree-sitter-bash (the tree-sitter project's Bash grammar, compiled to WebAssembly) run by
 * `web-tree-sitter`, chosen on 2026-12-01 over sh-syntax 0.7 (mvdan/sh as WASM: its JSON AST keeps no command words,
 * and it starts a Go runtime per call), mvdan-sh 0.10 (GopherJS: 120 ms per 4 KiB script) and bash-parser 0.5
 * (unmaintained). tree-sitter gave a concrete syntax tree whose every node had to be copied out of WASM memory
 * (≈ 2 µs per node through the binding), its GLR parse ran at 2-8 MB/s even natively (the native bindings were
 * measured too and saved little), and it misread real scripts: `$((10#$x))` (an ERROR node: "cannot be read"),
 * `! { …; }`, and `a=1 b=2` followed by a compound command inside a function (misread without an error, caught by
 * the reader as a reserved word in command position: "could not read it reliably"). unbash reads all three as Bash
 * does (the corpus has them).
 *
 * Errors, as the reader must treat them: unbash reports the errors of a command substitution's script (`$( )`,
 * backquotes, `<( )`) on that nested script, not on the top one, and parses nested scripts lazily; so a parse here
 * walks every word that holds one and checks its errors: any error anywhere means "cannot be read". Checked against
 * `bash -n` (GNU bash 5.2.15): they agree on the first 1 500 of the bench's scripts and on the specs' invalid ones.
 * Where unbash differs, it is stricter or Bash fails only at run time: a syntax error inside backquotes is an error
 * here (Bash parses backquotes when it runs them); an unterminated here-document is not an error (Bash runs it, with
 * a warning: the rest of the script is the document); arithmetic (`$((1 +))`) and bad substitutions (`${}`) are not
 * checked (Bash fails that command when it runs; the reader reads them as unknown). Nesting deeper than its limit
 * (256 levels of compound commands, or of substitutions) is an error, read as "nested too deeply".
 */
import type { ParsedScript, SyntaxNode } from "unbash";

type Unbash = typeof import("unbash");

export type ShellParse =
  | { readonly ok: true; readonly script: ParsedScript; readonly source: string }
  | { readonly ok: false; readonly reason: string };

/** Scripts above this size are not read (ECS user data is at most 32 KiB; Cloud Assistant content 16 KiB). */
export const MAX_SCRIPT_CHARS = 4 * 1024 * 1024;
/** Syntax nested deeper than this is not read (unbash's own limit, reported as an error; the reader's is lower). */
export const MAX_NESTING = 256;
/** Syntax-tree levels the error check descends (each level of syntax is a few levels of the tree). */
const MAX_TREE_DEPTH = 8 * MAX_NESTING;

let grammar: Promise<Unbash> | undefined;
let loaded: Unbash | undefined;

/** Whether the grammar has been loaded in this process (for the spec that checks it loads lazily). */
export function shellGrammarLoaded(): boolean {
  return grammar !== undefined;
}

/** Loads the grammar (once); parseShellLoaded needs it. */
export async function loadShellGrammar(): Promise<void> {
  grammar ??= import("unbash");
  loaded ??= await grammar;
}

/** Parses a script; any syntax error, or a script too large or too deep, is a reason it cannot be read. */
export async function parseShell(source: string): Promise<ShellParse> {
  await loadShellGrammar();
  return parseShellLoaded(source);
}

const NOT_VALID = "it is not valid shell (syntax error)";
const TOO_DEEP = "it is nested too deeply to read";

/** parseShell, synchronously, once loadShellGrammar has resolved (parsing itself is synchronous). */
export function parseShellLoaded(source: string): ShellParse {
  if (!loaded) throw new Error("the shell grammar is not loaded (await loadShellGrammar() first)");
  if (source.length > MAX_SCRIPT_CHARS)
    return { ok: false, reason: `it is larger than ${MAX_SCRIPT_CHARS / 1024 / 1024} MiB` };
  const { parse, forEachChild } = loaded;
  try {
    const script = parse(source);
    const problem = errorsIn(script, forEachChild);
    return problem ? { ok: false, reason: problem } : { ok: true, script, source };
  } catch (error) {
    // The parser and the walk recurse: a stack overflow is nesting too deep, anything else is a parser failure.
    if (error instanceof RangeError) return { ok: false, reason: TOO_DEEP };
    return { ok: false, reason: "the shell parser gave up on it" };
  }
}

/** Any substitution, whose script is parsed (and checked) only when its word's parts are resolved. */
const HOLDS_SCRIPT = /[$<>]\(|`/;

/**
 * The reason a script cannot be read, from its errors and those of every nested script (command substitutions,
 * process substitutions): only words whose text holds one are resolved, the rest stay unparsed. Iterative (a
 * stack, no recursion), with the depth of each node bounded.
 */
function errorsIn(script: ParsedScript, forEachChild: Unbash["forEachChild"]): string | undefined {
  const nodes: SyntaxNode[] = [script];
  const depths: number[] = [0];
  let depth = 0;
  const push = (child: SyntaxNode) => {
    nodes.push(child);
    depths.push(depth + 1);
  };
  for (let node = nodes.pop(); node; node = nodes.pop()) {
    depth = depths.pop()!;
    if (depth > MAX_TREE_DEPTH) return TOO_DEEP;
    switch (node.type) {
      case "Script":
        if (node.errors?.length)
          return node.errors.some((e) => e.message.includes("nesting depth")) ? TOO_DEEP : NOT_VALID;
        break;
      case "Word":
      case "HereDocBody":
        if (!HOLDS_SCRIPT.test(node.text)) continue;
        break;
      case "ArithmeticCommand":
        if (!HOLDS_SCRIPT.test(node.body)) continue;
        break;
    }
    forEachChild(node, push);
  }
  return undefined;
}
