// `alinux-guard <command>`: the command-line entry (cli/bin/alinux-guard.cjs calls main()).
//
// Exit codes: 0 nothing at or above --fail-on; 1 violations at or above it; 2 a usage or input error (one line on
// stderr, never a stack trace); a preview that failed for another reason passes its own code through (check).
// The commands are loaded when run: `check` pulls in the Automation API (the whole @pulumi/pulumi SDK), which `report`
// and `--help` do not need.
import { InputError } from "../reports/eventSources";
import { EXIT_OK, EXIT_USAGE, UsageError } from "./usageError";

const USAGE = `usage: alinux-guard <command> [options]

  check    run \`pulumi preview\` with the policy pack and write CI reports (SARIF, JUnit, JSON, Markdown)
  report   write the same reports from a saved engine event stream

alinux-guard <command> --help shows a command's options.`;

/** Node's parseArgs errors (unknown option, missing value) carry a code; their messages are one line. */
function isArgsError(err: unknown): err is Error {
  const code = (err as { code?: unknown } | undefined)?.code;
  return err instanceof TypeError && typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    // require(), not import(): bin/alinux-guard.cjs registers tsx's CommonJS hook only, which import() would bypass.
    /* eslint-disable @typescript-eslint/no-require-imports */
    switch (command) {
      case "check":
        return await (require("./checkCommand") as typeof import("./checkCommand")).checkCommand(rest);
      case "report":
        return (require("./reportCommand") as typeof import("./reportCommand")).reportCommand(rest);
      /* eslint-enable @typescript-eslint/no-require-imports */
      case "--help":
      case "-h":
      case "help":
        process.stdout.write(`${USAGE}\n`);
        return EXIT_OK;
      default:
        throw new UsageError(
          command ? `unknown command ${command} (commands: check, report; see alinux-guard --help)` : USAGE,
        );
    }
  } catch (err) {
    if (err instanceof UsageError || err instanceof InputError || isArgsError(err)) {
      process.stderr.write(`alinux-guard: ${err.message}\n`);
      return EXIT_USAGE;
    }
    // Anything else is a bug or an environment failure: one line too, with what to do.
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    process.stderr.write(`alinux-guard: unexpected error: ${message} (set ALINUX_GUARD_DEBUG=1 for the stack)\n`);
    if (process.env["ALINUX_GUARD_DEBUG"] && err instanceof Error) process.stderr.write(`${err.stack}\n`);
    return 3;
  }
}
