// Drift detector: when a real Pulumi CLI is available, run `pulumi preview --policy-pack … --policy-pack-config …`
// on an empty program (local file backend, private PULUMI_HOME) and check that the harness reports config errors
// with exactly the CLI's lines. Skipped when no CLI is found; it never downloads or builds one.
//   CLI lookup: $ALINUX_GUARD_PULUMI_BIN (directory), `pulumi` on PATH, or the cache of tools/cli/ensure-pulumi-cli.sh.
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyConfigureError, PolicyPackHarness } from "../../tools/engine/analyzerClient";
import { makeLinkedTempPackDir, writeProtocolFixturePack } from "../../tools/engine/fixturePacks";
import { ensurePackBuilt } from "../../tools/engine/packBuild";
import { defaultPackDir, repoRoot } from "../../tools/engine/packTree";
import { PolicyConfigValidationError, PolicyPackConfigParseError } from "../../tools/engine/policyPackConfig";

function findCliDir(): string | undefined {
  const candidates: string[] = [];
  if (process.env.ALINUX_GUARD_PULUMI_BIN) candidates.push(process.env.ALINUX_GUARD_PULUMI_BIN);
  for (const p of (process.env.PATH ?? "").split(path.delimiter)) if (p) candidates.push(p);
  const cache =
    process.env.ALINUX_GUARD_CACHE ??
    path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), ".cache"), "alinux-guard");
  if (fs.existsSync(cache))
    for (const d of fs.readdirSync(cache).sort().reverse())
      if (d.startsWith("pulumi-")) candidates.push(path.join(cache, d, "bin"));
  return candidates.find(
    (d) => fs.existsSync(path.join(d, "pulumi")) && fs.existsSync(path.join(d, "pulumi-language-nodejs")),
  );
}

const cliDir = findCliDir();
const tmpDirs: string[] = [];
afterAll(() => {
  for (const d of tmpDirs) fs.rmSync(d, { recursive: true, force: true });
});

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd, env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const code = err
        ? typeof (err as { code?: unknown }).code === "number"
          ? (err as { code: number }).code
          : 1
        : 0;
      resolve({ code, out: `${stdout}\n${stderr}` });
    });
  });
}

/** An empty Node.js program on a private local backend, ready for `pulumi preview`. */
async function makeProgram(): Promise<{ dir: string; env: NodeJS.ProcessEnv }> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "alinux-guard-parity-"));
  tmpDirs.push(root);
  const dir = path.join(root, "prog");
  fs.mkdirSync(dir);
  fs.mkdirSync(path.join(root, "state"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: parity\nruntime: nodejs\n");
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({ name: "parity", version: "0.0.1", main: "index.js" }),
  );
  fs.writeFileSync(path.join(dir, "index.js"), "module.exports = {};\n");
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${cliDir}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: path.join(root, "home"),
    PULUMI_BACKEND_URL: `file://${path.join(root, "state")}`,
    PULUMI_CONFIG_PASSPHRASE: "parity",
    PULUMI_SKIP_UPDATE_CHECK: "1",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
  };
  for (const k of Object.keys(env)) if (k.startsWith("VITEST")) delete env[k];
  const init = await run(
    path.join(cliDir as string, "pulumi"),
    ["stack", "init", "dev", "--non-interactive"],
    dir,
    env,
  );
  if (init.code !== 0) throw new Error(`pulumi stack init failed:\n${init.out}`);
  return { dir, env };
}

/** What the CLI reported about the config: the sorted `validating policy config` diagnostics, or its final error line. */
async function cliVerdict(
  program: { dir: string; env: NodeJS.ProcessEnv },
  packDir: string,
  config: unknown,
): Promise<{ lines: string[]; error?: string; ok: boolean }> {
  const file = path.join(program.dir, `config-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  const r = await run(
    path.join(cliDir as string, "pulumi"),
    ["preview", "--non-interactive", "--color", "never", "--policy-pack", packDir, "--policy-pack-config", file],
    program.dir,
    program.env,
  );
  const diag = r.out.split("Diagnostics:")[1] ?? "";
  const lines = diag
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l.startsWith("error: validating policy config: "))
    .map((l) => l.slice("error: ".length));
  const errors = r.out.split("\n").filter((l) => l.startsWith("error: "));
  return { lines, error: errors.at(-1)?.slice("error: ".length), ok: r.code === 0 };
}

async function harnessVerdict(
  h: PolicyPackHarness,
  config: unknown,
): Promise<{ lines: string[]; error?: string; ok: boolean }> {
  try {
    await h.configure(config as never);
    return { lines: [], ok: true };
  } catch (e) {
    if (e instanceof PolicyConfigValidationError)
      return { lines: e.lines, error: "validating policy config", ok: false };
    if (e instanceof PolicyPackConfigParseError || e instanceof PolicyConfigureError)
      return { lines: [], error: e.message, ok: false };
    throw e;
  }
}

const CASES: Array<{ name: string; pack: "real" | "fixture"; config: unknown }> = [
  {
    name: "exemption and imageKernels schema errors",
    pack: "real",
    config: {
      "alinux2-overlayfs-dentry-leak": {
        exemptions: [
          { resource: "web", expires: "next year" },
          { resource: "w", reason: "", expires: "2026-02-30", owner: "me" },
        ],
        imageKernels: { "m-bp1x": "latest" },
      },
      "alinux-image-kernel-unknown": { imageKernels: [] },
    },
  },
  { name: "invalid enforcement level", pack: "real", config: { "alinux2-overlayfs-dentry-leak": "blocking" } },
  { name: "properties for an unknown policy", pack: "real", config: { "no-such-policy": { foo: 1 } } },
  {
    name: '"all" and an unknown policy with a level',
    pack: "real",
    config: { all: "advisory", "no-such-policy": "mandatory" },
  },
  {
    name: "types, enum, minimum, nested required, null",
    pack: "fixture",
    config: {
      "fixture-resource": { mode: "loud", limit: 0.5, owner: { team: "x" }, denied: [1, "a"], until: 20200101 },
      "fixture-stack": { extra: null },
    },
  },
  {
    name: "minimum and required",
    pack: "fixture",
    config: { "fixture-resource": { limit: 0, owner: {}, mode: null } },
  },
];

describe.skipIf(!cliDir)(`harness config verdicts equal the real CLI's (${cliDir ?? "no CLI found"})`, () => {
  let program: { dir: string; env: NodeJS.ProcessEnv };
  const packs: Record<"real" | "fixture", { dir: string; h?: PolicyPackHarness }> = {
    real: { dir: defaultPackDir },
    fixture: { dir: "" },
  };

  beforeAll(async () => {
    ensurePackBuilt();
    program = await makeProgram();
    const fx = makeLinkedTempPackDir("alinux-guard-parity-fixture-");
    tmpDirs.push(fx);
    // CLIs of the 3.68 era do not know the "remediate" level.
    writeProtocolFixturePack(fx, { yamlVersion: "9.9.9", withRemediate: false });
    packs.fixture.dir = fx;
    packs.real.h = await PolicyPackHarness.start({ packDir: packs.real.dir });
    packs.fixture.h = await PolicyPackHarness.start({ packDir: packs.fixture.dir });
  }, 180_000);

  for (const c of CASES) {
    it(
      c.name,
      async () => {
        const p = packs[c.pack];
        const [cli, harness] = await Promise.all([
          cliVerdict(program, p.dir, c.config),
          harnessVerdict(p.h as PolicyPackHarness, c.config),
        ]);
        expect(harness).toEqual(cli);
      },
      180_000,
    );
  }

  afterAll(async () => {
    await packs.real.h?.stop();
    await packs.fixture.h?.stop();
  });
});
