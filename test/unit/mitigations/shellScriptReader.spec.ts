import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globMatches, readShellScript } from "../../../policies/src/mitigations/shellScriptReader";
import type { PackageEffect, ScriptReading } from "../../../policies/src/mitigations/scriptEffects";

const AWK = `$(uname -r | awk -F"-" '{print $NF}')`;
const SUB = [{ kind: "text", text: "kernel-hotfix-4375449-" }, { kind: "kernel-sub-version" }];
const effects = (r: ScriptReading) => (r.state === "runs" ? r.effects : []);
const installs = (r: ScriptReading) =>
  effects(r).filter((e): e is PackageEffect => e.kind === "install" && !e.downloadOnly && e.assumeYes);

describe("readShellScript", () => {
  it("reads the advisory's command and the ways it is computed", async () => {
    for (const script of [
      `yum install -y kernel-hotfix-4375449-${AWK}`,
      "yum install -y kernel-hotfix-4375449-$(uname -r | cut -d- -f2)",
      'K=$(uname -r); yum install -y "kernel-hotfix-4375449-${K#*-}"',
      `P=kernel-hotfix-4375449; yum install -y "$P-${AWK}"`,
    ]) {
      expect(
        installs(await readShellScript(script, "t")).map((e) => e.packages),
        script,
      ).toEqual([[SUB]]);
    }
  });

  it("follows wrappers and who they run as", async () => {
    const runsAs = async (s: string) => effects(await readShellScript(s, "t")).map((e) => e.runsAs);
    expect(await runsAs("sudo yum install -y x")).toEqual(["root"]);
    expect(await runsAs("sudo -u root env A=1 nohup yum install -y x")).toEqual(["root"]);
    expect(await runsAs("sudo -u nobody yum install -y x")).toEqual(["other-user"]);
    expect(await runsAs("timeout 600 yum install -y x")).toEqual(["script-user"]);
    expect(await runsAs("sudo bash <<'EOF'\nyum install -y x\nEOF")).toEqual(["root"]);
  });

  it("takes only the branch literals decide, and makes case arms on uname -r kernel conditions", async () => {
    expect(effects(await readShellScript(': "${R:=no}"\nif [ "$R" = yes ]; then reboot; fi', "t"))).toEqual([]);
    expect(
      effects(await readShellScript(': "${R:=yes}"\nif [ "$R" = yes ]; then reboot; fi', "t")).map((e) => e.kind),
    ).toEqual(["reboot"]);
    const arms = effects(
      await readShellScript('case "$(uname -r)" in 4.19.91-22*) yum install -y a ;; *) yum install -y b ;; esac', "t"),
    );
    expect(arms.map((e) => e.kernelConditions)).toEqual([
      [{ anyOf: ["4.19.91-22*"], noneOf: [] }],
      [{ anyOf: ["*"], noneOf: ["4.19.91-22*"] }],
    ]);
  });

  it("stops at an unconditional exit and records its code", async () => {
    const r = await readShellScript("yum update -y kernel\nexit 194\nreboot", "t");
    expect(effects(r).map((e) => e.kind)).toEqual(["update", "exit"]);
  });

  it("does not parse scripts that name no package manager or reboot", async () => {
    expect(await readShellScript("echo hello; if then fi", "t")).toEqual({ state: "runs", effects: [], notes: [] });
  });

  it("finishes on pathological scripts in bounded time", async () => {
    const many =
      Array.from({ length: 10_000 }, (_, i) => `V${i}=$V${i ? i - 1 : 0}x`).join("\n") + "\nyum install -y $V9999";
    expect((await readShellScript(many, "t")).state).toBe("runs");
    const bomb =
      Array.from({ length: 30 }, (_, i) => `f${i + 1}() { f${i}; f${i}; }`).join("\n") +
      "\nf0() { yum install -y x; }\nf30";
    expect(await readShellScript(bomb, "t")).toEqual({ state: "cannot-be-read", reason: "it is too large to follow" });
    const big = `#!/bin/bash\n${"echo 'line of text for a large script'\n".repeat(28_000)}yum install -y x\n`;
    expect(installs(await readShellScript(big, "t"))).toHaveLength(1);
  });

  it("never counts commands that do not install, however quoted, separated or substituted", async () => {
    const notInstalling = fc.constantFrom(
      `echo yum install -y kernel-hotfix-4375449-${AWK}`,
      `printf '%s\\n' "yum install -y kernel-hotfix-4375449-${AWK}"`,
      "rpm -q kernel-hotfix-4375449",
      `# yum install -y kernel-hotfix-4375449-${AWK}`,
      `cat <<'EOF'\nyum install -y kernel-hotfix-4375449-${AWK}\nEOF`,
      `yum install -y --downloadonly kernel-hotfix-4375449-${AWK}`,
      `yum install -y kernel-hotfix-4375449-${AWK} --downloadonly`,
      `: 'yum install -y kernel-hotfix-4375449'`,
    );
    const wrap = fc.constantFrom(
      (s: string) => s,
      (s: string) => `true && ${s}`,
      (s: string) => `${s}; true`,
      (s: string) => `x=$(${s})`,
      (s: string) => `{ ${s}\n}`,
      (s: string) => `if true; then ${s}\nfi`,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(notInstalling, wrap), { minLength: 1, maxLength: 4 }),
        fc.constantFrom("\n", "; ", " && ", " || "),
        async (parts, sep) => {
          const script = parts.map(([cmd, w]) => w(cmd)).join(sep.trim() === "" ? "\n" : cmd_sep(sep));
          expect(installs(await readShellScript(script, "t"))).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });
});

/** Separators that never join a here-document's first line to the next command. */
function cmd_sep(sep: string): string {
  return `\n${sep.trim() === ";" ? "" : "true"}${sep}`.replace(/^\n(true)?; $/, "\n");
}

describe("globMatches", () => {
  it("matches shell patterns", () => {
    expect(globMatches("4.19.91-2[12]*", "4.19.91-22.2.al7.x86_64")).toBe(true);
    expect(globMatches("4.19.91-2[!12]*", "4.19.91-22.2.al7.x86_64")).toBe(false);
    expect(globMatches("a?c", "abc")).toBe(true);
    expect(globMatches("\\*", "*")).toBe(true);
  });
  it("reads commands the same whether their words are read in full or seen as inert", async () => {
    // A command named by an expansion (`${UNSET:-mkdir}`) is always read word by word; written plainly, most are
    // seen as inert without reading their words: the two readings must agree on every effect and where they stop.
    const line = fc.constantFrom(
      ["mkdir", "-p /opt/app/d1"],
      ["echo", "'yum install -y kernel-hotfix-4375449-22.2.al7'"],
      ["systemctl", "restart app-2"],
      ["cp", "/etc/app/a.conf /opt/app/ || true"],
      ["yum", "install -y kernel-hotfix-4375449-22.2.al7"],
      ["/usr/bin/yum", "-y update kernel"],
      ["shutdown", "-r now"],
      ["exit", "0"],
      ["sudo", "-u nobody yum install -y a"],
      ["env", "yum install -y b"],
      ["sh", "-c 'yum install -y c'"],
      ["cat", "<<EOF\nyum install -y d\nEOF"],
      ["bash", "<<EOF\nyum install -y e\nEOF"],
      ["systemctl", "--no-wall reboot"],
      ["fix", ""],
      ["fox", "kernel-hotfix-4375449-22.2.al7"],
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 8 }), async (lines) => {
        const prelude = "fix() { yum install -y f; }\n";
        const plain = prelude + lines.map(([name, rest]) => `${name} ${rest}`).join("\n");
        const expanded = prelude + lines.map(([name, rest]) => `\${UNSET_NAME:-${name}} ${rest}`).join("\n");
        expect(await readShellScript(plain, "t"), plain).toEqual(await readShellScript(expanded, "t"));
      }),
      { numRuns: 200 },
    );
  });
  it("reads a script the same whether or not it defines a function it never calls", async () => {
    const line = fc.constantFrom(
      'mkdir -p /opt/app/d1 && echo "step 1" >> /var/log/setup.log',
      "cp /etc/app/a.conf /opt/app/ || true",
      "systemctl restart app-2",
      "set -eu",
      "echo 'yum install -y kernel-hotfix-4375449-22.2.al7'",
      're"boot"',
      "'yum' install -y kernel-hotfix-4375449-22.2.al7",
      "/usr/bin/yum -y update kernel",
      "shutdown -r now",
      "exit 0",
      "true || exit 3",
      "X=kernel-hotfix-4375449-22.2.al7",
      'yum install -y "$X"',
      "sudo -u nobody yum install -y a",
      "env yum install -y b",
      "sh -c 'yum install -y c'",
      "cat <<EOF\nyum install -y d\nEOF",
      "bash <<EOF\nyum install -y e\nEOF",
      "systemctl --no-wall reboot",
      "nohup yum update -y &",
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 8 }), async (lines) => {
        const script = lines.join("\n");
        const skimmed = await readShellScript(script, "t");
        const whole = await readShellScript(`unused() { :; }\n${script}`, "t");
        expect(skimmed, script).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });
});
