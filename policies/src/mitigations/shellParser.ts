/**
 * The shell grammar: tree-sitter-bash (the tree-sitter project's Bash grammar, compiled to WebAssembly and shipped
 * in its npm package) run by `web-tree-sitter`. Pure WASM + JS, no install script needed, loaded on first use only.
 *
 * Why this one (measured 2026-12-01 on the project's 2-vCPU machine while other jobs shared it, load average 9-15;
 * `node` scripts parsing a 4 KiB user-data script 200-300 times, 2-3 runs each, medians):
 * - tree-sitter-bash via web-tree-sitter 0.25: load 27-51 ms (once), a 4 KiB script parsed and walked in 5.8-9.8 ms,
 *   a one-line script in 0.005-0.02 ms. One parser is reused for every script. It keeps every node's type, field
 *   and position, which is what a reading of the commands needs. It recovers from syntax errors, marking them
 *   (`ERROR` / missing nodes); the reader below treats any such mark as "cannot be read".
 * - sh-syntax 0.7 (mvdan/sh as WASM): the stricter parser, but its JSON AST keeps only statement positions (no
 *   command words, no node types), so commands cannot be read from it; and it instantiates a new Go runtime per
 *   call (3 ms for a one-line script; 7-18 ms for 4 KiB). Reusing one instance crashed its garbage collector.
 * - mvdan-sh 0.10 (mvdan/sh via GopherJS, full AST, synchronous): 225 ms to load, 120 ms per 4 KiB script.
 * - bash-parser 0.5: unmaintained since 2017.
 *
 * Known gaps of tree-sitter-bash 0.25 met on real scripts, all failing closed: `$((10#$x))` (an ERROR node: "cannot
 * be read"); `! { …; }` and `a=1 b=2` lines inside a function are misread without an error, which the reader
 * catches by seeing a reserved word (`{`, `if`…) in command position ("could not read it reliably"). The companion's
 * script avoids all three.
 *
 * Cost (same machine, busy): parsing is ≈ 1-1.8 ms per 4 KiB script; copying the tree out of WASM is the larger
 * part (each cursor step marshals through the binding, ≈ 2 µs per node, ≈ 1 000 nodes per 4 KiB), so the copy asks
 * the grammar for type and field names once per ID and checks for errors once per tree. A caller can also say which
 * top-level statements it would not read (SkipStatement): those are left out (the root's children come in one call
 * for all; a skipped one costs two more calls, its type and end), not copied; for the bench's user data (mostly plain
 * set-up commands) that cut a 5 KiB script's parse + copy from ≈ 2.3 ms to ≈ 1.1 ms, leaving the WASM parse itself
 * (≈ 1 ms) as the floor. Where many scripts must be read, they are read on several threads (userDataReadings.ts).
 *
 * The native `tree-sitter` binding was measured out (2026-12-02): its 0.25 prebuilt linux-x64 binary needs
 * GLIBCXX_3.4.31, which this Debian 12 machine's libstdc++ lacks; 0.22.4 loads but cannot load the tree-sitter-bash
 * 0.25 grammar (ABI 15). No install script may build it here. Two native routes that do load here were measured
 * against WASM on the bench's 2 500 largest shell scripts (13 MB, 3 runs each, machine shared, load 5-6): WASM
 * 1.05-2.06 ms per script (3.9-5.0 MB/s warm); `@sengac/tree-sitter` 0.25.15 (a fork of the binding, GLIBCXX_3.4.29)
 * with tree-sitter-bash's own prebuilt `.node`, 1.00-1.06 ms; `@ast-grep/napi` 0.51 with `@ast-grep/lang-bash`
 * (prebuilt grammar 0.25.1, no build needed) 0.84-1.19 ms, and 1.1 s to load. The grammar itself is the cost (its
 * external scanner and GLR stack: 2-8 MB/s natively, 1.9 MB/s on plain `echo a b c …` lines), so native parsing would
 * save little, and ast-grep exposes neither a child's field nor missing nodes, which the reader needs. WASM stays.
 *
 * The grammar is loaded lazily, so pack start-up does not pay for it: only a stack with a script to read does.
 */
import * as path from "node:path";

/** One node of the syntax tree, copied out of WASM memory in one walk (reading nodes through the binding is slow). */
export interface ShellNode {
  readonly type: string;
  /** Named nodes are grammar rules; unnamed ones are tokens such as `&&`, `;`, `:=`. */
  readonly named: boolean;
  /** The field of the parent this node fills (`name`, `argument`, `value`, `body`…), if any. */
  readonly field: string | undefined;
  readonly start: number;
  readonly end: number;
  readonly children: readonly ShellNode[];
}

export type ShellParse =
  | { readonly ok: true; readonly root: ShellNode; readonly source: string }
  | { readonly ok: false; readonly reason: string };

/** Scripts above this size are not read (ECS user data is at most 32 KiB; Cloud Assistant content 16 KiB). */
export const MAX_SCRIPT_CHARS = 4 * 1024 * 1024;
/** Syntax nested deeper than this is not read (bounded recursion in the reader). */
export const MAX_NESTING = 256;

interface NodeLike {
  readonly typeId: number;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly hasError: boolean;
  readonly children: readonly (NodeLike | null)[];
  walk(): TreeCursorLike;
}
interface LoadedGrammar {
  parse(text: string): { rootNode: NodeLike; delete(): void } | null;
  language: {
    nodeTypeForId(id: number): string | null;
    nodeTypeIsNamed(id: number): boolean;
    fieldNameForId(id: number): string | null;
  };
}
interface TreeCursorLike {
  readonly nodeTypeId: number;
  readonly currentFieldId: number;
  readonly startIndex: number;
  readonly endIndex: number;
  gotoFirstChild(): boolean;
  gotoNextSibling(): boolean;
  gotoParent(): boolean;
  delete(): void;
}

let grammar: Promise<LoadedGrammar> | undefined;

async function loadGrammar(): Promise<LoadedGrammar> {
  const { Parser, Language } = await import("web-tree-sitter");
  await Parser.init();
  const wasm = path.join(path.dirname(require.resolve("tree-sitter-bash/package.json")), "tree-sitter-bash.wasm");
  const language = await Language.load(wasm);
  const parser = new Parser();
  parser.setLanguage(language);
  return parser as unknown as LoadedGrammar;
}

/** Whether the grammar has been loaded in this process (for the spec that checks it loads lazily). */
export function shellGrammarLoaded(): boolean {
  return grammar !== undefined;
}

let loaded: LoadedGrammar | undefined;

/** Loads the grammar (once); parseShellLoaded needs it. */
export async function loadShellGrammar(): Promise<void> {
  grammar ??= loadGrammar();
  loaded ??= await grammar;
}

/** Parses a script; any syntax error, or a script too large or too deep, is a reason it cannot be read. */
export async function parseShell(source: string): Promise<ShellParse> {
  await loadShellGrammar();
  return parseShellLoaded(source);
}

/**
 * Says which top-level statements of a script the caller will not read (given their source range), so they are not
 * copied out of WASM: the copy is the larger part of the cost, and most lines of a provisioning script cannot matter.
 * The statement is left out of the root's children; only a simple command, list, pipeline or redirected statement
 * is ever left out. The whole tree is still parsed and checked for syntax errors.
 */
export type SkipStatement = (start: number, end: number) => boolean;

const SKIPPABLE_TYPES = new Set(["command", "list", "pipeline", "redirected_statement"]);

/** parseShell, synchronously, once loadShellGrammar has resolved (parsing itself is synchronous). */
export function parseShellLoaded(source: string, skip?: SkipStatement): ShellParse {
  if (!loaded) throw new Error("the shell grammar is not loaded (await loadShellGrammar() first)");
  if (source.length > MAX_SCRIPT_CHARS)
    return { ok: false, reason: `it is larger than ${MAX_SCRIPT_CHARS / 1024 / 1024} MiB` };
  const parser = loaded;
  const tree = parser.parse(source);
  if (!tree) return { ok: false, reason: "the shell parser gave up on it" };
  try {
    // One call for the whole tree: any ERROR or missing node.
    if (tree.rootNode.hasError) return { ok: false, reason: "it is not valid shell (syntax error)" };
    return copyProgram(tree.rootNode, source, symbolsOf(parser), skip);
  } finally {
    tree.delete();
  }
}

/**
 * The root and its statements: the statements' types and ranges come in one call for all (the root's children),
 * so a statement the caller will not read costs two questions to WASM (its type, its end); the others are copied.
 */
function copyProgram(root: NodeLike, source: string, names: Symbols, skip: SkipStatement | undefined): ShellParse {
  const program: Building = {
    type: names.type(root.typeId),
    named: names.named(root.typeId),
    field: undefined,
    start: root.startIndex,
    end: root.endIndex,
    children: [],
  };
  for (const statement of root.children) {
    if (!statement) continue;
    // A top-level statement the caller will not read: neither copied nor descended into.
    if (skip && SKIPPABLE_TYPES.has(names.type(statement.typeId)) && skip(statement.startIndex, statement.endIndex))
      continue;
    const copied = copyTree(statement.walk(), names);
    if (!copied) return { ok: false, reason: "it is nested too deeply to read" };
    program.children.push(copied);
  }
  return { ok: true, root: program, source };
}

interface Building {
  type: string;
  named: boolean;
  field: string | undefined;
  start: number;
  end: number;
  children: ShellNode[];
}

interface Symbols {
  type(id: number): string;
  named(id: number): boolean;
  field(id: number): string | undefined;
}

let symbols: Symbols | undefined;

/** Node type and field names by ID, asked of the grammar once each (every question is a call into WASM). */
function symbolsOf(parser: LoadedGrammar): Symbols {
  if (symbols) return symbols;
  const types: string[] = [];
  const named: boolean[] = [];
  const fields: (string | undefined)[] = [];
  const { language } = parser;
  return (symbols = {
    type: (id) => (types[id] ??= language.nodeTypeForId(id) ?? "ERROR"),
    named: (id) => (named[id] ??= language.nodeTypeIsNamed(id)),
    field: (id) => (id === 0 ? undefined : (fields[id] ??= language.fieldNameForId(id) ?? undefined)),
  });
}

/** The subtree under a cursor (a statement of the program, one level below the root); undefined if too deep. */
function copyTree(cursor: TreeCursorLike, names: Symbols): ShellNode | undefined {
  try {
    const stack: Building[] = [];
    let root: Building | undefined;
    for (;;) {
      const typeId = cursor.nodeTypeId;
      const node: Building = {
        type: names.type(typeId),
        named: names.named(typeId),
        // The statement's own field (in the program) is none: the cursor starts at it and cannot see its parent.
        field: stack.length === 0 ? undefined : names.field(cursor.currentFieldId),
        start: cursor.startIndex,
        end: cursor.endIndex,
        children: [],
      };
      if (stack.length > 0) stack[stack.length - 1].children.push(node);
      else root = node;
      // The program is one level above the statement.
      if (stack.length + 1 >= MAX_NESTING) return undefined;
      if (cursor.gotoFirstChild()) {
        stack.push(node);
        continue;
      }
      if (!nextNode(cursor, stack)) return root!;
    }
  } finally {
    cursor.delete();
  }
}

/** Moves to the next node in document order that is not inside the current one; false at the end of the tree. */
function nextNode(cursor: TreeCursorLike, stack: Building[]): boolean {
  while (!cursor.gotoNextSibling()) {
    if (!cursor.gotoParent()) return false;
    stack.pop();
    if (stack.length === 0) return false;
  }
  return true;
}

/** The source text of a node. */
export function textOf(node: ShellNode, source: string): string {
  return source.slice(node.start, node.end);
}
