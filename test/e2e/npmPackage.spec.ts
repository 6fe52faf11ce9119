// End to end: the pack the way platform teams consume it — the `npm pack` tarball of policies/ installed into a
// fresh project, then
//   1. the installed package as the pack: `pulumi preview --policy-pack node_modules/alinux-guard`;
//   2. the library: an organisation's own pack (TypeScript, compiled with tsc against the installed package's
//      declarations) that spreads `alinuxGuardPolicies({...})` next to a policy of its own, with levels and config in
//      code: `pulumi preview --policy-pack <that project>`.
// On both CLIs: v3.68.0 with the TypeScript examples, the current CLI with the YAML ones. Verdicts from engine events.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLICY_PACK_DIR, PulumiSession, REPO_ROOT, ensurePulumiCli, type CliStatus } from "../../tools/e2e/pulumiCli";
import { POLICY } from "../support/contract";
import { ensurePackBuilt } from "../../tools/engine/packBuild";
import { advisories, explain, mandatory, nameOf, PREVIEW_TIMEOUT } from "./runQueries";

const OWN_POLICY = "acme-instances-have-owner-tag";

/** The organisation's pack: the library's policies (end-of-life off, an exemption in code) plus one of its own. */
const ORG_PACK_SOURCE = `import { PolicyPack, type ResourceValidationPolicy } from "@pulumi/policy";
import { alinuxGuardPolicies, type AlinuxGuardOptions } from "alinux-guard/library";

const ownerTag: ResourceValidationPolicy = {
  name: "${OWN_POLICY}",
  description: "ECS instances carry an owner tag.",
  enforcementLevel: "advisory",
  validateResource: (args, reportViolation) => {
    if (args.type !== "alicloud:ecs/instance:Instance") return;
    const tags = (args.props as { tags?: Record<string, string> }).tags;
    if (!tags?.["owner"]) reportViolation("Instance has no owner tag.");
  },
};

const alinux: AlinuxGuardOptions = {
  "alinux2-end-of-life": "disabled",
  "alinux2-overlayfs-dentry-leak": {
    exemptions: [{ resource: "legacy-batch", reason: "No containers on the nightly batch host; OPS-1234.", expires: "2099-12-31" }],
  },
};

new PolicyPack("acme-guard", { policies: [...alinuxGuardPolicies(alinux), ownerTag] });
`;

const TSC = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
/** The environment without the npm_* variables of the `npm test` that runs us, so the nested npm sees only its cwd. */
const NPM_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith("npm_")));

interface Cli {
  readonly label: string;
  readonly status: CliStatus;
  /** The bundled examples this CLI can run: an affected instance ("web") and the exempted one ("legacy-batch"). */
  readonly affected: string;
  readonly exempted: string;
}

const CLIS: Cli[] = [
  {
    label: "v3.68.0 line (TypeScript programs)",
    status: ensurePulumiCli(),
    affected: "affected-instance",
    exempted: "exempted-instance",
  },
  {
    label: "current (YAML programs)",
    status: ensurePulumiCli({ current: true }),
    affected: "yaml-affected-instance",
    exempted: "yaml-exempted-instance",
  },
];
const anyCli = CLIS.some((c) => c.status.available);

(anyCli ? describe : describe.skip)("the npm package alinux-guard, installed into a fresh project", () => {
  let root: string;
  let project: string;

  beforeAll(() => {
    ensurePackBuilt(POLICY_PACK_DIR);
    root = mkdtempSync(path.join(os.tmpdir(), "alinux-guard-npm-"));
    execFileSync("npm", ["pack", "--ignore-scripts", "--silent", "--pack-destination", root], {
      cwd: POLICY_PACK_DIR,
      env: NPM_ENV,
      stdio: ["ignore", "ignore", "inherit"],
    });
    const tarball = readdirSync(root).find((f) => f.endsWith(".tgz"));
    if (!tarball) throw new Error(`npm pack wrote no tarball into ${root}`);
    project = path.join(root, "acme-policies");
    mkdirSync(project);
    const policyRange = (
      JSON.parse(readFileSync(path.join(POLICY_PACK_DIR, "package.json"), "utf8")) as {
        dependencies: Record<string, string>;
      }
    ).dependencies["@pulumi/policy"];
    writeFileSync(
      path.join(project, "package.json"),
      JSON.stringify(
        {
          name: "acme-policies",
          version: "1.0.0",
          main: "index.js",
          dependencies: { "alinux-guard": `file:../${tarball}`, "@pulumi/policy": policyRange },
        },
        null,
        2,
      ),
    );
    writeFileSync(
      path.join(project, "PulumiPolicy.yaml"),
      "runtime: nodejs\ndescription: ACME's policies, with alinux-guard's\n",
    );
    writeFileSync(path.join(project, "index.ts"), ORG_PACK_SOURCE);
    // Dependencies from the local npm cache where it has them (npm ci at the root filled it).
    execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts"], {
      cwd: project,
      env: NPM_ENV,
      stdio: ["ignore", "ignore", "inherit"],
    });
    // What the organisation's CI does: compile the pack with its TypeScript (here the repository's) against the
    // installed package's declarations.
    execFileSync(
      process.execPath,
      [
        TSC,
        "--strict",
        "--skipLibCheck",
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        "--target",
        "es2022",
        "index.ts",
      ],
      {
        cwd: project,
        stdio: ["ignore", "inherit", "inherit"],
      },
    );
  }, 600_000);

  afterAll(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("its library types also resolve under the old `node` module resolution (typesVersions)", () => {
    expect(() =>
      execFileSync(
        process.execPath,
        [
          TSC,
          "--noEmit",
          "--strict",
          "--skipLibCheck",
          "--module",
          "commonjs",
          "--moduleResolution",
          "node10",
          "index.ts",
        ],
        {
          cwd: project,
          encoding: "utf8",
        },
      ),
    ).not.toThrow();
  }, 120_000);

  for (const cli of CLIS) {
    (cli.status.available ? describe : describe.skip)(
      `on the ${cli.label} CLI ${cli.status.available ? cli.status.version : "(unavailable)"}`,
      () => {
        let session: PulumiSession;
        beforeAll(() => {
          if (cli.status.available) session = new PulumiSession(cli.status.binDir, cli.status.version);
        });
        afterAll(() => session?.dispose());

        it(
          `--policy-pack node_modules/alinux-guard blocks ${cli.affected} like the repository's pack`,
          async () => {
            const run = await session.preview(cli.affected, {
              policyPack: path.join(project, "node_modules", "alinux-guard"),
            });
            expect(run.exitCode, explain(run)).not.toBe(0);
            expect(
              mandatory(run).map((e) => nameOf(e.resourceUrn)),
              explain(run),
            ).toEqual(["web"]);
            expect(mandatory(run)[0]?.policyPackName).toBe("alinux-guard");
          },
          PREVIEW_TIMEOUT,
        );

        it(
          `the organisation's pack composing alinuxGuardPolicies() blocks ${cli.affected}, runs its own policy, honours the disabled level`,
          async () => {
            const run = await session.preview(cli.affected, { policyPack: project });
            expect(run.exitCode, explain(run)).not.toBe(0);
            expect(
              mandatory(run).map((e) => `${e.policyPackName}/${nameOf(e.resourceUrn)}`),
              explain(run),
            ).toEqual(["acme-guard/web"]);
            expect(
              advisories(run, OWN_POLICY).map((e) => nameOf(e.resourceUrn)),
              explain(run),
            ).toEqual(["web"]);
            expect(
              run.policyEvents.filter((e) => e.policyName === POLICY.endOfLife),
              explain(run),
            ).toEqual([]);
          },
          PREVIEW_TIMEOUT,
        );

        it(
          `the exemption given to alinuxGuardPolicies() in code lets ${cli.exempted} through (no --policy-pack-config)`,
          async () => {
            const run = await session.preview(cli.exempted, { policyPack: project });
            expect(run.exitCode, explain(run)).toBe(0);
            expect(mandatory(run), explain(run)).toEqual([]);
            expect(
              run.policyEvents.some((e) => e.policyName === POLICY.overlayfs && e.enforcementLevel === "mandatory"),
            ).toBe(false);
          },
          PREVIEW_TIMEOUT,
        );
      },
    );
  }
});
