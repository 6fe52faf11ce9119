// tools/cli/policy-pack-launcher.sh, without a CLI: the executable analyzer it writes for a CLI that has no Node.js
// language host (the e2e suite on the current CLI runs the pack through it), and its usage errors.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PACK_LAUNCHER_SCRIPT, POLICY_PACK_DIR } from "../../tools/e2e/pulumiCli";

const cache = mkdtempSync(path.join(os.tmpdir(), "alinux-guard-launcher-"));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

function launcher(...args: string[]) {
  return spawnSync("bash", [PACK_LAUNCHER_SCRIPT, ...args], {
    encoding: "utf8",
    env: { ...process.env, ALINUX_GUARD_CACHE: cache },
  });
}

describe("policy-pack-launcher.sh", () => {
  it("writes an executable beside a copy of the pack's PulumiPolicy.yaml, outside the pack, and prints its path", () => {
    const res = launcher(POLICY_PACK_DIR);
    expect(res.status, res.stderr).toBe(0);
    const analyzer = res.stdout.trim();
    expect(analyzer.startsWith(path.join(cache, "pack-launchers") + path.sep)).toBe(true);
    expect(statSync(analyzer).mode & 0o111).not.toBe(0);
    expect(readFileSync(path.join(path.dirname(analyzer), "PulumiPolicy.yaml"), "utf8")).toBe(
      readFileSync(path.join(POLICY_PACK_DIR, "PulumiPolicy.yaml"), "utf8"),
    );
    // As the language host's RunPlugin: in the pack's directory, run-policy-pack <engine address> <pack dir>.
    const script = readFileSync(analyzer, "utf8");
    expect(script).toContain(`cd '${POLICY_PACK_DIR}'`);
    expect(script).toMatch(/exec node '[^']*@pulumi\/pulumi\/cmd\/run-policy-pack\/index\.js' "\$1" '[^']*'/);
    expect(script).toContain(`"$1" '${POLICY_PACK_DIR}'`);
    // The same pack gets the same launcher (rewritten in place), so repeated runs do not pile up directories.
    expect(launcher(POLICY_PACK_DIR).stdout.trim()).toBe(analyzer);
  });

  it("refuses bad usage with exit 2 and one line: no argument, no PulumiPolicy.yaml, no @pulumi/pulumi", () => {
    expect(launcher().status).toBe(2);
    const empty = mkdtempSync(path.join(cache, "no-pack-"));
    const noYaml = launcher(empty);
    expect(noYaml.status).toBe(2);
    expect(noYaml.stderr).toMatch(/no PulumiPolicy\.yaml/);
    const bare = path.join(cache, "bare-pack");
    mkdirSync(bare);
    writeFileSync(path.join(bare, "PulumiPolicy.yaml"), "runtime: nodejs\n");
    const noSdk = launcher(bare);
    expect(noSdk.status).toBe(2);
    expect(noSdk.stderr).toMatch(/@pulumi\/pulumi is not installed/);
  });
});
