/**
 * A fake Alibaba Cloud Linux host for the hotfix script: stub commands first on PATH (uname, yum, rpm, kpatch,
 * systemctl, shutdown, reboot, sleep) driven by a state directory, and — inside a private mount namespace
 * (`unshare -m`, needs root) — a fake /etc/os-release, private /etc/systemd/system, /usr/local/sbin and /run
 * (for /var/run/yum.pid). The real systemctl/shutdown/reboot are also covered by the stubs inside the
 * namespace, so a stray absolute path cannot reach them. Nothing outside the temp directory is touched.
 */
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

export const ALINUX2_OS_RELEASE = [
  'NAME="Alibaba Cloud Linux (Aliyun Linux)"',
  'VERSION="2.1903 LTS (Hunting Beagle)"',
  'ID="alinux"',
  'ID_LIKE="rhel fedora centos anolis"',
  'VERSION_ID="2.1903"',
  'PRETTY_NAME="Alibaba Cloud Linux (Aliyun Linux) 2.1903 LTS (Hunting Beagle)"',
  "",
].join("\n");
export const ALINUX3_OS_RELEASE =
  'NAME="Alibaba Cloud Linux"\nVERSION="3 (Soaring Falcon)"\nID="alinux"\nVERSION_ID="3"\n';
export const CENTOS7_OS_RELEASE = 'NAME="CentOS Linux"\nVERSION="7 (Core)"\nID="centos"\nVERSION_ID="7"\n';

export interface FakeHostOptions {
  osRelease?: string;
  /** Running kernel, as `uname -r` prints it. */
  kernel: string;
  /** Installed kernels (`rpm -q kernel`); default: the running one. */
  installedKernels?: string[];
  /** Packages `yum install` can find. */
  repoPackages?: string[];
  /** Kernel that `yum update kernel` installs (none: nothing to update). */
  repoKernel?: string;
  /** Whether `kpatch` exists. Default true. */
  kpatch?: boolean;
  /** Whether installing the hotfix loads its module (what `kpatch list` shows). Default true. */
  autoLoad?: boolean;
  /** `yum` reports its lock held (exit_on_lock) on this many calls before working. */
  yumLockBusyCalls?: number;
  /** A live process holds /var/run/yum.pid during the whole run. */
  holdYumPidfile?: boolean;
  /** /var/run/yum.pid holds this (e.g. a dead PID). */
  yumPidfileContent?: string;
  /** `rpm -q NAME.ARCH` fails (only `rpm -qa` finds the package). */
  rpmWithoutArchQuery?: boolean;
  shutdownFails?: boolean;
}

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

const STUBS: Record<string, string> = {
  uname: `#!/bin/bash
if [ "\${1:-}" = -r ]; then cat "$FAKE/kernel"; else echo Linux; fi
`,
  rpm: `#!/bin/bash
echo "rpm $*" >>"$FAKE/calls.log"
if [ "$1" = -q ] && [ "$2" = kernel ]; then cat "$FAKE/kernels"; exit 0; fi
if [ "$1" = -q ]; then
  if [ -e "$FAKE/rpm-without-arch-query" ] && [[ "$2" == *.x86_64 ]]; then echo "package $2 is not installed"; exit 1; fi
  if [ -e "$FAKE/installed/$2" ]; then echo "$2-1.0-20210301.al7"; exit 0; fi
  echo "package $2 is not installed"; exit 1
fi
if [ "$1" = -qa ]; then ls "$FAKE/installed"; exit 0; fi
exit 1
`,
  yum: `#!/bin/bash
echo "yum $*" >>"$FAKE/yum.log"
busy=$(cat "$FAKE/lock-busy" 2>/dev/null || echo 0)
if [ "$busy" -gt 0 ]; then
  echo $((busy - 1)) >"$FAKE/lock-busy"
  echo "Another app is currently holding the yum lock; exiting as configured by exit_on_lock"
  exit 1
fi
cmd=""; pkgs=()
for a in "$@"; do case "$a" in -*) ;; install|update) cmd=$a ;; *) pkgs+=("$a") ;; esac; done
if [ "$cmd" = install ]; then
  for p in "\${pkgs[@]}"; do
    if grep -qxF "$p" "$FAKE/repo"; then
      touch "$FAKE/installed/$p"; echo "Installed: $p"
      [ -e "$FAKE/no-autoload" ] || echo "$p" >>"$FAKE/loaded"
    else
      echo "No package $p available."; echo "Error: Nothing to do"; exit 1
    fi
  done
  echo "Complete!"; exit 0
fi
if [ "$cmd" = update ]; then
  if [ -s "$FAKE/repo-kernel" ] && ! grep -qxF "$(cat "$FAKE/repo-kernel")" "$FAKE/kernels"; then
    printf '%s\n' "$(cat "$FAKE/repo-kernel")" >>"$FAKE/kernels"; echo "Updated: kernel"
  else
    echo "No packages marked for update"
  fi
  exit 0
fi
echo "fake yum: unsupported: $*"; exit 1
`,
  kpatch: `#!/bin/bash
echo "kpatch $*" >>"$FAKE/calls.log"
echo "Loaded patch modules:"
if [ -s "$FAKE/loaded" ]; then echo "kpatch_4375449 [enabled]"; fi
echo
echo "Installed patch modules:"
for f in "$FAKE"/installed/*; do [ -e "$f" ] && echo "kpatch_4375449 ($(cat "$FAKE/kernel"))"; done
exit 0
`,
  systemctl: `#!/bin/bash
echo "systemctl $*" >>"$FAKE/calls.log"
exit 0
`,
  shutdown: `#!/bin/bash
echo "shutdown $*" >>"$FAKE/calls.log"
[ -e "$FAKE/shutdown-fails" ] && exit 1
exit 0
`,
  reboot: `#!/bin/bash
echo "reboot $*" >>"$FAKE/calls.log"
exit 0
`,
  sleep: `#!/bin/bash
echo "sleep $*" >>"$FAKE/calls.log"
exit 0
`,
};

const WRAPPER = `
set -e
script="$1"; shift
mount --make-rprivate / 2>/dev/null || true
mount --bind "$FAKE_ROOT/os-release" /etc/os-release
mount --bind "$FAKE_ROOT/systemd-system" /etc/systemd/system
mount --bind "$FAKE_ROOT/local-sbin" /usr/local/sbin
mount -t tmpfs fake-run /run
for b in systemctl shutdown reboot; do
  if real=$(command -v "$b"); then mount --bind "$FAKE_ROOT/stubs/$b" "$real"; fi
done
holder=""
if [ -e "$FAKE_ROOT/hold-pidfile" ]; then sleep 600 & holder=$!; echo "$holder" >/run/yum.pid; fi
if [ -e "$FAKE_ROOT/pidfile-content" ]; then cp "$FAKE_ROOT/pidfile-content" /run/yum.pid; fi
set +e
env -i "$@" "$script"
rc=$?
if [ -n "$holder" ]; then kill "$holder"; fi
exit $rc
`;

/** Why the fake host cannot run here (not root, no unshare), or undefined when it can. */
export function fakeHostUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return "the fake-host tests need root (for unshare -m and bind mounts)";
  const probe = spawnSync("unshare", ["-m", "true"], { encoding: "utf8" });
  if (probe.status !== 0) return `unshare -m does not work here: ${probe.stderr || probe.error?.message}`;
  return undefined;
}

export class FakeHost {
  readonly root: string;
  readonly state: string;

  constructor(options: FakeHostOptions) {
    this.root = mkdtempSync(path.join(tmpdir(), "alinux-fake-host-"));
    this.state = path.join(this.root, "state");
    for (const dir of ["stubs", "state/installed", "systemd-system", "local-sbin"]) {
      mkdirSync(path.join(this.root, dir), { recursive: true });
    }
    for (const [name, body] of Object.entries(STUBS)) {
      if (name === "kpatch" && options.kpatch === false) continue;
      const file = path.join(this.root, "stubs", name);
      writeFileSync(file, body);
      chmodSync(file, 0o755);
    }
    writeFileSync(path.join(this.root, "os-release"), options.osRelease ?? ALINUX2_OS_RELEASE);
    this.setKernel(options.kernel);
    writeFileSync(path.join(this.state, "kernels"), (options.installedKernels ?? [options.kernel]).join("\n") + "\n");
    writeFileSync(path.join(this.state, "repo"), (options.repoPackages ?? []).join("\n") + "\n");
    writeFileSync(path.join(this.state, "repo-kernel"), options.repoKernel ?? "");
    writeFileSync(path.join(this.state, "lock-busy"), String(options.yumLockBusyCalls ?? 0));
    if (options.autoLoad === false) writeFileSync(path.join(this.state, "no-autoload"), "");
    if (options.rpmWithoutArchQuery) writeFileSync(path.join(this.state, "rpm-without-arch-query"), "");
    if (options.shutdownFails) writeFileSync(path.join(this.state, "shutdown-fails"), "");
    if (options.holdYumPidfile) writeFileSync(path.join(this.root, "hold-pidfile"), "");
    if (options.yumPidfileContent !== undefined)
      writeFileSync(path.join(this.root, "pidfile-content"), options.yumPidfileContent);
  }

  /** Simulates booting another kernel. */
  setKernel(kernel: string): void {
    writeFileSync(path.join(this.state, "kernel"), kernel + "\n");
  }

  /** Runs a script file (default: the repository's hotfix script) on the fake host. */
  run(scriptPath: string, env: Record<string, string> = {}): RunResult {
    const environment = {
      PATH: `${path.join(this.root, "stubs")}:/usr/sbin:/usr/bin:/sbin:/bin`,
      FAKE: this.state,
      HOME: "/root",
      ...env,
    };
    const result = spawnSync(
      "unshare",
      ["-m", "bash", "-c", WRAPPER, "wrapper", scriptPath, ...Object.entries(environment).map(([k, v]) => `${k}=${v}`)],
      {
        encoding: "utf8",
        env: { PATH: "/usr/sbin:/usr/bin:/sbin:/bin", HOME: this.root, FAKE_ROOT: this.root },
        timeout: 60_000,
      },
    );
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Runs the script the way the boot unit would: the copy in /usr/local/sbin, with ALINUX_HOTFIX_BOOT_RUN=1. */
  runBootUnit(env: Record<string, string> = {}): RunResult {
    return this.run("/usr/local/sbin/alinux-overlayfs-hotfix.sh", { ALINUX_HOTFIX_BOOT_RUN: "1", ...env });
  }

  private lines(file: string): string[] {
    const p = path.join(this.state, file);
    return existsSync(p)
      ? readFileSync(p, "utf8")
          .split("\n")
          .filter((l) => l !== "")
      : [];
  }

  yumCalls(): string[] {
    return this.lines("yum.log");
  }

  /** Calls to rpm, kpatch, systemctl, shutdown, reboot and sleep, in order. */
  calls(): string[] {
    return this.lines("calls.log");
  }

  installedPackages(): string[] {
    return readdirSync(path.join(this.state, "installed")).sort();
  }

  installedKernels(): string[] {
    return this.lines("kernels");
  }

  unitFile(): string | undefined {
    const p = path.join(this.root, "systemd-system", "alinux-overlayfs-hotfix.service");
    return existsSync(p) ? readFileSync(p, "utf8") : undefined;
  }

  bootCopy(): string | undefined {
    const p = path.join(this.root, "local-sbin", "alinux-overlayfs-hotfix.sh");
    return existsSync(p) ? readFileSync(p, "utf8") : undefined;
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** Writes a script text to an executable temp file (for rendered variants of the script). */
export function writeScript(text: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "alinux-script-"));
  const file = path.join(dir, "apply-overlayfs-hotfix.sh");
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}
