/**
 * User data and Cloud Assistant command scripts with the verdict the pack must reach on an affected image, and the
 * phrase its message must give when it blocks. Run through the unit runtime (mitigationCorpus.spec.ts) and, for a
 * sample, through the engine harness (test/protocol/mitigation-corpus.spec.ts).
 */
import { gzipSync } from "node:zlib";
import { renderHotfixScript } from "../../../../companion/hotfixDelivery";

export const KERNEL_22_2_IMAGE = "aliyun_2_1903_x64_20G_alibase_20210120.vhd";
export const KERNEL_21_IMAGE = "aliyun_2_1903_x64_20G_alibase_20200904.vhd";
export const KERNEL_18_IMAGE = "aliyun_2_1903_x64_20G_alibase_20200324.vhd";

export interface CorpusCase {
  readonly name: string;
  /** As user data of an ECS instance, or as a Cloud Assistant command invoked on it. */
  readonly via: "userData" | "command";
  /** The user data value (as the program sets it) or the command script (plain; Base64-encoded by the runner unless `raw`). */
  readonly value: string;
  readonly raw?: boolean;
  readonly image: string;
  readonly verdict: "mitigated" | "blocked";
  /** A phrase of the violation message (blocked cases). */
  readonly reason?: string;
  /** Extra invocation properties (command cases). */
  readonly invocation?: Record<string, unknown>;
  readonly command?: Record<string, unknown>;
}

const AWK = `$(uname -r | awk -F"-" '{print $NF}')`;
const FIX = `yum install -y kernel-hotfix-4375449-${AWK}`;
const SH = (body: string) => `#!/bin/bash\n${body}\n`;
const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64");
const mime = (parts: { type: string; body: string; encoding?: "base64" | "quoted-printable" }[]) =>
  [
    'Content-Type: multipart/mixed; boundary="==BOUNDARY=="',
    "MIME-Version: 1.0",
    "",
    ...parts.flatMap((p) => [
      "--==BOUNDARY==",
      `Content-Type: ${p.type}; charset="us-ascii"`,
      "MIME-Version: 1.0",
      `Content-Transfer-Encoding: ${p.encoding ?? "7bit"}`,
      "",
      p.encoding === "base64" ? b64(p.body) : p.encoding === "quoted-printable" ? p.body.replace(/=/g, "=3D") : p.body,
    ]),
    "--==BOUNDARY==--",
    "",
  ].join("\n");

const blocked = (
  name: string,
  via: CorpusCase["via"],
  value: string,
  reason: string,
  extra: Partial<CorpusCase> = {},
): CorpusCase => ({ name, via, value, image: KERNEL_22_2_IMAGE, verdict: "blocked", reason, ...extra });
const mitigated = (
  name: string,
  via: CorpusCase["via"],
  value: string,
  extra: Partial<CorpusCase> = {},
): CorpusCase => ({ name, via, value, image: KERNEL_22_2_IMAGE, verdict: "mitigated", ...extra });

export const CORPUS: readonly CorpusCase[] = [
  // Counted as the hotfix before, though nothing is installed.
  blocked("no #! line", "userData", `${FIX}\n`, "it has no #! line"),
  blocked("CRLF #! line", "userData", `#!/bin/bash\r\n${FIX}\r\n`, "CRLF"),
  blocked("#! line of env with an option", "userData", `#!/usr/bin/env bash -e\n${FIX}\n`, "gives env a program name"),
  blocked("#! line with bash -n (reads, runs nothing)", "userData", `#!/bin/bash -n\n${FIX}\n`, "shell options keep"),
  blocked("--downloadonly after the $(uname | awk)", "userData", SH(`${FIX} --downloadonly`), "--downloadonly"),
  blocked("quoted ; inside echo", "userData", SH(`echo "ready; ${FIX}"`), "neither installs"),
  blocked(
    "write_files only writes the script",
    "userData",
    `#cloud-config\nwrite_files:\n  - path: /root/fix.sh\n    content: |\n      ${FIX}\n`,
    "only written",
  ),
  blocked(
    "package name without the sub-version",
    "userData",
    SH("yum install -y kernel-hotfix-4375449"),
    "without the kernel sub-version",
  ),
  blocked(
    "pinned to another kernel",
    "userData",
    SH("yum install -y kernel-hotfix-4375449-21.al7"),
    "another kernel's release",
  ),
  blocked(
    "--downloadonly built by a substitution",
    "userData",
    SH(`yum install -y --download$(echo only) kernel-hotfix-4375449-${AWK}`),
    "an argument the pack cannot follow",
  ),
  blocked(
    "--downloadonly built by a brace expansion",
    "userData",
    SH(`yum install -y --download{only,} kernel-hotfix-4375449-${AWK}`),
    "an argument the pack cannot follow",
  ),
  blocked("without -y", "userData", SH(`yum install kernel-hotfix-4375449-${AWK}`), "no -y"),
  blocked(
    "installed then removed",
    "userData",
    SH(`${FIX}\nyum remove -y kernel-hotfix-4375449-${AWK}`),
    "removes it later",
  ),
  blocked(
    "installed then removed by a pattern",
    "userData",
    SH(`${FIX}\nyum remove -y 'kernel-hotfix*'`),
    "removes it later",
  ),
  blocked(
    "installed then autoremoved",
    "userData",
    SH(`${FIX}\nyum autoremove -y kernel-hotfix-4375449-${AWK}`),
    "removes it later",
  ),
  blocked("inside a here-document", "userData", SH(`cat > /root/x <<'EOF'\n${FIX}\nEOF`), "neither installs"),
  blocked(
    "inside a select menu (its body runs only for a choice read from standard input)",
    "userData",
    SH(`select choice in fix skip; do\n  ${FIX}\n  break\ndone`),
    "neither installs",
  ),
  blocked("a comment", "userData", SH(`# ${FIX}`), "neither installs"),
  blocked("exec replaces the shell before the install", "userData", SH(`exec true\n${FIX}`), "neither installs"),
  blocked("set -n before the install (read, not run)", "userData", SH(`set -n\n${FIX}`), "neither installs"),
  blocked(
    "bash -n -c (reads the string, runs nothing)",
    "userData",
    SH(`bash -n -c "${FIX.replace(/"/g, '\\"')}"`),
    "neither installs",
  ),
  blocked(
    "a function named yum shadows the program",
    "userData",
    SH(`yum() { echo "$@"; }\n${FIX}`),
    "neither installs",
  ),
  blocked("sudo -l only lists the command", "userData", SH(`sudo -l ${FIX}`), "neither installs"),
  blocked("true || the install", "userData", SH(`true || ${FIX}`), "neither installs"),
  blocked(
    "a literal test && exit before the install",
    "userData",
    SH(`[ 1 = 1 ] && exit 0\n${FIX}`),
    "neither installs",
  ),
  blocked("while false", "userData", SH(`while false; do ${FIX}; done`), "neither installs"),
  blocked(
    "[[ uname -r == another kernel ]] && the install",
    "userData",
    SH(`[[ $(uname -r) == 4.19.91-21* ]] && ${FIX}`),
    "neither installs",
  ),
  blocked(
    "[ uname -r != this kernel ] then the install",
    "userData",
    SH(`if [ "$(uname -r)" != "4.19.91-22.2.al7.x86_64" ]; then ${FIX}; fi`),
    "neither installs",
  ),
  blocked(
    "a text/x-shellscript MIME part holding #cloud-config (cloud-init runs it as a program: no #! line)",
    "userData",
    mime([{ type: "text/x-shellscript", body: `#cloud-config\nruncmd:\n  - ${JSON.stringify(FIX)}\n` }]),
    "no #! line",
  ),
  blocked(
    "a text/cloud-config MIME part holding a shell script (YAML to cloud-init: a comment and a string)",
    "userData",
    mime([{ type: "text/cloud-config", body: SH(FIX) }]),
    "not a YAML mapping",
  ),
  blocked("#include is not followed", "userData", "#include\nhttps://example.invalid/fix.sh\n", "not follow"),
  blocked("kernel update without a reboot", "userData", SH("yum update -y kernel"), "does not reboot", {
    image: KERNEL_18_IMAGE,
  }),
  blocked("hotfix on a kernel below its range", "userData", SH(FIX), "cannot fix kernel 4.19.91-18.al7", {
    image: KERNEL_18_IMAGE,
  }),
  blocked("malformed shell", "userData", SH(`if true; then ${FIX}`), "cannot be read"),
  blocked(
    "syntax error inside a command substitution",
    "userData",
    SH(`STAMP=$(if true; then)\n${FIX}`),
    "not valid shell",
  ),
  blocked(
    "syntax error in a bash -c string",
    "userData",
    SH(`bash -c 'if true; then ${FIX.replace(/'/g, `'"'"'`)}'`),
    "not valid shell",
  ),
  blocked("malformed YAML", "userData", "#cloud-config\nruncmd: [\n", "not valid YAML"),
  blocked(
    "corrupt gzip",
    "userData",
    Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), Buffer.from("garbage")]).toString("base64"),
    "gzip",
    { raw: true },
  ),
  blocked(
    "case arm for another kernel",
    "userData",
    SH(`case "$(uname -r)" in\n  4.19.91-21*) ${FIX} ;;\nesac`),
    "neither installs",
  ),
  blocked(
    "literal condition false",
    "userData",
    SH(`MODE=off\nif [ "$MODE" = on ]; then ${FIX}; fi`),
    "neither installs",
  ),
  blocked("command content in plain text", "command", SH(FIX), "not Base64", { raw: true }),
  blocked("command as a non-root user", "command", FIX, "without root", { invocation: { username: "ecs-user" } }),
  blocked("invocation with a frequency", "command", FIX, "frequency", { invocation: { frequency: "0 */20 * * * *" } }),
  blocked("invocation that failed", "command", FIX, "status is Failed", { invocation: { status: "Failed" } }),
  blocked(
    "parameters pin another kernel",
    "command",
    "yum install -y kernel-hotfix-4375449-{{release}}",
    "another kernel's release",
    { command: { enableParameter: true }, invocation: { parameters: { release: "21.al7" } } },
  ),
  blocked("missing parameter", "command", "yum install -y kernel-hotfix-4375449-{{release}}", "has no value", {
    command: { enableParameter: true },
  }),
  blocked(
    "companion without allowReboot on an old kernel (REBOOT PENDING)",
    "command",
    renderHotfixScript({ allowReboot: false }),
    "does not reboot",
    { image: KERNEL_18_IMAGE },
  ),
  blocked(
    "companion user data without allowReboot on an old kernel",
    "userData",
    renderHotfixScript({ allowReboot: false }),
    "does not reboot",
    { image: KERNEL_18_IMAGE },
  ),

  // Real fixes, blocked before.
  mitigated("the advisory's own command", "userData", SH(FIX)),
  mitigated("#! line with bash -xe", "userData", `#!/bin/bash -xe\n${FIX}\n`),
  mitigated("Base64 user data", "userData", b64(SH(FIX))),
  mitigated("gzip'd user data", "userData", gzipSync(Buffer.from(SH(FIX))).toString("base64"), { raw: true }),
  mitigated("#cloud-config runcmd string", "userData", `#cloud-config\nruncmd:\n  - ${JSON.stringify(FIX)}\n`),
  mitigated(
    "#cloud-config runcmd argv list",
    "userData",
    `#cloud-config\nruncmd:\n  - [bash, -c, ${JSON.stringify(FIX)}]\n`,
  ),
  mitigated(
    "cloud-init documentation's runcmd forms (argv lists, sh -xc, sh -c, a plain line) with the fix",
    "userData",
    `#cloud-config\nruncmd:\n  - [ ls, -l, / ]\n  - [ sh, -xc, "echo $(date) ': hello world!'" ]\n  - [ sh, -c, echo "=========hello world=========" ]\n  - ls -l /root\n  - [ sh, -c, ${JSON.stringify(FIX)} ]\n`,
  ),
  blocked(
    "cloud-init documentation's runcmd forms without the fix",
    "userData",
    `#cloud-config\nruncmd:\n  - [ ls, -l, / ]\n  - [ sh, -xc, "echo $(date) ': hello world!'" ]\n  - ls -l /root\n`,
    "neither installs",
  ),
  blocked(
    "bootcmd echo of the fix into /etc/motd",
    "userData",
    `#cloud-config\nbootcmd:\n  - echo ${JSON.stringify(FIX)} >> /etc/motd\n`,
    "neither installs",
  ),
  mitigated(
    "#cloud-config packages, pinned to this kernel",
    "userData",
    "#cloud-config\npackages:\n  - kernel-hotfix-4375449-22.2.al7\n",
  ),
  mitigated("line continuation", "userData", SH(`yum install \\\n  -y \\\n  kernel-hotfix-4375449-${AWK}`)),
  mitigated(
    "one-line case arm for this kernel",
    "userData",
    SH(`case "$(uname -r)" in 4.19.91-22*) ${FIX} ;; *) echo skip ;; esac`),
  ),
  mitigated(
    "hotfix ID in a variable",
    "userData",
    SH(`ID=4375449\nPKG="kernel-hotfix-$ID-${AWK}"\nyum -y install "$PKG"`),
  ),
  mitigated("bash -c string", "userData", SH(`bash -c "${FIX.replace(/"/g, '\\"')}"`)),
  mitigated("sudo -u root", "userData", SH(`sudo -u root ${FIX}`)),
  // Read correctly since the move to unbash; tree-sitter-bash 0.25 could not read these (blocked as "cannot be read").
  mitigated(
    "arithmetic with a base prefix ($((10#…)))",
    "userData",
    SH(`MONTH=$((10#$(date +%m)))\necho "month $MONTH"\n${FIX}`),
  ),
  mitigated(
    "a negated group in a function's condition",
    "userData",
    SH(`fix() {\n  if ! { rpm -q kernel-hotfix-4375449-${AWK} >/dev/null 2>&1; }; then\n    ${FIX}\n  fi\n}\nfix`),
  ),
  mitigated(
    "two assignments on one line inside a function, then a loop",
    "userData",
    SH(
      `fix() {\n  tries=0 max=3\n  while [ "$tries" -lt "$max" ]; do\n    ${FIX} && break\n    tries=$((tries + 1))\n  done\n}\nfix`,
    ),
  ),
  mitigated("a function that is called", "userData", SH(`fix() {\n  ${FIX}\n}\nfix`)),
  mitigated("rpm -q || the install", "userData", SH(`rpm -q kernel-hotfix-4375449-${AWK} >/dev/null || ${FIX}`)),
  mitigated(
    "[[ uname -r == this kernel ]] && the install",
    "userData",
    SH(`[[ $(uname -r) == 4.19.91-22* ]] && ${FIX}`),
  ),
  mitigated(
    "[ uname -r != this kernel ] else the install",
    "userData",
    SH(`if [ "$(uname -r)" != "4.19.91-22.2.al7.x86_64" ]; then echo skip; else ${FIX}; fi`),
  ),
  mitigated("exec of the install", "userData", SH(`exec ${FIX}`)),
  mitigated(
    "re-exec under bash when not bash, then the install",
    "userData",
    SH(`if [ -z "\${BASH_VERSION:-}" ]; then exec /bin/bash "$0" "$@"; fi\n${FIX}`),
  ),
  mitigated(
    "MIME part in Base64",
    "userData",
    mime([{ type: "text/x-shellscript", body: SH(FIX), encoding: "base64" }]),
  ),
  mitigated(
    "MIME part in quoted-printable, with cloud-config",
    "userData",
    mime([
      { type: "text/cloud-config", body: "#cloud-config\nruncmd:\n  - echo hi\n" },
      { type: "text/x-shellscript", body: SH(FIX), encoding: "quoted-printable" },
    ]),
  ),
  mitigated(
    "kernel update then reboot (the advisory's fix below 19.1)",
    "userData",
    SH("yum update -y kernel\nreboot"),
    { image: KERNEL_18_IMAGE },
  ),
  mitigated(
    "cloud-config upgrade and power_state reboot",
    "userData",
    "#cloud-config\npackage_upgrade: true\npower_state:\n  mode: reboot\n",
    { image: KERNEL_18_IMAGE },
  ),
  mitigated(
    "cloud-config package_upgrade: yes (YAML 1.1, as cloud-init reads it) and power_state reboot",
    "userData",
    "#cloud-config\npackage_upgrade: yes\npower_state:\n  mode: reboot\n  condition: on\n",
    { image: KERNEL_18_IMAGE },
  ),
  mitigated(
    "cloud-config apt_upgrade: on (cloud-init's old name, any distro) and a reboot in runcmd",
    "userData",
    "#cloud-config\napt_upgrade: on\nruncmd:\n  - reboot\n",
    { image: KERNEL_18_IMAGE },
  ),
  blocked(
    "cloud-config package_upgrade: y (a string to PyYAML, false to cloud-init)",
    "userData",
    "#cloud-config\npackage_upgrade: y\npower_state:\n  mode: reboot\n",
    "neither installs",
    { image: KERNEL_18_IMAGE },
  ),
  blocked(
    "cloud-config upgrade with a power_state reboot on a condition",
    "userData",
    "#cloud-config\npackage_upgrade: true\npower_state:\n  mode: reboot\n  condition: test -f /var/run/reboot-required\n",
    "does not reboot",
    { image: KERNEL_18_IMAGE },
  ),
  mitigated(
    "cloud-config upgrade with the reboot in runcmd",
    "userData",
    "#cloud-config\npackage_upgrade: true\nruncmd:\n  - reboot\n",
    { image: KERNEL_18_IMAGE },
  ),
  mitigated(
    "kernel update in one MIME part, the reboot in another",
    "userData",
    mime([
      { type: "text/x-shellscript", body: SH("yum update -y kernel") },
      { type: "text/x-shellscript", body: SH("shutdown -r now"), encoding: "base64" },
    ]),
    { image: KERNEL_18_IMAGE },
  ),
  blocked(
    "MIME parts with a reboot but no kernel update",
    "userData",
    mime([
      { type: "text/x-shellscript", body: SH("yum install -y nginx") },
      { type: "text/x-shellscript", body: SH("reboot") },
    ]),
    "neither installs",
    { image: KERNEL_18_IMAGE },
  ),
  mitigated("command ending in exit 194 after a kernel update", "command", "yum update -y kernel\nexit 194", {
    image: KERNEL_18_IMAGE,
  }),
  mitigated("parameters supplying the package", "command", "yum install -y {{pkg}}", {
    command: { enableParameter: true },
    invocation: { parameters: { pkg: "kernel-hotfix-4375449-22.2.al7" } },
  }),
  mitigated("sudo from a non-root invocation", "command", `sudo ${FIX}`, { invocation: { username: "ecs-user" } }),
  mitigated("the companion's command on a hotfix kernel", "command", renderHotfixScript({ allowReboot: false })),
  mitigated("the companion's command on 21.al7", "command", renderHotfixScript({ allowReboot: false }), {
    image: KERNEL_21_IMAGE,
  }),
  mitigated(
    "the companion's command with allowReboot on an old kernel",
    "command",
    renderHotfixScript({ allowReboot: true }),
    { image: KERNEL_18_IMAGE },
  ),
  mitigated(
    "the companion's user data with allowReboot on an old kernel",
    "userData",
    b64(renderHotfixScript({ allowReboot: true })),
    { image: KERNEL_18_IMAGE },
  ),
  mitigated(
    "the companion's user data on a hotfix kernel",
    "userData",
    b64(renderHotfixScript({ allowReboot: false })),
  ),
  // Variable scope as bash has it: a subshell's, a command's prefix assignments', a function's locals.
  blocked(
    "the hotfix name assigned in a subshell",
    "userData",
    SH(`(HF=kernel-hotfix-4375449)\nyum install -y $HF-${AWK}`),
    "neither installs kernel-hotfix-4375449",
  ),
  blocked(
    "the hotfix name assigned for one command only",
    "userData",
    SH(`HF=kernel-hotfix-4375449 true\nyum install -y $HF-${AWK}`),
    "neither installs kernel-hotfix-4375449",
  ),
  blocked(
    "a prefix assignment used in its own command's words",
    "userData",
    SH(`HF=kernel-hotfix-4375449 yum install -y $HF-${AWK}`),
    "neither installs kernel-hotfix-4375449",
  ),
  blocked(
    "the hotfix name local to a function, used after it",
    "userData",
    SH(`f() { local HF=kernel-hotfix-4375449; }\nf\nyum install -y $HF-${AWK}`),
    "neither installs kernel-hotfix-4375449",
  ),
  mitigated(
    "a function's local seen by the function it calls",
    "userData",
    SH(`inst() { yum install -y $HF-${AWK}; }\nf() { local HF=kernel-hotfix-4375449; inst; }\nf`),
  ),
  mitigated(
    "a prefix assignment in a bash -c command's environment",
    "userData",
    SH(`HF=kernel-hotfix-4375449 bash -c 'yum install -y $HF-$(uname -r | awk -F"-" "{print \\$NF}")'`),
  ),
  // EXIT traps run as the script ends.
  blocked(
    "an EXIT trap that removes the hotfix",
    "userData",
    SH(`trap "yum remove -y 'kernel-hotfix-*'" EXIT\n${FIX}`),
    "removes it later",
  ),
  blocked(
    "an EXIT trap function that removes the hotfix",
    "userData",
    SH(`undo() { yum remove -y 'kernel-hotfix*'; }\ntrap undo EXIT\n${FIX}`),
    "removes it later",
  ),
  mitigated("an EXIT trap that cleans up", "userData", SH(`TMP=$(mktemp -d)\ntrap 'rm -rf "$TMP"' EXIT\n${FIX}`)),
  mitigated(
    "an EXIT trap cleared before the end",
    "userData",
    SH(`trap "yum remove -y 'kernel-hotfix-*'" EXIT\n${FIX}\ntrap - EXIT`),
  ),
  // yum options with which nothing is installed.
  blocked(
    "yum --assumeno",
    "userData",
    SH(`yum install -y --assumeno kernel-hotfix-4375449-${AWK}`),
    "installs nothing (--assumeno)",
  ),
  blocked(
    "yum --setopt=tsflags=test",
    "userData",
    SH(`yum install -y --setopt=tsflags=test kernel-hotfix-4375449-${AWK}`),
    "installs nothing (tsflags=test)",
  ),
  blocked(
    "yum --installroot",
    "userData",
    SH(`yum install -y --installroot=/mnt/sysimage kernel-hotfix-4375449-${AWK}`),
    "installs nothing (--installroot)",
  ),
  blocked(
    "yum excluding the hotfix",
    "userData",
    SH(`yum install -y --exclude='kernel-hotfix*' kernel-hotfix-4375449-${AWK}`),
    "excludes it",
  ),
  blocked(
    "a kernel update excluding the kernel",
    "userData",
    SH(`yum update -y -x 'kernel*'\nshutdown -r now`),
    "excludes the kernel",
    { image: KERNEL_18_IMAGE },
  ),
  mitigated("a kernel update excluding another package", "userData", SH(`yum update -y --exclude=nginx\nreboot`), {
    image: KERNEL_18_IMAGE,
  }),
  // set -e: a command that surely fails ends the script.
  blocked(
    "set -e, then false, then the fix",
    "userData",
    SH(`set -e\nfalse\n${FIX}`),
    "neither installs kernel-hotfix-4375449",
  ),
  blocked(
    "#!/bin/bash -e, then a failing test, then the fix",
    "userData",
    `#!/bin/bash -e\n[ a = b ]\n${FIX}\n`,
    "neither installs kernel-hotfix-4375449",
  ),
  mitigated(
    "set -e with false only in conditions",
    "userData",
    SH(`set -e\nif false; then echo no; fi\nfalse || true\n${FIX}`),
  ),
  mitigated("set -e turned off before a false", "userData", SH(`set -e\nset +e\nfalse\n${FIX}`)),
  // Background jobs.
  blocked(
    "a kernel update in the background, then a reboot",
    "userData",
    SH("yum update -y kernel &\nshutdown -r now"),
    "in the background",
    { image: KERNEL_18_IMAGE },
  ),
  mitigated(
    "a kernel update in the background, waited for, then a reboot",
    "userData",
    SH("yum update -y kernel &\nwait\nreboot"),
    { image: KERNEL_18_IMAGE },
  ),
  blocked("the hotfix installed in the background", "userData", SH(`${FIX} &`), "in the background"),
  // Several #cloud-config parts: cloud-init merges them, a later part's key replacing an earlier part's.
  blocked(
    "a #cloud-config part's runcmd replaced by a later part's",
    "userData",
    mime([
      { type: "text/cloud-config", body: `#cloud-config\nruncmd:\n  - ${JSON.stringify(FIX)}` },
      { type: "text/cloud-config", body: "#cloud-config\nruncmd:\n  - echo done" },
    ]),
    "neither installs kernel-hotfix-4375449",
  ),
  mitigated(
    "two #cloud-config parts setting different keys",
    "userData",
    mime([
      { type: "text/cloud-config", body: `#cloud-config\nruncmd:\n  - ${JSON.stringify(FIX)}` },
      { type: "text/cloud-config", body: "#cloud-config\npackages:\n  - nginx" },
    ]),
  ),
  blocked(
    "#cloud-config parts with their own merge rules",
    "userData",
    mime([
      { type: "text/cloud-config", body: `#cloud-config\nruncmd:\n  - ${JSON.stringify(FIX)}` },
      {
        type: "text/cloud-config",
        body: "#cloud-config\nmerge_how: 'dict(recurse_array,no_replace)+list(append)'\nruncmd:\n  - echo done",
      },
    ]),
    "their own merge rules",
  ),
  // An unquoted here-document is expanded by the outer shell before the inner one reads it.
  blocked(
    "a variable set inside an unquoted bash here-document",
    "userData",
    SH(`bash <<EOF\nHF=kernel-hotfix-4375449\nyum install -y $HF-${AWK}\nEOF`),
    "neither installs kernel-hotfix-4375449",
  ),
  mitigated(
    "a variable set inside a quoted bash here-document",
    "userData",
    SH(`bash <<'EOF'\nHF=kernel-hotfix-4375449\nyum install -y $HF-${AWK}\nEOF`),
  ),
  mitigated(
    "the advisory's command in an unquoted sudo bash here-document",
    "userData",
    SH(`sudo bash <<EOF\n${FIX}\nEOF`),
  ),
  mitigated(
    "a variable set outside an unquoted bash here-document",
    "userData",
    SH(`HF=kernel-hotfix-4375449\nbash <<EOF\nyum install -y $HF-${AWK}\nEOF`),
  ),
  mitigated("sudo -iu root", "userData", SH(`sudo -iu root ${FIX}`)),
  blocked("sudo -iu to another user", "userData", SH(`sudo -iu ecs-user ${FIX}`), "without root"),
  blocked(
    "sudo -nl (lists, runs nothing)",
    "userData",
    SH(`sudo -nl ${FIX}`),
    "neither installs kernel-hotfix-4375449",
  ),
];
