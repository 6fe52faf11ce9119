// Regenerates examples/audit-export/stack-export.json: the state of an "already deployed" stack for
// `pulumi policy analyze --file` (audit of existing infrastructure).
//
// It deploys examples/affected-instance with `pulumi up` WITHOUT the policy pack (as if the stack predated it)
// against the STAND-IN alicloud provider on a throwaway local file backend, then `pulumi stack export`s it. Nothing is
// created anywhere: the stand-in records inputs as outputs under made-up IDs.
//
//   npx tsx scripts/make-audit-export.ts
import { writeFileSync } from "node:fs";
import * as path from "node:path";
import { EXAMPLES_DIR, PulumiSession, ensurePulumiCli } from "../tools/e2e/pulumiCli";

const SOURCE_EXAMPLE = "affected-instance";
/** The stack name in the export's URNs; `pulumi stack import` only accepts it into a stack of that name. */
export const AUDIT_STACK = "production";
const OUT = path.join(EXAMPLES_DIR, "audit-export", "stack-export.json");

async function main(): Promise<void> {
  const cli = ensurePulumiCli();
  if (!cli.available) throw new Error(cli.reason);
  const session = new PulumiSession(cli.binDir);
  try {
    await session.initStack(SOURCE_EXAMPLE, AUDIT_STACK);
    const up = await session.inExample(SOURCE_EXAMPLE, [
      "up",
      "--yes",
      "--skip-preview",
      "--non-interactive",
      "--color",
      "never",
      "--stack",
      AUDIT_STACK,
    ]);
    if (up.exitCode !== 0) throw new Error(`pulumi up failed:\n${up.output}`);
    const exported = await session.inExample(SOURCE_EXAMPLE, ["stack", "export", "--stack", AUDIT_STACK]);
    if (exported.exitCode !== 0) throw new Error(`pulumi stack export failed:\n${exported.output}`);
    const deployment = JSON.parse(exported.stdout) as unknown;
    writeFileSync(OUT, `${JSON.stringify(deployment, null, 2)}\n`);
    console.log(
      `wrote ${path.relative(process.cwd(), OUT)} (pulumi ${cli.version}, ${SOURCE_EXAMPLE} deployed on the stand-in provider)`,
    );
  } finally {
    session.dispose();
  }
}

if (require.main === module)
  main().catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  });
