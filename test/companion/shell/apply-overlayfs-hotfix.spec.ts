/**
 * The hotfix script on fake hosts (stub commands first on PATH, a fake /etc/os-release in a private mount
 * namespace): every kernel branch, another OS, twice in a row, each failure, and shellcheck.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { renderHotfixScript } from "../../../companion/hotfixDelivery";
import {
  ALINUX3_OS_RELEASE,
  CENTOS7_OS_RELEASE,
  FakeHost,
  FakeHostOptions,
  fakeHostUnavailableReason,
  RunResult,
  writeScript,
} from "../support/fakeHost";

const SCRIPT = path.join(__dirname, "../../../companion/shell/apply-overlayfs-hotfix.sh");
const HOTFIX_22_2 = "kernel-hotfix-4375449-22.2.al7.x86_64";
const FAST = { ALINUX_HOTFIX_LOCK_WAIT_SECONDS: "3", ALINUX_HOTFIX_LOCK_POLL_SECONDS: "1" };

const hosts: FakeHost[] = [];
function host(options: FakeHostOptions): FakeHost {
  const h = new FakeHost(options);
  hosts.push(h);
  return h;
}
afterEach(() => {
  while (hosts.length > 0) hosts.pop()?.dispose();
});

function result(run: RunResult): string | undefined {
  return /RESULT (\S+) exit=(\d+)/.exec(run.stdout)?.[1];
}

// Like the rest of the suite (tools/prepare-test-machine.sh): what this machine cannot run is skipped, loudly.
function warnSkip(what: string, reason: string): void {
  console.warn(`\n${"!".repeat(100)}\n!! SKIPPING ${what}: ${reason}\n${"!".repeat(100)}\n`);
}
const unavailable = fakeHostUnavailableReason();
if (unavailable) warnSkip("the hotfix script's fake-host tests", unavailable);
const shellcheckMissing = spawnSync("shellcheck", ["--version"], { encoding: "utf8" }).error !== undefined;
if (shellcheckMissing) warnSkip("the shellcheck test", "shellcheck is not installed (apt-get install -y shellcheck)");

(unavailable ? describe.skip : describe)("apply-overlayfs-hotfix.sh on fake hosts", () => {
  describe("not Alibaba Cloud Linux 2.1903", () => {
    for (const [label, osRelease] of [
      ["Alibaba Cloud Linux 3", ALINUX3_OS_RELEASE],
      ["CentOS 7", CENTOS7_OS_RELEASE],
    ] as const) {
      it(`does nothing on ${label}, exits 0 and says so, twice`, () => {
        const h = host({ osRelease, kernel: "4.19.91-22.2.al7.x86_64", repoPackages: [HOTFIX_22_2] });
        for (let i = 0; i < 2; i++) {
          const run = h.run(SCRIPT, FAST);
          expect(run.status).toBe(0);
          expect(result(run)).toBe("NOT_APPLICABLE");
          expect(run.stdout).toMatch(/not Alibaba Cloud Linux 2\.1903/);
        }
        expect(h.yumCalls()).toEqual([]);
        expect(h.installedPackages()).toEqual([]);
      });
    }
  });

  describe("kernel after 4.19.91-22.2.al7: not affected", () => {
    for (const kernel of ["4.19.91-23.al7.x86_64", "4.19.91-27.7.al7.x86_64", "4.19.91-22.10.al7.x86_64"]) {
      it(`does nothing on ${kernel}`, () => {
        const h = host({ kernel, repoPackages: [HOTFIX_22_2] });
        const run = h.run(SCRIPT, FAST);
        expect(run.status).toBe(0);
        expect(result(run)).toBe("NOT_AFFECTED");
        expect(h.yumCalls()).toEqual([]);
        expect(h.calls().filter((c) => /^(shutdown|reboot)/.test(c))).toEqual([]);
      });
    }
  });

  describe("kernel in the hotfix range (4.19.91-19.1.al7 .. 4.19.91-22.2.al7)", () => {
    for (const kernel of [
      "4.19.91-19.1.al7.x86_64",
      "4.19.91-21.al7.x86_64",
      "4.19.91-22.fc.1.al7.x86_64",
      "4.19.91-22.2.al7.x86_64",
    ]) {
      it(`installs kernel-hotfix-4375449-<last uname field> on ${kernel}, verifies it, no reboot`, () => {
        const pkg = `kernel-hotfix-4375449-${kernel.split("-").pop()}`;
        const h = host({ kernel, repoPackages: [pkg] });
        const run = h.run(SCRIPT, FAST);
        expect(run.status).toBe(0);
        expect(result(run)).toBe("HOTFIX_APPLIED");
        expect(h.yumCalls()).toEqual([`yum install -y --setopt=exit_on_lock=1 ${pkg}`]);
        expect(h.installedPackages()).toEqual([pkg]);
        expect(h.calls()).toContain(`rpm -q ${pkg}`);
        expect(h.calls()).toContain("kpatch list");
        expect(run.stdout).toMatch(/kpatch: hotfix 4375449 is loaded/);
        expect(h.calls().filter((c) => /^(shutdown|reboot|systemctl)/.test(c))).toEqual([]);
      });
    }

    it("is a no-op the second time", () => {
      const h = host({ kernel: "4.19.91-22.2.al7.x86_64", repoPackages: [HOTFIX_22_2] });
      expect(h.run(SCRIPT, FAST).status).toBe(0);
      const second = h.run(SCRIPT, FAST);
      expect(second.status).toBe(0);
      expect(result(second)).toBe("ALREADY_APPLIED");
      expect(h.yumCalls()).toHaveLength(1);
      expect(h.installedPackages()).toEqual([HOTFIX_22_2]);
    });

    it("fails loudly, naming the package and the kernel, when the hotfix package is missing", () => {
      const h = host({ kernel: "4.19.91-22.2.al7.x86_64", repoPackages: [] });
      const run = h.run(SCRIPT, FAST);
      expect(run.status).toBe(4);
      expect(result(run)).toBe("HOTFIX_PACKAGE_MISSING");
      expect(run.stdout).toMatch(
        /ERROR: package kernel-hotfix-4375449-22\.2\.al7\.x86_64 is not available .*kernel 4\.19\.91-22\.2\.al7\.x86_64/,
      );
    });

    it("fails when the package is installed but kpatch does not list it as loaded", () => {
      const h = host({ kernel: "4.19.91-22.2.al7.x86_64", repoPackages: [HOTFIX_22_2], autoLoad: false });
      const run = h.run(SCRIPT, FAST);
      expect(run.status).toBe(7);
      expect(result(run)).toBe("VERIFY_FAILED");
      expect(run.stdout).toMatch(/not loaded/);
    });

    it("verifies with rpm alone and warns when kpatch is absent", () => {
      const h = host({ kernel: "4.19.91-22.2.al7.x86_64", repoPackages: [HOTFIX_22_2], kpatch: false });
      const run = h.run(SCRIPT, FAST);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/WARN: kpatch not found/);
    });

    it("finds the installed package through rpm -qa when rpm -q NAME.ARCH does not match", () => {
      const h = host({ kernel: "4.19.91-22.2.al7.x86_64", repoPackages: [HOTFIX_22_2], rpmWithoutArchQuery: true });
      const first = h.run(SCRIPT, FAST);
      expect(first.status).toBe(0);
      expect(result(h.run(SCRIPT, FAST))).toBe("ALREADY_APPLIED");
      expect(h.yumCalls()).toHaveLength(1);
    });
  });

  describe("held yum lock", () => {
    it("waits while yum reports its lock held, then installs", () => {
      const h = host({ kernel: "4.19.91-22.2.al7.x86_64", repoPackages: [HOTFIX_22_2], yumLockBusyCalls: 2 });
      const run = h.run(SCRIPT, { ALINUX_HOTFIX_LOCK_WAIT_SECONDS: "10", ALINUX_HOTFIX_LOCK_POLL_SECONDS: "2" });
      expect(run.status).toBe(0);
      expect(result(run)).toBe("HOTFIX_APPLIED");
      expect(h.yumCalls()).toHaveLength(3);
      expect(h.calls().filter((c) => c.startsWith("sleep"))).toEqual(["sleep 2", "sleep 2"]);
    });

    it("gives up after the wait limit with its own exit code when yum keeps reporting the lock", () => {
      const h = host({ kernel: "4.19.91-22.2.al7.x86_64", repoPackages: [HOTFIX_22_2], yumLockBusyCalls: 99 });
      const run = h.run(SCRIPT, FAST);
      expect(run.status).toBe(5);
      expect(result(run)).toBe("YUM_LOCK_TIMEOUT");
      expect(h.calls().filter((c) => c.startsWith("sleep"))).toHaveLength(3);
      expect(h.installedPackages()).toEqual([]);
    });

    it("waits for a live process holding /var/run/yum.pid and gives up at the limit without running yum", () => {
      const h = host({ kernel: "4.19.91-22.2.al7.x86_64", repoPackages: [HOTFIX_22_2], holdYumPidfile: true });
      const run = h.run(SCRIPT, FAST);
      expect(run.status).toBe(5);
      expect(run.stdout).toMatch(/yum lock held \(PID \d+, \/var\/run\/yum\.pid\)/);
      expect(h.yumCalls()).toEqual([]);
    });

    it("ignores a stale /var/run/yum.pid whose process is gone", () => {
      const h = host({
        kernel: "4.19.91-22.2.al7.x86_64",
        repoPackages: [HOTFIX_22_2],
        yumPidfileContent: "4194304\n",
      });
      const run = h.run(SCRIPT, FAST);
      expect(run.status).toBe(0);
      expect(h.calls().filter((c) => c.startsWith("sleep"))).toEqual([]);
    });
  });

  describe("kernel older than 4.19.91-19.1.al7", () => {
    const OLD = "4.19.91-18.al7.x86_64";

    it("updates the kernel, does not reboot by default, reports the pending reboot (exit 3), and arms the boot unit", () => {
      const h = host({ kernel: OLD, repoKernel: "4.19.91-22.2.al7.x86_64", repoPackages: [HOTFIX_22_2] });
      const run = h.run(SCRIPT, FAST);
      expect(run.status).toBe(3);
      expect(result(run)).toBe("REBOOT_REQUIRED");
      expect(run.stdout).toMatch(/REBOOT PENDING/);
      expect(h.yumCalls()).toEqual(["yum update -y --setopt=exit_on_lock=1 kernel"]);
      expect(h.installedKernels()).toEqual([OLD, "4.19.91-22.2.al7.x86_64"]);
      expect(h.calls().filter((c) => /^(shutdown|reboot)/.test(c))).toEqual([]);
      expect(h.calls()).toContain("systemctl enable alinux-overlayfs-hotfix.service");
      expect(h.unitFile()).toMatch(/ExecStart=\/usr\/local\/sbin\/alinux-overlayfs-hotfix\.sh/);
      expect(h.unitFile()).toMatch(/Environment=ALINUX_HOTFIX_BOOT_RUN=1/);
      expect(h.bootCopy()).toBe(renderHotfixScript());
      expect(h.installedPackages()).toEqual([]);

      const second = h.run(SCRIPT, FAST);
      expect(second.status).toBe(3);
      expect(h.installedKernels()).toEqual([OLD, "4.19.91-22.2.al7.x86_64"]);
    });

    it("after the reboot into a kernel still in the hotfix range, the boot unit applies the hotfix and removes itself", () => {
      const h = host({ kernel: OLD, repoKernel: "4.19.91-22.2.al7.x86_64", repoPackages: [HOTFIX_22_2] });
      expect(h.run(SCRIPT, FAST).status).toBe(3);
      h.setKernel("4.19.91-22.2.al7.x86_64");
      const boot = h.runBootUnit(FAST);
      expect(boot.status).toBe(0);
      expect(result(boot)).toBe("HOTFIX_APPLIED");
      expect(h.installedPackages()).toEqual([HOTFIX_22_2]);
      expect(h.calls()).toContain("systemctl disable alinux-overlayfs-hotfix.service");
      expect(h.unitFile()).toBeUndefined();
      expect(h.bootCopy()).toBeUndefined();
    });

    it("after the reboot into a fixed kernel, the boot unit only removes itself", () => {
      const h = host({ kernel: OLD, repoKernel: "4.19.91-24.al7.x86_64" });
      expect(h.run(SCRIPT, FAST).status).toBe(3);
      h.setKernel("4.19.91-24.al7.x86_64");
      const boot = h.runBootUnit(FAST);
      expect(boot.status).toBe(0);
      expect(result(boot)).toBe("NOT_AFFECTED");
      expect(h.unitFile()).toBeUndefined();
      expect(h.yumCalls()).toHaveLength(1);
    });

    it("if the old kernel boots again, the boot unit reports it and keeps itself for the next boot", () => {
      const h = host({ kernel: OLD, repoKernel: "4.19.91-24.al7.x86_64" });
      expect(h.run(SCRIPT, FAST).status).toBe(3);
      const boot = h.runBootUnit(FAST);
      expect(boot.status).toBe(8);
      expect(boot.stdout).toMatch(/still runs after the reboot/);
      expect(h.unitFile()).toBeDefined();
      expect(h.yumCalls()).toHaveLength(1);
    });

    it("schedules a reboot (shutdown -r +1) and exits 0 when the caller allowed reboots", () => {
      const h = host({ kernel: OLD, repoKernel: "4.19.91-24.al7.x86_64" });
      const run = h.run(writeScript(renderHotfixScript({ allowReboot: true })), FAST);
      expect(run.status).toBe(0);
      expect(result(run)).toBe("REBOOT_SCHEDULED");
      expect(h.calls().filter((c) => /^(shutdown|reboot)/.test(c))).toEqual([
        "shutdown -r +1 alinux-guard: rebooting into kernel 4.19.91-24.al7.x86_64",
      ]);
    });

    it("reports the pending reboot when scheduling it fails", () => {
      const h = host({ kernel: OLD, repoKernel: "4.19.91-24.al7.x86_64", shutdownFails: true });
      const run = h.run(SCRIPT, { ...FAST, ALINUX_HOTFIX_ALLOW_REBOOT: "yes" });
      expect(run.status).toBe(3);
      expect(run.stdout).toMatch(/could not schedule the reboot/);
    });

    it("fails (exit 8) when no kernel at or after 4.19.91-19.1.al7 is available", () => {
      for (const repoKernel of [undefined, "4.19.91-18.1.al7.x86_64"]) {
        const h = host({ kernel: OLD, repoKernel });
        const run = h.run(SCRIPT, FAST);
        expect(run.status).toBe(8);
        expect(result(run)).toBe("NO_FIXED_KERNEL");
        expect(h.unitFile()).toBeUndefined();
      }
    });
  });

  describe("other failures", () => {
    it("refuses a kernel it cannot read as an al7 build (exit 9)", () => {
      const h = host({ kernel: "5.10.134-16.al8.x86_64" });
      const run = h.run(SCRIPT, FAST);
      expect(run.status).toBe(9);
      expect(h.yumCalls()).toEqual([]);
    });

    it("rejects malformed settings (exit 2)", () => {
      const h = host({ kernel: "4.19.91-22.2.al7.x86_64" });
      expect(h.run(SCRIPT, { ALINUX_HOTFIX_LOCK_WAIT_SECONDS: "ten" }).status).toBe(2);
      expect(h.run(SCRIPT, { ALINUX_HOTFIX_ALLOW_REBOOT: "maybe" }).status).toBe(2);
      expect(h.yumCalls()).toEqual([]);
    });
  });
});

(shellcheckMissing ? describe.skip : describe)("shellcheck", () => {
  it("finds nothing in the hotfix script", () => {
    const run = spawnSync("shellcheck", ["--shell=bash", "--severity=style", SCRIPT], { encoding: "utf8" });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  });
});
