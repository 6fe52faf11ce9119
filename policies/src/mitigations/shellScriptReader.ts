import type {
  AndOr,
  ArithmeticExpression,
  Assignment,
  Case,
  Command,
  CommandNode,
  If,
  ParameterExpansionPart,
  ParsedScript,
  Pipeline,
  PipelineNode,
  Statement,
  TestExpression,
  Word,
  WordPart,
} from "unbash";
import { loadShellGrammar, parseShellLoaded } from "./shellParser";
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
 * Reads a shell script from its syntax tree (shellParser.ts, unbash's AST) the way the shell would run it,
 * statically: which commands run, through which wrappers (`sudo`, `sudo -u root`, `env`, `command`, `nohup`,
 * `timeout`, assignments, `bash -c` / `sh -c` strings and `bash <<EOF` here-documents), functions that are called,
 * `&&` / `||` / `;` / newline sequences and pipelines, with variables followed through assignments (`X=…`, `local`,
 * `export`, `readonly`, `${X:=default}`, `${X:-default}`, `${X#*-}`) and `uname -r` recognised (also as the advisory's
 * `uname -r | awk -F"-" '{print $NF}'` and `uname -r | cut -d- -f2`). Conditions decided by literals
 * (`[ "$X" = yes ]` with X assigned a literal, `case` on a literal) take only their branch; a `case` (or `[[ ]]`
 * pattern test, `==` or `!=`, also before `&&` / `||`) on `uname -r` makes its arms kernel conditions; `true || x`,
 * `false && x`, `while false` never run x; any other condition or loop is read as "may run". An unconditional `exit`,
 * `exec cmd` or `set -n` ends the reading. A function of the script shadows the program of its name.
 *
 * Scopes as bash has them: a subshell (`( … )`, each command of a pipeline, `$( … )`, `cmd &`) keeps its
 * assignments, functions, options and traps to itself; `X=… cmd` holds for cmd only, and cmd's words are expanded
 * before it; a function's `local`s are restored as it returns. An EXIT trap is read when the shell (or subshell)
 * ends. Under errexit (`set -e`, `#!/bin/bash -e`) a command literals decide to fail ends the reading. A command
 * put in the background (`&`) has its package commands marked until a `wait` (any `wait`: which job it waits
 * for is not followed).
 *
 * Not followed (static reading): `eval`, `source` / `.`, scripts written to files and run later, commands built
 * from variables, command output other than `uname -r`, loop variables, arithmetic, brace expansion (`{a,b}`),
 * commands in here-documents fed to anything but a shell, and in redirection targets. What is not followed is
 * unknown, and an unknown never makes a command count.
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
  const parsed = parseShellLoaded(source);
  if (!parsed.ok) return { state: "cannot-be-read", reason: parsed.reason };
  const reader = new ShellReader(origin);
  try {
    reader.errexit = shebangSetsErrexit(source);
    reader.sequence(parsed.script.commands, ROOT_CONTEXT);
    reader.runExitTrap(ROOT_CONTEXT);
  } catch (error) {
    if (error instanceof TooComplex) return { state: "cannot-be-read", reason: error.message };
    if (error instanceof RangeError) return { state: "cannot-be-read", reason: "it is nested too deeply to follow" };
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

/**
 * Reserved words: unquoted in command position, they would mean the grammar misread the script (tree-sitter-bash
 * did, after `name=… name=…` lines inside functions; unbash has not been seen to, and reports such words out of
 * place as syntax errors). Kept as a guard that fails closed.
 */
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
/** Words that expand or substitute: `$…`, backquotes, `<( )` / `>( )`. */
const EXPANDS = /[$`]|[<>]\(/;
/** Builtins whose `NAME=value` arguments assign (unbash gives them as assignments). */
const DECLARATIONS = new Set(["local", "export", "declare", "readonly", "typeset"]);
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
  "--excludepkgs",
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
  autoremove: "remove",
};

type FunctionBody = Extract<CommandNode, { type: "Function" }>["body"];
/** A node the reader runs: a statement's command, a compound command's part, a function's body. */
type Runnable = PipelineNode | AndOr | FunctionBody;

/** The words of a simple command: their values, and the nodes they came from (for `bash -c "…"`). */
interface CommandWords {
  readonly values: ShellValue[];
  readonly nodes: (Word | Assignment)[];
}

/** Command names the reader acts on (see ShellReader.inert): a command named otherwise, with literal words, is inert. */
const ACTED_ON = new Set([
  ...RESERVED_WORDS,
  ...SHELLS,
  ...PLAIN_WRAPPERS,
  ...DECLARATIONS,
  "su",
  "sudo",
  "env",
  "timeout",
  "nice",
  "yum",
  "dnf",
  "rpm",
  "reboot",
  "shutdown",
  "systemctl",
  "init",
  "telinit",
  "exit",
  "return",
  "unset",
  "set",
  "wait",
  "trap",
]);

const SHELL_VARIABLES = [
  "BASH",
  "BASHOPTS",
  "BASHPID",
  "BASH_VERSINFO",
  "BASH_VERSION",
  "EUID",
  "HOME",
  "HOSTNAME",
  "HOSTTYPE",
  "LINENO",
  "MACHTYPE",
  "OSTYPE",
  "PATH",
  "PPID",
  "PWD",
  "RANDOM",
  "SECONDS",
  "SHELLOPTS",
  "UID",
];

class ShellReader {
  readonly effects: ScriptEffect[] = [];
  /** Variables the shell itself sets (`${BASH_VERSION:-}` is not empty under bash), or the environment gives: unknown. */
  private readonly variables = new Map<string, ShellValue>(SHELL_VARIABLES.map((name) => [name, UNKNOWN]));
  private readonly functions = new Map<string, FunctionBody>();
  private readonly calling = new Set<string>();
  /** Per function call being read: the variables its `local`s shadow, with their values before (undefined: unset). */
  private readonly localFrames: Map<string, ShellValue | undefined>[] = [];
  /** Assignments are not followed (a here-document the outer shell expanded: ShellReader.nested). */
  private frozenVariables = false;
  /** `set -e` (or `#!/bin/bash -e`): a command that surely fails ends the script. */
  errexit = false;
  /** The script of `trap '…' EXIT`, run when the shell exits. */
  private exitTrap: string | undefined;
  private steps = 0;

  constructor(private readonly origin: string) {}

  private step(depth: number): void {
    if (++this.steps > MAX_STEPS) throw new TooComplex("it is too large to follow");
    if (depth > MAX_DEPTH) throw new TooComplex("it is nested too deeply to follow");
  }

  sequence(statements: readonly Statement[], ctx: Context): Flow {
    for (const statement of statements) {
      if (statement.background) {
        this.background(statement.command, ctx);
        continue;
      }
      // Under `set -e`, a command that surely fails (`false`, a test literals decide false) ends the script.
      const command = statement.command;
      if (
        this.errexit &&
        !ctx.conditional &&
        (command.type === "Command" || command.type === "TestCommand") &&
        decidable(command) &&
        this.condition(command, ctx).value === false
      )
        return "exits";
      const flow = this.statement(command, ctx);
      if (flow !== "continues") return flow;
    }
    return "continues";
  }

  /** `cmd &`: it runs in a subshell, and the script goes on without it; its package commands are marked. */
  private background(node: Runnable, ctx: Context): void {
    const start = this.effects.length;
    this.scoped(() => this.statement(node, { ...ctx, conditional: true }), ctx);
    for (let i = start; i < this.effects.length; i++) {
      const effect = this.effects[i];
      if (isPackageEffect(effect)) this.effects[i] = { ...effect, background: true };
    }
  }

  /** `wait`: the script waits for its background jobs, whose package commands then count as finished. */
  private waitForJobs(): void {
    for (const [i, effect] of this.effects.entries())
      if (isPackageEffect(effect) && effect.background) this.effects[i] = { ...effect, background: false };
  }

  /**
   * Runs part of the script in a subshell (`( … )`, a pipeline's commands, `$( … )`, `cmd &`): what it assigns,
   * defines, sets or traps is gone after it (an EXIT trap it sets runs as it ends).
   */
  private scoped<T>(run: () => T, ctx: Context): T {
    const variables = new Map(this.variables);
    const functions = new Map(this.functions);
    const { errexit, exitTrap } = this;
    this.exitTrap = undefined;
    try {
      const result = run();
      this.runExitTrap(ctx);
      return result;
    } finally {
      this.variables.clear();
      for (const [k, v] of variables) this.variables.set(k, v);
      this.functions.clear();
      for (const [k, v] of functions) this.functions.set(k, v);
      this.errexit = errexit;
      this.exitTrap = exitTrap;
    }
  }

  /** Runs the EXIT trap, if one is set, as the shell (or subshell) exits. */
  runExitTrap(ctx: Context): void {
    const trap = this.exitTrap;
    if (trap === undefined) return;
    this.exitTrap = undefined;
    this.step(ctx.depth);
    const parsed = parseShellLoaded(trap);
    if (!parsed.ok) throw new TooComplex(`its EXIT trap ${parsed.reason.replace(/^it /, "")}`);
    this.sequence(parsed.script.commands, { ...ctx, depth: ctx.depth + 1 });
  }

  private statement(node: Runnable, ctx: Context): Flow {
    this.step(ctx.depth);
    const inner: Context = { ...ctx, depth: ctx.depth + 1 };
    switch (node.type) {
      case "CompoundList":
        return this.sequence(node.commands, inner);
      case "BraceGroup":
        return this.sequence(node.body.commands, inner);
      case "Subshell": {
        const flow = this.scoped(() => this.sequence(node.body.commands, inner), inner);
        return flow === "exits" ? "continues" : flow;
      }
      case "AndOr":
        return this.list(node, inner);
      case "Pipeline":
        return this.pipeline(node, inner);
      case "Redirected":
        return this.statement(node.command, inner);
      case "Command":
        return this.command(node, inner);
      case "Function":
        this.functions.set(node.name.value, node.body);
        return "continues";
      case "If":
        return this.ifStatement(node, inner);
      case "Case":
        return this.caseStatement(node, inner);
      case "While": {
        const loop: Context = { ...inner, conditional: true };
        const clause = node.clause.commands;
        if (clause.length === 1 && decidable(clause[0].command)) {
          // `while false`, `until true`: the body never runs.
          const { value } = this.condition(clause[0].command, loop);
          if (value === (node.kind === "until")) return "continues";
        } else this.sequence(clause, loop);
        this.sequence(node.body.commands, loop);
        return "continues";
      }
      case "For": {
        const loop: Context = { ...inner, conditional: true };
        this.variables.set(node.name.value, UNKNOWN);
        for (const word of node.wordlist ?? []) this.value(word, loop);
        this.sequence(node.body.commands, loop);
        return "continues";
      }
      case "Select":
        // `select` runs its body for a choice read from standard input, and a provisioning script has none (cloud-init
        // gives it /dev/null): the menu's words are expanded, its body is not counted.
        for (const word of node.wordlist ?? []) this.value(word, { ...inner, conditional: true });
        this.variables.set(node.name.value, UNKNOWN);
        return "continues";
      case "ArithmeticFor": {
        const loop: Context = { ...inner, conditional: true };
        for (const part of [node.initialize, node.test, node.update]) this.arithmetic(part, loop);
        this.sequence(node.body.commands, loop);
        return "continues";
      }
      case "Coproc":
        this.statement(node.body, { ...inner, conditional: true });
        return "continues";
      case "TestCommand":
        this.testExpression(node.expression, inner);
        return "continues";
      case "ArithmeticCommand":
        this.arithmetic(node.expression, inner);
        return "continues";
    }
  }

  private list(node: AndOr, ctx: Context): Flow {
    const [first, ...rest] = node.commands;
    // The status of the last command run when literals decide it (`true`, `[ a = a ]`), and a `uname -r` test's
    // kernel condition, which holds for the commands after it while the operator stays the same.
    let status: Tri;
    let kernel: KernelCondition | undefined;
    if (decidable(first)) ({ value: status, kernel } = this.condition(first, ctx));
    else {
      const flow = this.statement(first, ctx);
      if (flow !== "continues") return flow;
    }
    for (const [i, part] of rest.entries()) {
      const operator = node.operators[i];
      // `true || x`, `false && x`: x never runs, and the status stays.
      if ((status === true && operator === "||") || (status === false && operator === "&&")) continue;
      const condition =
        kernel && operator === node.operators[0] ? (operator === "&&" ? kernel : complement(kernel)) : undefined;
      if (!condition) kernel = undefined;
      // Surely runs: the status before it was decided, and it is the one that runs this part.
      const surely = status !== undefined && !kernel;
      const partCtx: Context = {
        ...ctx,
        kernel: condition ? [...ctx.kernel, condition] : ctx.kernel,
        conditional: ctx.conditional || !surely,
      };
      if (decidable(part)) {
        const result = this.condition(part, partCtx);
        status = surely ? result.value : undefined;
        continue;
      }
      const flow = this.statement(part, partCtx);
      if (flow !== "continues") return flow;
      status = undefined;
    }
    return "continues";
  }

  private pipeline(node: Pipeline, ctx: Context): Flow {
    if (node.commands.length === 1) {
      // `time cmd` runs cmd; `! cmd` runs it too, but its exit status is turned over.
      const flow = this.statement(node.commands[0], ctx);
      return node.prefixes.some((p) => p.type === "Negation") ? "continues" : flow;
    }
    // Each command of a pipeline runs in a subshell.
    for (const part of node.commands) this.scoped(() => this.statement(part, { ...ctx, conditional: true }), ctx);
    return "continues";
  }

  private ifStatement(node: If, ctx: Context): Flow {
    const branches: { condition?: readonly Statement[]; body: readonly Statement[] }[] = [
      { condition: node.clause.commands, body: node.then.commands },
      ...node.elif.map((e) => ({ condition: e.clause.commands, body: e.then.commands })),
      ...(node.else ? [{ body: node.else.commands }] : []),
    ];
    const kernel = ctx.kernel;
    let conditional = ctx.conditional;
    // What later branches know of the kernel: the kernel conditions of earlier branches do not hold.
    const excluded: KernelCondition[] = [];
    for (const branch of branches) {
      let decided: Tri = true;
      let condition: KernelCondition | undefined;
      if (branch.condition) {
        const results = [];
        for (const c of branch.condition) results.push(this.condition(c.command, { ...ctx, kernel, conditional }));
        decided = results.length === 1 ? results[0].value : undefined;
        condition = results.length === 1 ? results[0].kernel : undefined;
      }
      if (decided === false) continue;
      const branchKernel = condition ? [...kernel, condition] : [...kernel, ...excluded];
      const flow = this.sequence(branch.body, {
        ...ctx,
        kernel: branchKernel,
        conditional: conditional || decided !== true || condition !== undefined,
      });
      if (decided === true && !condition) return conditional ? "continues" : flow;
      const otherwise = condition && complement(condition);
      if (otherwise) excluded.push(otherwise);
      else conditional = true;
    }
    return "continues";
  }

  private caseStatement(node: Case, ctx: Context): Flow {
    const value = this.value(node.word, ctx);
    const text = literalText(value);
    const onKernel = value.length === 1 && value[0].kind === "kernel-release";
    const earlier: string[] = [];
    for (const item of node.items) {
      const patterns: (string | undefined)[] = [];
      for (const p of item.pattern) patterns.push(this.pattern(p, ctx));
      const body = item.body.commands;
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
  private pattern(word: Word, ctx: Context): string | undefined {
    const raw = word.text;
    if (!/["'$`]/.test(raw)) return raw;
    const value = literalText(this.value(word, ctx));
    return value === undefined ? undefined : value.replace(/[*?[\]\\]/g, "\\$&");
  }

  /** Evaluates a condition when literals decide it; also a `uname -r` pattern test becomes a kernel condition. */
  private condition(node: PipelineNode | AndOr, ctx: Context): { value: Tri; kernel?: KernelCondition } {
    this.step(ctx.depth);
    if (node.type === "TestCommand") return this.testExpression(node.expression, ctx);
    if (node.type === "Command" && node.name?.text === "[") return this.bracketTest(node, ctx);
    if (node.type === "Command" && node.name && node.prefix.length === 0 && node.suffix.length === 0) {
      const name = literalText(this.value(node.name, ctx));
      if (name === "true" || name === ":") return { value: true };
      if (name === "false") return { value: false };
    }
    if (node.type === "Pipeline" && node.commands.length === 1 && node.prefixes.every((p) => p.type === "Negation")) {
      const result = this.condition(node.commands[0], ctx);
      // `! ! cmd` turns it over twice.
      const value = result.value === undefined || node.prefixes.length % 2 === 0 ? result.value : !result.value;
      return { value, kernel: node.prefixes.length % 2 === 0 ? result.kernel : undefined };
    }
    this.statement(node, { ...ctx, conditional: true });
    return { value: undefined };
  }

  /** `[ A = B ]`, `[ A != B ]` (string comparison), `[ -z A ]`, `[ -n A ]`; anything else is undecided. */
  private bracketTest(node: Command, ctx: Context): { value: Tri; kernel?: KernelCondition } {
    const { values } = this.commandWords(node, ctx);
    const args = values.slice(1);
    if (literalText(args[args.length - 1] ?? UNKNOWN) !== "]") return { value: undefined };
    const operands = args.slice(0, -1);
    const operator = operands.length >= 2 ? literalText(operands[operands.length === 3 ? 1 : 0]) : undefined;
    if (operands.length === 3 && (operator === "=" || operator === "==" || operator === "!=")) {
      const b = literalText(operands[2]);
      return this.comparison(operands[0], b === undefined ? undefined : escapeGlob(b), operator === "!=");
    }
    if (operands.length === 2) return this.emptiness(operator, operands[1]);
    return { value: undefined };
  }

  private testExpression(node: TestExpression, ctx: Context): { value: Tri; kernel?: KernelCondition } {
    switch (node.type) {
      case "TestGroup":
        return this.testExpression(node.expression, ctx);
      case "TestNot": {
        const result = this.testExpression(node.operand, ctx);
        const flip = node.negations.length % 2 === 1;
        if (!flip) return result;
        return { value: result.value === undefined ? undefined : !result.value };
      }
      case "TestBinary": {
        const a = this.value(node.left, ctx);
        if (node.operator === "=" || node.operator === "==" || node.operator === "!=")
          return this.comparison(a, this.pattern(node.right, ctx), node.operator === "!=");
        this.value(node.right, ctx);
        return { value: undefined };
      }
      case "TestUnary":
        return this.emptiness(node.operator, this.value(node.operand, ctx));
      case "TestLogical":
        for (const operand of node.operands) this.testExpression(operand, ctx);
        return { value: undefined };
    }
  }

  /** A value against a shell pattern (a literal one escaped): decided by literals, or a kernel condition. */
  private comparison(
    a: ShellValue,
    pattern: string | undefined,
    negate: boolean,
  ): { value: Tri; kernel?: KernelCondition } {
    if (pattern === undefined) return { value: undefined };
    const aText = literalText(a);
    if (aText !== undefined) {
      const equal = globMatches(pattern, aText);
      return { value: negate ? !equal : equal };
    }
    if (a.length === 1 && a[0].kind === "kernel-release")
      return {
        value: undefined,
        kernel: negate ? { anyOf: ["*"], noneOf: [pattern] } : { anyOf: [pattern], noneOf: [] },
      };
    return { value: undefined };
  }

  private emptiness(operator: string | undefined, operand: ShellValue): { value: Tri } {
    const text = literalText(operand);
    if (text !== undefined && operator === "-z") return { value: text.length === 0 };
    if (text !== undefined && operator === "-n") return { value: text.length > 0 };
    return { value: undefined };
  }

  private assign(node: Assignment, ctx: Context): void {
    this.store(node, this.assignedValue(node, ctx));
  }

  /** The value an assignment gives (`X+=…` appends to the value X has now); an element of an array is unknown. */
  private assignedValue(node: Assignment, ctx: Context): ShellValue {
    const value = node.value.type === "ArrayValue" ? this.array(node.value.elements, ctx) : this.value(node.value, ctx);
    if (node.index) {
      // `a[1]=x`: an element of an array, which the reading does not follow.
      this.value(node.index, ctx);
      return UNKNOWN;
    }
    return node.append ? concatValues([this.variables.get(node.name) ?? literal(""), value]) : value;
  }

  private store(node: Assignment, value: ShellValue): void {
    if (this.frozenVariables) return;
    if (node.index) {
      this.variables.set(node.name, UNKNOWN);
    } else this.variables.set(node.name, value);
  }

  private array(elements: readonly Word[], ctx: Context): ShellValue {
    for (const element of elements) this.value(element, ctx);
    return UNKNOWN;
  }

  /** The words of a simple command (name and arguments), with prefix assignments applied; redirections are not read. */
  private commandWords(node: Command, ctx: Context): CommandWords {
    const values: ShellValue[] = [];
    const nodes: (Word | Assignment)[] = [];
    // `X=… cmd $X`: the words are expanded before the assignments take effect (for cmd's environment only; the
    // caller restores them after cmd).
    const assigned: [Assignment, ShellValue][] = [];
    for (const prefix of node.prefix)
      if (prefix.type === "Assignment") assigned.push([prefix, this.assignedValue(prefix, ctx)]);
    if (!node.name) for (const [prefix, value] of assigned) this.store(prefix, value);
    if (node.name) {
      values.push(this.value(node.name, ctx));
      nodes.push(node.name);
    }
    for (const arg of node.suffix) {
      if (arg.type === "Word") values.push(this.value(arg, ctx));
      else if (arg.type === "Assignment") values.push(this.assignmentWord(arg, ctx));
      else continue;
      nodes.push(arg);
    }
    if (node.name) for (const [prefix, value] of assigned) this.store(prefix, value);
    return { values, nodes };
  }

  /** `NAME=value` as an argument of a command that does not assign (`alias x=y`): the word it is. */
  private assignmentWord(node: Assignment, ctx: Context): ShellValue {
    if (node.index || node.value.type === "ArrayValue") {
      if (node.value.type === "ArrayValue") this.array(node.value.elements, ctx);
      return UNKNOWN;
    }
    return concatValues([literal(`${node.name}${node.append ? "+=" : "="}`), this.value(node.value, ctx)]);
  }

  private command(node: Command, ctx: Context): Flow {
    // Assignments before a command name hold for that command only (bash: also for builtins and functions).
    const temporary = node.name ? node.prefix.filter((p): p is Assignment => p.type === "Assignment") : [];
    const before = temporary.map((p) => [p.name, this.variables.get(p.name)] as const);
    let flow: Flow;
    try {
      flow = this.simpleCommand(node, ctx);
    } finally {
      for (const [name, value] of before) {
        if (value === undefined) this.variables.delete(name);
        else this.variables.set(name, value);
      }
    }
    const name = node.name?.value;
    if (name === "set") {
      const words = node.suffix.map((arg) => (arg.type === "Word" ? arg.value : undefined));
      const errexit = setsErrexit(words);
      // A `set -e` that may run is taken as run (it can only end the reading sooner); a `set +e` only if it surely runs.
      if (errexit === true || (errexit === false && !ctx.conditional)) this.errexit = errexit;
    }
    if (flow !== "continues" || ctx.conditional) return flow;
    // `exec cmd` replaces the shell; `set -n` / `set -o noexec` reads the rest without running it.
    if (name === "exec" && node.suffix.some((arg) => arg.type === "Word")) return "exits";
    if (name === "set" && setsNoexec(node.suffix.map((arg) => (arg.type === "Word" ? arg.value : undefined))))
      return "exits";
    return "continues";
  }

  private simpleCommand(node: Command, ctx: Context): Flow {
    const name = node.name;
    if (name && this.inert(node, name)) return "continues";
    if (name && DECLARATIONS.has(name.text)) {
      // `local X=…`, `export X=…`: the assignments; other arguments (options, bare names) change nothing read here.
      // In a function, `local` (and `declare` / `typeset`) make the variable the call's own: restored as it returns.
      const frame = ["local", "declare", "typeset"].includes(name.text) ? this.localFrames.at(-1) : undefined;
      for (const prefix of node.prefix) if (prefix.type === "Assignment") this.assign(prefix, ctx);
      for (const arg of node.suffix) {
        const local = arg.type === "Assignment" ? arg.name : arg.type === "Word" ? arg.value : undefined;
        if (frame && local !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(local) && !frame.has(local))
          frame.set(local, this.variables.get(local));
        if (arg.type === "Assignment") this.assign(arg, ctx);
        else if (arg.type === "Word") this.value(arg, ctx);
      }
      return "continues";
    }
    if (name?.text === "unset") {
      if (!this.frozenVariables)
        for (const arg of node.suffix) if (arg.type === "Word") this.variables.delete(arg.value);
      return "continues";
    }
    const { values: words, nodes } = this.commandWords(node, ctx);
    if (words.length === 0) return "continues";
    // A reserved word in command position means the grammar misread the script: fail closed.
    if (RESERVED_WORDS.has(name?.text ?? "")) throw new TooComplex("the shell grammar could not read it reliably");
    // A function is found before any builtin or program of its name (`yum() { …; }` shadows yum); wrappers
    // (`sudo`, `nohup`, `command`…) run programs, never the script's functions.
    const called = literalText(words[0]);
    const body = called === undefined ? undefined : this.functions.get(called);
    if (called !== undefined && body && !this.calling.has(called)) {
      this.calling.add(called);
      const frame = new Map<string, ShellValue | undefined>();
      this.localFrames.push(frame);
      try {
        const flow = this.statement(body, { ...ctx, depth: ctx.depth + 1 });
        return flow === "exits" ? "exits" : "continues";
      } finally {
        this.calling.delete(called);
        this.localFrames.pop();
        for (const [local, value] of frame) {
          if (value === undefined) this.variables.delete(local);
          else this.variables.set(local, value);
        }
      }
    }
    const run = this.unwrap(words);
    if (!run) return "continues";
    const runsAs = run.runsAs ?? ctx.runsAs;
    const args = run.words;
    const argNodes = nodes.slice(nodes.length - args.length);
    const program = basename(literalText(args[0]) ?? "");
    const here: Context = { ...ctx, runsAs };

    if (program === "wait" && args.length === words.length) {
      if (!ctx.conditional) this.waitForJobs();
      return "continues";
    }
    if (program === "trap" && args.length === words.length) {
      this.trap(args.slice(1), argNodes.slice(1));
      return "continues";
    }

    if (SHELLS.has(program) && args.length === 1) {
      // `bash <<EOF … EOF`, `sudo sh <<'EOF'`: the here-document is the script the shell runs.
      const heredoc = [...node.prefix, ...node.suffix].find((r) => r.type === "HereDoc");
      if (heredoc?.type === "HereDoc") {
        // With an unquoted delimiter the outer shell expands `$X`, `$( )` in the document before the inner shell
        // reads it: the inner script's own assignments do not reach those expansions.
        const expandedOutside = heredoc.delimiter?.quoted !== true && /[$`]/.test(heredoc.body.text);
        this.nested(heredoc.body.text, here, expandedOutside);
        return "continues";
      }
    }
    if (SHELLS.has(program) || program === "su") {
      const script = this.shellString(args, program, argNodes.slice(1));
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
    return "continues";
  }

  /**
   * A command this reader would read as doing nothing, seen without resolving its words: no assignment before it,
   * no word that expands or substitutes, and a name that is neither a function of the script nor a word the
   * reader acts on. Most lines of a provisioning script are such commands; reading them in full costs more than
   * parsing them.
   */
  private inert(node: Command, name: Word): boolean {
    if (node.prefix.length > 0 || EXPANDS.test(name.text)) return false;
    const program = basename(name.value);
    if (ACTED_ON.has(program) || this.functions.has(program)) return false;
    for (const arg of node.suffix)
      if ((arg.type === "Word" || arg.type === "Assignment") && EXPANDS.test(arg.text)) return false;
    return true;
  }

  /**
   * `trap 'action' EXIT` (or `0`): the action runs when the shell exits, read then (with the script's functions).
   * `trap - EXIT` and `trap '' EXIT` clear it; other signals' traps do not run in a provisioning script's normal
   * course. An action the pack cannot read (built by an expansion) makes the script unreadable: it could undo the fix.
   */
  private trap(args: readonly ShellValue[], argNodes: readonly (Word | Assignment)[]): void {
    let i = 0;
    if (literalText(args[0] ?? UNKNOWN) === "--") i++;
    const first = literalText(args[i] ?? UNKNOWN);
    if (first === "-p" || first === "-l" || args.length <= i + 1) return;
    const signals = args.slice(i + 1).map(literalText);
    if (!signals.some((signal) => signal === undefined || /^(0|EXIT|SIGEXIT)$/i.test(signal))) return;
    if (first === "-" || first === "") {
      this.exitTrap = undefined;
      return;
    }
    if (first !== undefined) {
      this.exitTrap = first;
      return;
    }
    const raw = argNodes[i];
    const part = raw?.type === "Word" && raw.parts?.length === 1 ? raw.parts[0] : undefined;
    if (part?.type !== "DoubleQuoted") throw new TooComplex("its EXIT trap runs a command the pack cannot read");
    this.exitTrap = unescapeDoubleQuoted(part.text.slice(1, -1));
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
    argNodes: readonly (Word | Assignment)[],
  ): string | undefined {
    for (let i = 1; i < args.length; i++) {
      const flag = literalText(args[i]);
      if (flag === undefined) return undefined;
      // `bash -n -c '…'` reads the string without running it.
      if (program !== "su" && /^-[a-zA-Z]*n/.test(flag)) return undefined;
      if (flag === "-c" || (program !== "su" && /^-[a-z]*c[a-z]*$/.test(flag)) || flag === "--command") {
        const value = args[i + 1];
        if (!value) return undefined;
        const text = literalText(value);
        if (text !== undefined) return text;
        // argNodes[k] is the node of args[k + 1]. A double-quoted string: the inner shell reads its expansions.
        const raw = argNodes[i];
        const part = raw?.type === "Word" && raw.parts?.length === 1 ? raw.parts[0] : undefined;
        return part?.type === "DoubleQuoted" ? unescapeDoubleQuoted(part.text.slice(1, -1)) : undefined;
      }
      if (!flag.startsWith("-") && program !== "su") return undefined;
    }
    return undefined;
  }

  /**
   * Reads a script a shell of the script runs (`bash -c`, `bash <<EOF`). `expandedOutside`: its expansions were made
   * by this shell before (an unquoted here-document), so they see this shell's variables only: the inner script's
   * assignments are not followed (an `\$X` escaped for the inner shell is then unknown, which can only not count).
   */
  private nested(script: string, ctx: Context, expandedOutside = false): void {
    this.step(ctx.depth);
    const parsed = parseShellLoaded(script);
    if (!parsed.ok) throw new TooComplex(`a script it runs with a shell ${parsed.reason.replace(/^it /, "")}`);
    const reader = new ShellReader(this.origin);
    for (const [k, v] of this.variables) reader.variables.set(k, v);
    reader.frozenVariables = expandedOutside;
    // A shell started from the script does not inherit its functions.
    reader.steps = this.steps;
    reader.sequence(parsed.script.commands, { ...ctx, depth: ctx.depth + 1 });
    reader.runExitTrap({ ...ctx, depth: ctx.depth + 1 });
    this.steps = reader.steps;
    this.effects.push(...reader.effects);
  }

  /** A word as the shell expands it. */
  value(word: Word, ctx: Context): ShellValue {
    this.step(ctx.depth);
    const parts = word.parts;
    if (!parts) return literal(word.value);
    const deeper: Context = { ...ctx, depth: ctx.depth + 1 };
    if (parts.length === 1) return this.part(parts[0], deeper);
    const values: ShellValue[] = [];
    for (const part of parts) values.push(this.part(part, deeper));
    return concatValues(values);
  }

  private part(part: WordPart, ctx: Context): ShellValue {
    switch (part.type) {
      case "Literal":
      case "SingleQuoted":
      case "AnsiCQuoted":
        return literal(part.value);
      case "Glob":
      case "ExtendedGlob":
        // Unquoted pattern characters: a word naming files, read as its text (as the shell does when none match).
        return literal(part.text);
      case "DoubleQuoted":
      case "LocaleString": {
        const values: ShellValue[] = [];
        for (const child of part.parts) values.push(this.part(child, ctx));
        return concatValues(values);
      }
      case "SimpleExpansion":
        return this.variable(part.text.slice(1));
      case "ParameterExpansion":
        return this.expansion(part, ctx);
      case "CommandExpansion":
        return this.substitution(part.script, ctx);
      case "ProcessSubstitution":
        if (part.script) this.sequence(part.script.commands, { ...ctx, conditional: true });
        return UNKNOWN;
      case "ArithmeticExpansion":
        this.arithmetic(part.expression, ctx);
        return UNKNOWN;
      case "BraceExpansion":
        // `{a,b}` becomes several words: not followed.
        for (const child of part.parts ?? []) this.part(child, ctx);
        return UNKNOWN;
    }
  }

  /** Arithmetic is not evaluated, but the commands substituted in it run. */
  private arithmetic(node: ArithmeticExpression | undefined, ctx: Context): void {
    if (!node) return;
    this.step(ctx.depth);
    const deeper: Context = { ...ctx, depth: ctx.depth + 1 };
    switch (node.type) {
      case "ArithmeticWord":
        for (const part of node.parts ?? []) this.part(part, deeper);
        return;
      case "ArithmeticCommandExpansion":
        this.substitution(node.script, deeper);
        return;
      case "ArithmeticBinary":
        this.arithmetic(node.left, deeper);
        this.arithmetic(node.right, deeper);
        return;
      case "ArithmeticUnary":
        this.arithmetic(node.operand, deeper);
        return;
      case "ArithmeticTernary":
        this.arithmetic(node.test, deeper);
        this.arithmetic(node.consequent, deeper);
        this.arithmetic(node.alternate, deeper);
        return;
      case "ArithmeticGroup":
        this.arithmetic(node.expression, deeper);
        return;
    }
  }

  private variable(name: string): ShellValue {
    return this.variables.get(name) ?? UNKNOWN;
  }

  private expansion(node: ParameterExpansionPart, ctx: Context): ShellValue {
    if (node.prefix || node.index) return UNKNOWN; // ${#x}, ${!x}, ${a[1]}
    const name = node.parameter;
    const current = this.variables.get(name);
    const operation = node.operation;
    if (!operation) return current ?? UNKNOWN;
    switch (operation.type) {
      case "Default": {
        const operator = operation.operator;
        const operand = () => this.value(operation.operand, ctx);
        switch (operator) {
          case ":-":
          case "-":
            return current && !(operator === ":-" && literalText(current) === "") ? current : operand();
          case ":=":
          case "=": {
            if (current && !(operator === ":=" && literalText(current) === "")) return current;
            const value = operand();
            if (!this.frozenVariables) this.variables.set(name, value);
            return value;
          }
          case ":+":
          case "+":
            return current ? operand() : literal("");
          default:
            return UNKNOWN;
        }
      }
      case "Remove": {
        if (operation.operator !== "#" && operation.operator !== "##") return UNKNOWN;
        const pattern = operation.operand.text;
        if (!current) return UNKNOWN;
        if (current.length === 1 && current[0].kind === "kernel-release" && (pattern === "*-" || pattern === "*[-]"))
          return SUB_VERSION;
        const text = literalText(current);
        return text === undefined ? UNKNOWN : literal(removePrefix(text, pattern, operation.operator === "##"));
      }
      default:
        return UNKNOWN;
    }
  }

  /** `$(uname -r)` and the advisory's ways to take its last field; other substitutions run but their output is unknown. */
  private substitution(script: ParsedScript | undefined, ctx: Context): ShellValue {
    if (!script) return UNKNOWN;
    const body = script.commands;
    if (body.length === 1) {
      const command = body[0].command;
      const stages = command.type === "Pipeline" && command.prefixes.length === 0 ? command.commands : [command];
      if (stages.every((s): s is Command => s.type === "Command")) {
        const words: (string | undefined)[][] = [];
        for (const stage of stages) words.push(this.commandWords(stage, ctx).values.map(literalText));
        const kernel = kernelReleaseCommand(words);
        if (kernel) return kernel;
      }
    }
    this.scoped(() => this.sequence(body, { ...ctx, conditional: true }), ctx);
    return UNKNOWN;
  }
}

function isPackageEffect(effect: ScriptEffect): effect is PackageEffect {
  return effect.kind === "install" || effect.kind === "update" || effect.kind === "remove";
}

/** A command whose status the reader may decide from literals without running anything (see ShellReader.condition). */
function decidable(node: PipelineNode | AndOr): boolean {
  if (node.type === "TestCommand") return true;
  if (node.type === "Command")
    return (
      node.name?.text === "[" ||
      (["true", "false", ":"].includes(node.name?.text ?? "") && node.prefix.length === 0 && node.suffix.length === 0)
    );
  return (
    node.type === "Pipeline" &&
    node.commands.length === 1 &&
    node.prefixes.every((p) => p.type === "Negation") &&
    decidable(node.commands[0])
  );
}

/** The kernels a kernel condition does not hold for, when one condition can say it. */
function complement(condition: KernelCondition): KernelCondition | undefined {
  if (condition.noneOf.length === 0) return { anyOf: ["*"], noneOf: [...condition.anyOf] };
  if (condition.anyOf.length === 1 && condition.anyOf[0] === "*") return { anyOf: [...condition.noneOf], noneOf: [] };
  return undefined;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, "\\$&");
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
  let installsNothing: string | undefined;
  const excludes: ShellValue[] = [];
  const packages: ShellValue[] = [];
  /** An option with a value (`--opt value` or `--opt=value`): what it does to the command. */
  const option = (name: string, value: ShellValue | undefined) => {
    const text = value && literalText(value);
    if (name === "--installroot") installsNothing = "--installroot";
    else if (name === "-x" || name === "--exclude" || name === "--excludepkgs") {
      if (text === undefined) excludes.push(value ?? UNKNOWN);
      else for (const pattern of text.split(",")) if (pattern) excludes.push(literal(pattern));
    } else if (name === "--setopt") {
      if (text === undefined) opaque = true;
      else if (/^assumeyes=(1|True|true|yes)$/.test(text)) assumeYes = true;
      else if (/^tsflags=.*\b(test|justdb)\b/.test(text))
        installsNothing = `tsflags=${/\btest\b/.test(text) ? "test" : "justdb"}`;
      else if (/^(exclude|excludepkgs)=/.test(text)) option("--exclude", literal(text.slice(text.indexOf("=") + 1)));
    }
  };
  for (let i = 0; i < args.length; i++) {
    const word = literalText(args[i]);
    if (word === undefined) {
      // A word the pack cannot read: a package name with a computed part, or anything else — an option built by
      // an expansion (`--download$(echo only)`, `--download{only,}`) could be --downloadonly.
      const head = args[i][0];
      if (kind && head?.kind === "text" && !head.text.startsWith("-")) packages.push(args[i]);
      else opaque = true;
      continue;
    }
    if (word === "--downloadonly") downloadOnly = true;
    else if (word === "--assumeno") installsNothing = "--assumeno";
    else if (word === "-y" || word === "--assumeyes" || /^-[a-zA-Z]*y[a-zA-Z]*$/.test(word)) assumeYes = true;
    else if (YUM_VALUE_OPTIONS.has(word)) option(word, args[++i]);
    else if (/^--[a-z-]+=/.test(word) && YUM_VALUE_OPTIONS.has(word.slice(0, word.indexOf("="))))
      option(word.slice(0, word.indexOf("=")), literal(word.slice(word.indexOf("=") + 1)));
    else if (/^-x./.test(word)) option("-x", literal(word.slice(2)));
    else if (word.startsWith("-")) continue;
    else if (!kind) {
      kind = SUBCOMMANDS[word];
      if (!kind) return undefined;
    } else packages.push(args[i]);
  }
  if (!kind) return undefined;
  return {
    kind,
    manager,
    packages,
    assumeYes,
    downloadOnly,
    opaqueArguments: opaque,
    ...(installsNothing ? { installsNothing } : {}),
    ...(excludes.length > 0 ? { excludes } : {}),
    ...base,
  };
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

/** `set -n`, `set -eun`, `set -o noexec` (options end at `--`, `-` or the first other word). */
function setsNoexec(args: readonly (string | undefined)[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w === undefined || w === "--" || w === "-" || !/^[-+]/.test(w)) return false;
    if (w === "-o" && args[i + 1] === "noexec") return true;
    if (w === "-o" || w === "+o") i++;
    else if (/^-[a-zA-Z]*n/.test(w)) return true;
  }
  return false;
}

/** `set -e` / `set -o errexit` → true, `set +e` / `set +o errexit` → false, otherwise undefined. */
function setsErrexit(args: readonly (string | undefined)[]): boolean | undefined {
  let result: boolean | undefined;
  for (let i = 0; i < args.length; i++) {
    const w = args[i];
    if (w === undefined || w === "--" || w === "-" || !/^[-+]/.test(w)) break;
    if ((w === "-o" || w === "+o") && args[i + 1] === "errexit") result = w === "-o";
    if (w === "-o" || w === "+o") i++;
    else if (/^[-+][a-zA-Z]*e/.test(w)) result = w.startsWith("-");
  }
  return result;
}

/** `#!/bin/bash -e` (or `-xe`, `-eu`…): the shell starts with errexit. */
function shebangSetsErrexit(source: string): boolean {
  const end = source.indexOf("\n");
  const first = end >= 0 ? source.slice(0, end) : source;
  if (!first.startsWith("#!")) return false;
  return first
    .slice(2)
    .trim()
    .split(/\s+/)
    .slice(1)
    .some((w) => /^-[a-zA-Z]*e/.test(w));
}

/** sudo's long options that take the next word as their value. */
const LONG_VALUE_OPTIONS = new Set([
  "--group",
  "--close-from",
  "--chdir",
  "--host",
  "--prompt",
  "--role",
  "--type",
  "--command-timeout",
  "--other-user",
  "--chroot",
]);

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
    if (w.startsWith("--")) {
      // Options with which sudo lists, edits, validates or prints, and runs no command.
      if (["--list", "--edit", "--version", "--validate", "--remove-timestamp", "--help"].includes(w)) return undefined;
      if (w === "--user") user = literalText(args[++i] ?? UNKNOWN) ?? "?";
      else if (w.startsWith("--user=")) user = w.slice(7);
      else if (LONG_VALUE_OPTIONS.has(w)) i++;
      continue;
    }
    // A cluster of short options (`-iu root`, `-Eu0`): letters up to the first that takes a value, which is the
    // rest of the word or the next word. `-l`, `-e`, `-V`, `-v`, `-K` list, edit, print or validate: no command runs.
    const letters = w.slice(1);
    for (let k = 0; k < letters.length; k++) {
      const c = letters[k];
      if ("leVvK".includes(c)) return undefined;
      if ("ughCDprtTU".includes(c)) {
        const value = k + 1 < letters.length ? letters.slice(k + 1) : (literalText(args[++i] ?? UNKNOWN) ?? "?");
        if (c === "u") user = value;
        break;
      }
    }
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

function basename(program: string): string {
  return program.slice(program.lastIndexOf("/") + 1);
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
