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

interface LoadedGrammar {
  parse(text: string): { rootNode: unknown; walk(): TreeCursorLike; delete(): void } | null;
}
interface TreeCursorLike {
  readonly nodeType: string;
  readonly nodeIsNamed: boolean;
  readonly nodeIsMissing: boolean;
  readonly currentFieldName: string | null;
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

/** Parses a script; any syntax error, or a script too large or too deep, is a reason it cannot be read. */
export async function parseShell(source: string): Promise<ShellParse> {
  if (source.length > MAX_SCRIPT_CHARS) return { ok: false, reason: `it is larger than ${MAX_SCRIPT_CHARS / 1024 / 1024} MiB` };
  grammar ??= loadGrammar();
  const parser = await grammar;
  const tree = parser.parse(source);
  if (!tree) return { ok: false, reason: "the shell parser gave up on it" };
  try {
    return copyTree(tree.walk(), source);
  } finally {
    tree.delete();
  }
}

interface Building {
  type: string;
  named: boolean;
  field: string | undefined;
  start: number;
  end: number;
  children: ShellNode[];
}

function copyTree(cursor: TreeCursorLike, source: string): ShellParse {
  try {
    const stack: Building[] = [];
    let root: Building | undefined;
    for (;;) {
      const node: Building = {
        type: cursor.nodeType,
        named: cursor.nodeIsNamed,
        field: cursor.currentFieldName ?? undefined,
        start: cursor.startIndex,
        end: cursor.endIndex,
        children: [],
      };
      if (node.type === "ERROR" || cursor.nodeIsMissing) {
        return { ok: false, reason: "it is not valid shell (syntax error)" };
      }
      if (stack.length > 0) stack[stack.length - 1].children.push(node);
      else root = node;
      if (stack.length >= MAX_NESTING) return { ok: false, reason: "it is nested too deeply to read" };
      if (cursor.gotoFirstChild()) {
        stack.push(node);
        continue;
      }
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) return { ok: true, root: root!, source };
        stack.pop();
        if (stack.length === 0) return { ok: true, root: root!, source };
      }
    }
  } finally {
    cursor.delete();
  }
}

/** The source text of a node. */
export function textOf(node: ShellNode, source: string): string {
  return source.slice(node.start, node.end);
}
