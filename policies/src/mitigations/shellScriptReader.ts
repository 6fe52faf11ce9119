import { loadShellGrammar, parseShellLoaded, ShellNode, SkipStatement } from "./shellParser";
import {
  concatValues,
  ExitEffect,
  KernelCondition,
  literal,
  literalText,
  NO_EFFECTS,
  PackageEffect,
  ScriptEffect,
  ReadOptions,
  ScriptReading,
  ShellValue,
} from "./scriptEffects";

/**
 * Reads a shell script from its syntax tree (shellParser.ts) the way the shell would run it, statically: which
 * commands run, through which wrappers (`sudo`, `sudo -u root`, `env`, `command`, `nohup`, `timeout`, assignments,
 * `bash -c` / `sh -c` strings and `bash <<EOF` here-documents), functions that are called, `&&` / `||` / `;` /
 * newline sequences and pipelines, with variables followed through assignments (`X=…`, `local`, `export`,
 * `readonly`, `${X:=default}`, `${X:-default}`, `${X#*-}`) and `uname -r` recognised (also as the advisory's
 * `uname -r | awk -F"-" '{print $NF}'` and `uname -r | cut -d- -f2`). Conditions decided by literals
 * (`[ "$X" = yes ]` with X assigned a literal, `case` on a literal) take only their branch; a `case` (or `[[ ]]`
 * pattern test) on `uname -r` makes its arms kernel conditions; any other condition or loop is read as "may run".
 * An unconditional `exit` ends the reading.
 *
 * Not followed (static reading): `eval`, `source` / `.`, scripts written to files and run later, commands built
 * from variables, command output other than `uname -r`, loop variables, arithmetic. What is not followed is unknown,
 * and an unknown never makes a command count.
 *
 * Scripts that name neither a package manager nor a reboot are not parsed at all: nothing in them can count.
 */
export async function readShellScript(
  source: string,
  origin: string,
  options: ReadOptions = {},
): Promise<ScriptReading> {
  if (!MAY_MATTER.test(source) || !mayMatterHere(source, options)) return NO_EFFECTS;
  await loadShellGrammar();
  const parsed = parseShellLoaded(source, inertStatements(source));
  if (!parsed.ok) return { state: "cannot-be-read", reason: parsed.reason };
  const reader = new ShellReader(parsed.source, origin);
  try {
    reader.sequence(parsed.root.children, ROOT_CONTEXT);
  } catch (error) {
    if (error instanceof TooComplex) return { state: "cannot-be-read", reason: error.message };
    throw error;
  }
  return { state: "runs", effects: reader.effects, notes: [] };
}

function mayMatterHere(source: string, options: ReadOptions): boolean {
  if (!options.onlyIfMentions || options.onlyIfMentions.test(source)) return true;
  return (
    options.documentMentions === true &&
    options.partsAlsoIfMentions !== undefined &&
    options.partsAlsoIfMentions.test(source)
  );
}

/** Words without which a script cannot install, update or remove packages or reboot. */
const MAY_MATTER = /yum|dnf|rpm|reboot|shutdown|systemctl|init|194|poweroff|halt/;

/**
 * Top-level statements this reader would read as doing nothing, found from their text alone so that the parser need
 * not copy them (most lines of a provisioning script are such commands). A statement is inert when it is short
 * (so it cannot hold nesting deep enough to hit a limit below) and, with quotes removed, has
 * - no character that expands, substitutes, escapes, assigns, groups, tests, redirects input or starts a comment
 *   (`$` `` ` `` `\` `=` `(` `)` `{` `}` `[` `]` `<` `!` `#`), so every word is the literal text it shows, and
 * - no word (or path ending) that the reader acts on: a reserved word, a shell, a wrapper, a package manager, a
 *   reboot, `exit` / `return`, `uname`, a declaration.
 * Such a command runs a program the reader does not follow, with literal arguments: reading it adds no effect and
 * changes no variable. A script that defines functions is read whole (any command could call one).
 */
function inertStatements(source: string): SkipStatement | undefined {
  if (DEFINES_FUNCTIONS.test(source)) return undefined;
  return (start, end) => {
    if (end - start > MAX_INERT_CHARS) return false;
    let text = source.slice(start, end);
    if (MAY_ACT.test(text)) return false;
    if (QUOTES.test(text)) text = text.replace(QUOTES_ALL, "");
    return !ACTED_ON_WORD.test(text);
  };
}

const DEFINES_FUNCTIONS = /\(\s*\)|\bfunction\b/;
const MAX_INERT_CHARS = 256;
const MAY_ACT = /[$`\\=(){}[\]<!#]/;
const QUOTES = /["']/;
const QUOTES_ALL = /["']/g;

/** Upper bound on nodes visited per script, function calls included (bounded time on pathological input). */
const MAX_STEPS = 2_000_000;
const MAX_DEPTH = 200;

class TooComplex extends Error {}

type Flow = "continues" | "exits" | "returns";
type Tri = true | false | undefined;

interface Context {
  /** Kernel conditions of the enclosing branches. */
  readonly kernel: readonly KernelCondition[];
  /** Inside a branch or loop that may not run: an `exit` there does not end the reading. */
  readonly conditional: boolean;
  readonly runsAs: PackageEffect["runsAs"];
  readonly depth: number;
}

const ROOT_CONTEXT: Context = { kernel: [], conditional: false, runsAs: "script-user", depth: 0 };

const RESERVED_WORDS = new Set([
  "if",
  "then",
  "elif",
  "else",
  "fi",
  "do",
  "done",
  "case",
  "esac",
  "while",
  "until",
  "for",
  "in",
  "function",
  "{",
  "}",
]);
const SHELLS = new Set(["bash", "sh", "dash", "ksh", "zsh"]);
/** Wrappers that run their arguments as the command, after their own options. */
const PLAIN_WRAPPERS = new Set([
  "command",
  "exec",
  "nohup",
  "time",
  "builtin",
  "setsid",
  "stdbuf",
  "ionice",
  "chrt",
  "flock",
]);
const YUM_VALUE_OPTIONS = new Set([
  "-c",
  "-d",
  "-e",
  "-R",
  "-x",
  "--exclude",
  "--enablerepo",
  "--disablerepo",
  "--installroot",
  "--releasever",
  "--setopt",
  "--color",
  "--rpmverbosity",
  "--downloaddir",
  "--destdir",
  "--repo",
  "--repoid",
  "--config",
  "--debuglevel",
  "--errorlevel",
]);
const SUBCOMMANDS: Record<string, PackageEffect["kind"]> = {
  install: "install",
  reinstall: "install",
  localinstall: "install",
  update: "update",
  upgrade: "update",
  "update-minimal": "update",
  "upgrade-minimal": "update",
  remove: "remove",
  erase: "remove",
};
/** Words the reader acts on in command position (see inertStatements): anything else with literal words is inert. */
const ACTED_ON = new Set([
  ...RESERVED_WORDS,
  ...SHELLS,
  ...PLAIN_WRAPPERS,
  "[[",
  "]]",
  "select",
  "coproc",
  "sudo",
  "su",
  "env",
  "timeout",
  "nice",
  "yum",
  "dnf",
  "rpm",
  "reboot",
  "shutdown",
  "init",
  "telinit",
  "exit",
  "return",
  "uname",
  "unset",
  "export",
  "local",
  "declare",
  "readonly",
  "typeset",
  "eval",
  "source",
  ".",
]);
/**
 * A word (the text between `\s ; & | >`) whose last path segment is one of ACTED_ON: the word starts at the start of
 * the text or after a separator, or its last `/` comes just before; it ends at a separator or the end. (One pass of
 * one regular expression, in place of splitting every statement into words.)
 */
const ACTED_ON_WORD = new RegExp(
  `(?:^|[\\s;&|>/])(?:${[...ACTED_ON].map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})(?=[\\s;&|>]|$)`,
);

class ShellReader {
  readonly effects: ScriptEffect[] = [];
  private readonly variables = new Map<string, ShellValue>();
  private readonly functions = new Map<string, ShellNode>();
  private readonly calling = new Set<string>();
  private steps = 0;

  constructor(
    private readonly source: string,
    private readonly origin: string,
  ) {}

  private step(depth: number): void {
    if (++this.steps > MAX_STEPS) throw new TooComplex("it is too large to follow");
    if (depth > MAX_DEPTH) throw new TooComplex("it is nested too deeply to follow");
  }

  private text(node: ShellNode): string {
    return this.source.slice(node.start, node.end);
  }

  sequence(nodes: readonly ShellNode[], ctx: Context): Flow {
    for (const node of nodes) {
      if (!node.named || node.type === "comment") continue;
      const flow = this.statement(node, ctx);
      if (flow !== "continues") return flow;
    }
    return "continues";
  }

  private statement(node: ShellNode, ctx: Context): Flow {
    this.step(ctx.depth);
    const inner: Context = { ...ctx, depth: ctx.depth + 1 };
    switch (node.type) {
      case "program":
      case "compound_statement":
      case "do_group":
        return this.sequence(node.children, inner);
      case "subshell": {
        const flow = this.sequence(node.children, inner);
        return flow === "exits" ? "continues" : flow;
      }
      case "list":
        return this.list(node, inner);
      case "pipeline":
        for (const part of named(node)) this.statement(part, { ...inner, conditional: true });
        return "continues";
      case "negated_command":
        for (const part of named(node)) this.statement(part, inner);
        return "continues";
      case "redirected_statement":
        return this.redirected(node, inner);
      case "command":
        return this.command(node, inner);
      case "variable_assignment":
        this.assign(node, inner);
        return "continues";
      case "variable_assignments":
        for (const part of named(node)) this.assign(part, inner);
        return "continues";
      case "declaration_command":
        for (const part of named(node)) if (part.type === "variable_assignment") this.assign(part, inner);
        return "continues";
      case "unset_command":
        for (const part of named(node)) this.variables.delete(this.text(part));
        return "continues";
      case "function_definition": {
        const name = node.children.find((c) => c.field === "name");
        const body = node.children.find((c) => c.field === "body");
        if (name && body) this.functions.set(this.text(name), body);
        return "continues";
      }
      case "if_statement":
        return this.ifStatement(node, inner);
      case "case_statement":
        return this.caseStatement(node, inner);
      case "while_statement":
      case "until_statement":
      case "for_statement":
      case "c_style_for_statement": {
        const loop: Context = { ...inner, conditional: true };
        for (const part of named(node)) {
          if (part.field === "variable") this.variables.set(this.text(part), UNKNOWN);
          else if (part.field === "value") this.value(part, loop);
          else if (part.type === "do_group" || part.field === "body") this.statement(part, loop);
          else this.statement(part, loop);
        }
        return "continues";
      }
      case "test_command":
        this.condition(node, inner);
        return "continues";
      default:
        // Words and expansions standing alone (e.g. inside a condition): resolve them for their side effects.
        this.value(node, inner);
        return "continues";
    }
  }

  private list(node: ShellNode, ctx: Context): Flow {
    const parts = named(node);
    const operators = node.children.filter((c) => !c.named).map((c) => c.type);
    const first = this.statement(parts[0], ctx);
    if (first !== "continues") return first;
    const rest: Context = {
      ...ctx,
      conditional: ctx.conditional || operators.some((op) => op === "&&" || op === "||"),
    };
    for (const part of parts.slice(1)) {
      const flow = this.statement(part, rest);
      if (flow !== "continues" && !rest.conditional) return flow;
    }
    return "continues";
  }

  private redirected(node: ShellNode, ctx: Context): Flow {
    const body = node.children.find((c) => c.field === "body");
    const heredoc = node.children.find((c) => c.type === "heredoc_redirect");
    if (body?.type === "command" && heredoc) {
      // `bash <<EOF … EOF`, `sudo sh <<'EOF'`: the here-document is the script the shell runs.
      const words = this.commandWords(body, ctx);
      const run = this.unwrap(words);
      const program = run ? basename(literalText(run.words[0] ?? []) ?? "") : "";
      if (run && SHELLS.has(program) && run.words.length === 1) {
        const script = heredoc.children.find((c) => c.type === "heredoc_body");
        if (script)
          this.nested(this.source.slice(script.start, script.end), { ...ctx, runsAs: run.runsAs ?? ctx.runsAs });
        return "continues";
      }
    }
    for (const part of named(node)) {
      if (part.field === "body" || part === body) {
        const flow = this.statement(part, ctx);
        if (flow !== "continues") return flow;
      }
    }
    return "continues";
  }

  private ifStatement(node: ShellNode, ctx: Context): Flow {
    const branches: { condition?: ShellNode[]; body: ShellNode[] }[] = [];
    const collect = (clause: ShellNode, hasCondition: boolean) => {
      const condition = clause.children.filter((c) => c.field === "condition" && c.named);
      const body = named(clause).filter(
        (c) => c.field !== "condition" && c.type !== "elif_clause" && c.type !== "else_clause",
      );
      branches.push(hasCondition ? { condition, body } : { body });
    };
    collect(node, true);
    for (const clause of named(node)) {
      if (clause.type === "elif_clause") collect(clause, true);
      if (clause.type === "else_clause") collect(clause, false);
    }
    const kernel = ctx.kernel;
    let conditional = ctx.conditional;
    const excluded: string[] = [];
    for (const branch of branches) {
      let decided: Tri = true;
      let condition: KernelCondition | undefined;
      if (branch.condition) {
        const results = [];
        for (const c of branch.condition) results.push(this.condition(c, { ...ctx, kernel, conditional }));
        decided = results.length === 1 ? results[0].value : undefined;
        condition = results.length === 1 ? results[0].kernel : undefined;
      }
      if (decided === false) continue;
      const branchKernel = condition
        ? [...kernel, condition]
        : excluded.length
          ? [...kernel, { anyOf: ["*"], noneOf: [...excluded] }]
          : kernel;
      const flow = this.sequence(branch.body, {
        ...ctx,
        kernel: branchKernel,
        conditional: conditional || decided !== true || condition !== undefined,
      });
      if (decided === true && !condition) return conditional ? "continues" : flow;
      if (condition) excluded.push(...condition.anyOf);
      else conditional = true;
    }
    return "continues";
  }

  private caseStatement(node: ShellNode, ctx: Context): Flow {
    const subject = node.children.find((c) => c.field === "value");
    const value = subject ? this.value(subject, ctx) : UNKNOWN;
    const text = literalText(value);
    const onKernel = value.length === 1 && value[0].kind === "kernel-release";
    const earlier: string[] = [];
    for (const item of named(node).filter((c) => c.type === "case_item")) {
      const patterns: (string | undefined)[] = [];
      for (const p of item.children.filter((c) => c.field === "value")) patterns.push(this.pattern(p, ctx));
      const body = named(item).filter((c) => c.field !== "value");
      if (text !== undefined && patterns.every((p) => p !== undefined)) {
        if (patterns.some((p) => globMatches(p, text))) return this.sequence(body, ctx);
        continue;
      }
      if (onKernel && patterns.every((p) => p !== undefined)) {
        const condition: KernelCondition = { anyOf: patterns, noneOf: [...earlier] };
        earlier.push(...patterns);
        this.sequence(body, { ...ctx, kernel: [...ctx.kernel, condition], conditional: true });
        continue;
      }
      this.sequence(body, { ...ctx, conditional: true });
    }
    return "continues";
  }

  /** A case pattern or `[[ == ]]` right side as a shell pattern (quoted parts literal), or undefined if not literal. */
  private pattern(node: ShellNode, ctx: Context): string | undefined {
    const raw = this.text(node);
    if (!/["'$`]/.test(raw)) return raw;
    const value = literalText(this.value(node, ctx));
    return value === undefined ? undefined : value.replace(/[*?[\]\\]/g, "\\$&");
  }

  /** Evaluates a condition when literals decide it; also a `uname -r` pattern test becomes a kernel condition. */
  private condition(node: ShellNode, ctx: Context): { value: Tri; kernel?: KernelCondition } {
    this.step(ctx.depth);
    if (node.type === "test_command") {
      const expression = named(node)[0];
      return expression ? this.testExpression(expression, ctx) : { value: undefined };
    }
    if (node.type === "command") {
      const name = literalText(this.value(node.children.find((c) => c.field === "name") ?? node, ctx));
      if ((name === "true" || name === ":") && named(node).length === 1) return { value: true };
      if (name === "false" && named(node).length === 1) return { value: false };
    }
    if (node.type === "negated_command") {
      const result = this.condition(named(node)[0], ctx);
      return { value: result.value === undefined ? undefined : !result.value };
    }
    this.statement(node, { ...ctx, conditional: true });
    return { value: undefined };
  }

  private testExpression(node: ShellNode, ctx: Context): { value: Tri; kernel?: KernelCondition } {
    if (node.type === "parenthesized_expression") return this.testExpression(named(node)[0], ctx);
    if (node.type === "binary_expression") {
      const left = node.children.find((c) => c.field === "left");
      const right = node.children.find((c) => c.field === "right");
      const operator =
        node.children.find((c) => !c.named && c.field === "operator")?.type ??
        node.children.find((c) => !c.named)?.type;
      if (!left || !right || !operator) return { value: undefined };
      const a = this.value(left, ctx);
      if (operator === "=" || operator === "==" || operator === "!=") {
        const negate = operator === "!=";
        const aText = literalText(a);
        const pattern = right.type === "extglob_pattern" || right.type === "regex" ? this.text(right) : undefined;
        const b = pattern === undefined ? literalText(this.value(right, ctx)) : undefined;
        if (aText !== undefined && (b !== undefined || pattern !== undefined)) {
          const equal = pattern !== undefined ? globMatches(pattern, aText) : aText === b;
          return { value: negate ? !equal : equal };
        }
        if (a.length === 1 && a[0].kind === "kernel-release" && !negate && (b !== undefined || pattern !== undefined)) {
          return { value: undefined, kernel: { anyOf: [pattern ?? b!.replace(/[*?[\]\\]/g, "\\$&")], noneOf: [] } };
        }
      }
      return { value: undefined };
    }
    if (node.type === "unary_expression") {
      const operator = node.children.find((c) => !c.named)?.type;
      const operand = named(node)[0];
      const text = operand ? literalText(this.value(operand, ctx)) : undefined;
      if (text !== undefined && operator === "-z") return { value: text.length === 0 };
      if (text !== undefined && operator === "-n") return { value: text.length > 0 };
      return { value: undefined };
    }
    this.value(node, ctx);
    return { value: undefined };
  }

  private assign(node: ShellNode, ctx: Context): void {
    const name = node.children.find((c) => c.field === "name");
    const valueNode = node.children.find((c) => c.field === "value");
    if (!name) return;
    const value = valueNode ? this.value(valueNode, ctx) : literal("");
    this.variables.set(this.text(name), value);
  }

  /** The words of a simple command (name and arguments), with prefix assignments applied. */
  private commandWords(node: ShellNode, ctx: Context): ShellValue[] {
    const words: ShellValue[] = [];
    for (const child of node.children) {
      if (child.type === "variable_assignment") this.assign(child, ctx);
      else if (child.field === "name") words.push(this.value(child, ctx));
      else if (child.field === "argument") words.push(this.value(child, ctx));
      else if (child.named && child.type !== "comment") this.value(child, ctx);
    }
    return words;
  }

  private command(node: ShellNode, ctx: Context): Flow {
    const words = this.commandWords(node, ctx);
    if (words.length === 0) return "continues";
    const argNodes = node.children.filter((c) => c.field === "argument");
    const run = this.unwrap(words);
    if (!run) return "continues";
    const runsAs = run.runsAs ?? ctx.runsAs;
    const args = run.words;
    const program = basename(literalText(args[0]) ?? "");
    // A reserved word in command position means the grammar misread the script (seen with tree-sitter-bash 0.25
    // after `name=… name=…` lines inside functions): fail closed rather than read a wrong tree.
    if (RESERVED_WORDS.has(literalText(words[0]) ?? ""))
      throw new TooComplex("the shell grammar could not read it reliably");
    const here: Context = { ...ctx, runsAs };

    if (SHELLS.has(program) || program === "su") {
      const script = this.shellString(args, program, argNodes.slice(argNodes.length - (args.length - 1)));
      if (script !== undefined) {
        const asRoot = program === "su" ? (suTarget(args) === "root" ? "root" : "other-user") : runsAs;
        this.nested(script, { ...here, runsAs: asRoot });
      }
      return "continues";
    }
    if (program === "yum" || program === "dnf") {
      const effect = packageManagerEffect(program, args.slice(1), this.base(here));
      if (effect) this.effects.push(effect);
      return "continues";
    }
    if (program === "rpm") {
      const flags = args.slice(1).map(literalText);
      if (
        flags.some(
          (f) =>
            f === "-e" ||
            f === "--erase" ||
            (f !== undefined && /^-[a-zA-Z]*e[a-zA-Z]*$/.test(f) && !f.startsWith("--")),
        )
      ) {
        const packages = args.slice(1).filter((a) => !(literalText(a) ?? "").startsWith("-"));
        this.effects.push({
          kind: "remove",
          manager: "rpm",
          packages,
          assumeYes: true,
          downloadOnly: false,
          opaqueArguments: false,
          ...this.base(here),
        });
      }
      return "continues";
    }
    const reboot = rebootOf(program, args.slice(1).map(literalText));
    if (reboot) {
      this.effects.push({ kind: "reboot", how: reboot, ...this.base(here) });
      return "continues";
    }
    if (program === "exit") {
      const code = args[1] ? literalText(args[1]) : "0";
      if (code !== undefined && /^[0-9]+$/.test(code)) {
        const effect: ExitEffect = { kind: "exit", code: Number(code) % 256, ...this.base(here) };
        this.effects.push(effect);
      }
      return ctx.conditional ? "continues" : "exits";
    }
    if (program === "return") return ctx.conditional ? "continues" : "returns";
    const body = this.functions.get(program);
    if (body && !this.calling.has(program)) {
      this.calling.add(program);
      try {
        const flow = this.statement(body, { ...here, depth: ctx.depth + 1 });
        return flow === "exits" ? "exits" : "continues";
      } finally {
        this.calling.delete(program);
      }
    }
    return "continues";
  }

  private base(ctx: Context): {
    origin: string;
    kernelConditions: readonly KernelCondition[];
    runsAs: PackageEffect["runsAs"];
  } {
    return { origin: this.origin, kernelConditions: ctx.kernel, runsAs: ctx.runsAs };
  }

  /** Strips wrappers (`sudo`, `env`, `nohup`…) off a command, noting a change of user. */
  private unwrap(words: readonly ShellValue[]): { words: ShellValue[]; runsAs?: PackageEffect["runsAs"] } | undefined {
    let rest = [...words];
    let runsAs: PackageEffect["runsAs"] | undefined;
    for (let guard = 0; guard < 16 && rest.length > 0; guard++) {
      const name = literalText(rest[0]);
      if (name === undefined) return undefined;
      const program = basename(name);
      if (program === "sudo") {
        const parsed = sudoArguments(rest.slice(1));
        if (!parsed) return undefined;
        runsAs = parsed.user === "root" ? "root" : "other-user";
        rest = parsed.command;
      } else if (program === "env") {
        let i = 1;
        while (i < rest.length) {
          const w = literalText(rest[i]);
          if (w === undefined) return undefined;
          if (w === "-u" || w === "--unset" || w === "-C" || w === "--chdir") i += 2;
          else if (w.startsWith("-") || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
          else break;
        }
        rest = rest.slice(i);
      } else if (program === "timeout") {
        let i = 1;
        while (i < rest.length && (literalText(rest[i]) ?? "").startsWith("-"))
          i += ["-s", "--signal", "-k", "--kill-after"].includes(literalText(rest[i])!) ? 2 : 1;
        rest = rest.slice(i + 1);
      } else if (program === "nice") {
        let i = 1;
        while (i < rest.length && (literalText(rest[i]) ?? "").startsWith("-"))
          i += literalText(rest[i]) === "-n" ? 2 : 1;
        rest = rest.slice(i);
      } else if (PLAIN_WRAPPERS.has(program)) {
        let i = 1;
        while (i < rest.length && (literalText(rest[i]) ?? "").startsWith("-")) i++;
        rest = rest.slice(i);
      } else break;
    }
    return rest.length > 0 ? { words: rest, runsAs } : undefined;
  }

  /** The script text of `bash -c '…'` / `su -c '…'`, from the source (so expansions are read by the inner shell). */
  private shellString(
    args: readonly ShellValue[],
    program: string,
    argNodes: readonly ShellNode[],
  ): string | undefined {
    for (let i = 1; i < args.length; i++) {
      const flag = literalText(args[i]);
      if (flag === undefined) return undefined;
      if (flag === "-c" || (program !== "su" && /^-[a-z]*c[a-z]*$/.test(flag)) || flag === "--command") {
        const value = args[i + 1];
        if (!value) return undefined;
        const text = literalText(value);
        if (text !== undefined) return text;
        // argNodes[k] is the node of args[k + 1].
        const raw = argNodes[i];
        return raw && raw.type === "string"
          ? unescapeDoubleQuoted(this.source.slice(raw.start + 1, raw.end - 1))
          : undefined;
      }
      if (!flag.startsWith("-") && program !== "su") return undefined;
    }
    return undefined;
  }

  private nested(script: string, ctx: Context): void {
    this.step(ctx.depth);
    const parsed = parseShellLoaded(script, inertStatements(script));
    if (!parsed.ok) throw new TooComplex(`a script it runs with a shell ${parsed.reason.replace(/^it /, "")}`);
    const reader = new ShellReader(parsed.source, this.origin);
    for (const [k, v] of this.variables) reader.variables.set(k, v);
    for (const [k, v] of this.functions) if (!this.calling.has(k)) reader.functions.set(k, v);
    reader.steps = this.steps;
    reader.functions.clear();
    reader.sequence(parsed.root.children, { ...ctx, depth: ctx.depth + 1 });
    this.steps = reader.steps;
    this.effects.push(...reader.effects);
  }

  /** A word as the shell expands it. */
  value(node: ShellNode, ctx: Context): ShellValue {
    this.step(ctx.depth);
    const deeper: Context = { ...ctx, depth: ctx.depth + 1 };
    switch (node.type) {
      case "word":
      case "number":
      case "extglob_pattern":
        return literal(unescapeUnquoted(this.text(node)));
      case "raw_string":
        return literal(this.text(node).slice(1, -1));
      case "ansi_c_string":
        return literal(
          this.text(node)
            .slice(2, -1)
            .replace(/\\n/g, "\n")
            .replace(/\\t/g, "\t")
            .replace(/\\'/g, "'")
            .replace(/\\\\/g, "\\"),
        );
      case "string":
      case "translated_string":
        return this.joined(
          node,
          deeper,
          node.start + (node.type === "translated_string" ? 2 : 1),
          node.end - 1,
          unescapeDoubleQuoted,
        );
      case "concatenation":
        return this.joined(node, deeper, node.start, node.end, unescapeUnquoted);
      case "string_content":
        return literal(unescapeDoubleQuoted(this.text(node)));
      case "simple_expansion": {
        const name = named(node)[0];
        return name ? this.variable(this.text(name)) : UNKNOWN;
      }
      case "expansion":
        return this.expansion(node, deeper);
      case "command_substitution":
        return this.substitution(node, deeper);
      case "variable_name":
        return literal(this.text(node));
      case "command_name":
        return named(node).length === 1 ? this.value(named(node)[0], ctx) : UNKNOWN;
      default:
        if (node.children.length === 0) return literal(this.text(node));
        for (const child of named(node)) this.statementOrValue(child, deeper);
        return UNKNOWN;
    }
  }

  private statementOrValue(node: ShellNode, ctx: Context): void {
    if (node.type === "command" || node.type === "pipeline" || node.type === "list")
      this.statement(node, { ...ctx, conditional: true });
    else this.value(node, ctx);
  }

  /** The pieces of a quoted string or a concatenation: text between children is literal. */
  private joined(node: ShellNode, ctx: Context, from: number, to: number, unescape: (s: string) => string): ShellValue {
    const parts: ShellValue[] = [];
    let at = from;
    for (const child of node.children) {
      if (!child.named) continue;
      if (child.start > at) parts.push(literal(unescape(this.source.slice(at, child.start))));
      parts.push(this.value(child, ctx));
      at = child.end;
    }
    if (to > at) parts.push(literal(unescape(this.source.slice(at, to))));
    return concatValues(parts);
  }

  private variable(name: string): ShellValue {
    return this.variables.get(name) ?? UNKNOWN;
  }

  private expansion(node: ShellNode, ctx: Context): ShellValue {
    const inner = node.children.filter((c) => c.type !== "${" && c.type !== "}");
    const nameNode = inner.find((c) => c.type === "variable_name");
    if (!nameNode || inner[0] !== nameNode) return UNKNOWN; // ${#x}, ${!x}, ${@}…
    const name = this.text(nameNode);
    const operator = inner.find((c) => !c.named && c !== nameNode)?.type;
    const operandNodes = inner.filter((c) => c.named && c !== nameNode);
    const current = this.variables.get(name);
    if (!operator) return current ?? UNKNOWN;
    const operand = () => concatValues(operandNodes.map((n) => this.value(n, ctx)));
    switch (operator) {
      case ":-":
      case "-":
        return current && !(operator === ":-" && literalText(current) === "") ? current : operand();
      case ":=":
      case "=": {
        if (current && !(operator === ":=" && literalText(current) === "")) return current;
        const value = operand();
        this.variables.set(name, value);
        return value;
      }
      case ":+":
      case "+":
        return current ? operand() : literal("");
      case "#":
      case "##": {
        const pattern = operandNodes.length === 1 ? this.text(operandNodes[0]) : undefined;
        if (!current || pattern === undefined) return UNKNOWN;
        if (current.length === 1 && current[0].kind === "kernel-release" && (pattern === "*-" || pattern === "*[-]"))
          return SUB_VERSION;
        const text = literalText(current);
        return text === undefined ? UNKNOWN : literal(removePrefix(text, pattern, operator === "##"));
      }
      default:
        return UNKNOWN;
    }
  }

  /** `$(uname -r)` and the advisory's ways to take its last field; other substitutions run but their output is unknown. */
  private substitution(node: ShellNode, ctx: Context): ShellValue {
    const body = named(node);
    if (body.length === 1) {
      const stages = body[0].type === "pipeline" ? named(body[0]) : [body[0]];
      if (stages.every((s) => s.type === "command")) {
        const words: (string | undefined)[][] = [];
        for (const stage of stages) words.push(this.commandWords(stage, ctx).map(literalText));
        const kernel = kernelReleaseCommand(words);
        if (kernel) return kernel;
      }
    }
    for (const part of body) this.statement(part, { ...ctx, conditional: true });
    return UNKNOWN;
  }
}

const UNKNOWN: ShellValue = [{ kind: "unknown" }];
const KERNEL_RELEASE: ShellValue = [{ kind: "kernel-release" }];
const SUB_VERSION: ShellValue = [{ kind: "kernel-sub-version" }];

function kernelReleaseCommand(stages: readonly (readonly (string | undefined)[])[]): ShellValue | undefined {
  const [first, second] = stages;
  if (!first || first.length !== 2 || first[0] !== "uname" || first[1] !== "-r") return undefined;
  if (stages.length === 1) return KERNEL_RELEASE;
  if (stages.length !== 2 || second.some((w) => w === undefined)) return undefined;
  const args = second as string[];
  if (args[0] === "awk") {
    const rest = args.slice(1);
    const separator = rest[0] === "-F" ? rest[1] : rest[0]?.startsWith("-F") ? rest[0].slice(2) : undefined;
    const program = rest[rest.length - 1]?.replace(/\s+/g, "");
    if (
      separator === "-" &&
      (program === "{print$NF}" || program === "{print$2}") &&
      rest.length === (rest[0] === "-F" ? 3 : 2)
    )
      return SUB_VERSION;
  }
  if (args[0] === "cut") {
    const rest = args.slice(1).join(" ").replace(/-d\s*/, "-d").replace(/-f\s*/, "-f");
    if (/^(-d-\s+-f2-?|-f2-?\s+-d-)$/.test(rest)) return SUB_VERSION;
  }
  return undefined;
}

function packageManagerEffect(
  manager: "yum" | "dnf",
  args: readonly ShellValue[],
  base: ReturnType<ShellReader["base"]>,
): PackageEffect | undefined {
  let kind: PackageEffect["kind"] | undefined;
  let assumeYes = false;
  let downloadOnly = false;
  let opaque = false;
  const packages: ShellValue[] = [];
  for (let i = 0; i < args.length; i++) {
    const word = literalText(args[i]);
    if (word === undefined) {
      // A word the pack cannot read: a package name with a computed part, or anything else (even --downloadonly).
      if (kind && args[i][0]?.kind === "text") packages.push(args[i]);
      else opaque = true;
      continue;
    }
    if (word === "--downloadonly") downloadOnly = true;
    else if (word === "-y" || word === "--assumeyes" || /^-[a-zA-Z]*y[a-zA-Z]*$/.test(word)) assumeYes = true;
    else if (word === "--setopt=assumeyes=1" || word === "--setopt=assumeyes=True") assumeYes = true;
    else if (YUM_VALUE_OPTIONS.has(word)) i++;
    else if (word.startsWith("-")) continue;
    else if (!kind) {
      kind = SUBCOMMANDS[word];
      if (!kind) return undefined;
    } else packages.push(args[i]);
  }
  if (!kind) return undefined;
  return { kind, manager, packages, assumeYes, downloadOnly, opaqueArguments: opaque, ...base };
}

function rebootOf(program: string, args: readonly (string | undefined)[]): string | undefined {
  if (program === "reboot" && !args.includes("--help") && !args.includes("-w") && !args.includes("--wtmp-only"))
    return "reboot";
  if (
    program === "shutdown" &&
    args.some((a) => a === "-r" || a === "--reboot" || (a !== undefined && /^-[a-zA-Z]*r[a-zA-Z]*$/.test(a))) &&
    !args.includes("-c") &&
    !args.includes("-k")
  )
    return "shutdown -r";
  if (program === "systemctl" && args.filter((a) => !(a ?? "").startsWith("-"))[0] === "reboot")
    return "systemctl reboot";
  if ((program === "init" || program === "telinit") && args.length === 1 && args[0] === "6") return `${program} 6`;
  return undefined;
}

function sudoArguments(args: readonly ShellValue[]): { user: string; command: ShellValue[] } | undefined {
  let user = "root";
  let i = 0;
  for (; i < args.length; i++) {
    const w = literalText(args[i]);
    if (w === undefined) return undefined;
    if (w === "--") {
      i++;
      break;
    }
    if (!w.startsWith("-")) break;
    if (w === "-u" || w === "--user") user = literalText(args[++i] ?? UNKNOWN) ?? "?";
    else if (w.startsWith("-u")) user = w.slice(2);
    else if (w.startsWith("--user=")) user = w.slice(7);
    else if (["-g", "--group", "-C", "-D", "-h", "-p", "-r", "-t", "-T", "-U"].includes(w)) i++;
  }
  if (user === "0" || user === "#0") user = "root";
  return { user, command: args.slice(i) };
}

function suTarget(args: readonly ShellValue[]): string {
  for (let i = 1; i < args.length; i++) {
    const w = literalText(args[i]);
    if (w === undefined) return "?";
    if (w === "-c" || w === "--command" || w === "-s" || w === "--shell") i++;
    else if (w === "-" || w === "-l" || w === "--login" || w.startsWith("-")) continue;
    else return w === "0" ? "root" : w;
  }
  return "root";
}

function named(node: ShellNode): ShellNode[] {
  return node.children.filter((c) => c.named && c.type !== "comment");
}

function basename(program: string): string {
  return program.slice(program.lastIndexOf("/") + 1);
}

function unescapeUnquoted(text: string): string {
  return text.replace(/\\\n/g, "").replace(/\\(.)/g, "$1");
}

function unescapeDoubleQuoted(text: string): string {
  return text.replace(/\\\n/g, "").replace(/\\([$`"\\])/g, "$1");
}

/** Removes the shortest (`#`) or longest (`##`) prefix matching a shell pattern. */
function removePrefix(text: string, pattern: string, longest: boolean): string {
  const indices = [...Array(text.length + 1).keys()];
  for (const end of longest ? indices.reverse() : indices) {
    if (globMatches(pattern, text.slice(0, end))) return text.slice(end);
  }
  return text;
}

/** Whether text matches a shell pattern (`*`, `?`, `[…]`, `\x`; `a|b` alternatives as in `case`). */
export function globMatches(pattern: string, text: string): boolean {
  return globRegExp(pattern).test(text);
}

const globCache = new Map<string, RegExp>();

function globRegExp(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (re) return re;
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) out += escapeRe(pattern[++i]);
    else if (c === "*") out += "[\\s\\S]*";
    else if (c === "?") out += "[\\s\\S]";
    else if (c === "[") {
      const close = pattern.indexOf("]", i + 2);
      if (close < 0) out += "\\[";
      else {
        let set = pattern.slice(i + 1, close);
        if (set.startsWith("!")) set = `^${set.slice(1)}`;
        out += `[${set.replace(/\\/g, "\\\\")}]`;
        i = close;
      }
    } else if (c === "|") out += "|";
    else out += escapeRe(c);
  }
  re = new RegExp(`^(?:${out})$`);
  if (globCache.size > 1024) globCache.clear();
  globCache.set(pattern, re);
  return re;
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}
