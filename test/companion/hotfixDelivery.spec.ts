import { describe, expect, it } from "vitest";
import {
  HOTFIX_EXIT_CODES,
  HOTFIX_PACKAGE_PREFIX,
  HOTFIX_SCRIPT,
  hotfixCommandContent,
  hotfixUserData,
  MAX_COMMAND_CONTENT_BASE64_BYTES,
  REBOOT_DEFAULT_LINE,
  renderHotfixScript,
} from "../../companion/hotfixDelivery";

const codeLines = (text: string) => text.split("\n").filter((l) => !l.trim().startsWith("#"));

describe("hotfix script text", () => {
  it("names the hotfix package and has a line running yum install (what the policy pack looks for)", () => {
    expect(HOTFIX_PACKAGE_PREFIX).toBe("kernel-hotfix-4375449");
    expect(codeLines(HOTFIX_SCRIPT).some((l) => l.includes(HOTFIX_PACKAGE_PREFIX))).toBe(true);
    expect(codeLines(HOTFIX_SCRIPT).some((l) => /^\s*yum install -y\b/.test(l))).toBe(true);
  });

  it("builds the package name the way the advisory does (awk -F\"-\" '{print $NF}' over uname -r)", () => {
    expect(HOTFIX_SCRIPT).toContain(`uname -r | awk -F"-" '{print $NF}'`);
  });

  it("downloads nothing but yum packages: no curl, wget or piping into a shell", () => {
    for (const line of codeLines(HOTFIX_SCRIPT)) {
      expect(line).not.toMatch(/\b(curl|wget|fetch)\b/);
      expect(line).not.toMatch(/\|\s*(ba)?sh\b/);
    }
  });

  it("runs no immediate reboot and never exits with Cloud Assistant's stop/restart codes 193/194", () => {
    for (const line of codeLines(HOTFIX_SCRIPT)) {
      expect(line).not.toMatch(/^\s*(reboot|systemctl reboot|shutdown -r now)\b/);
      expect(line).not.toMatch(/\bexit\s+19[34]\b/);
    }
    expect(Object.values(HOTFIX_EXIT_CODES)).not.toContain(193);
    expect(Object.values(HOTFIX_EXIT_CODES)).not.toContain(194);
  });

  it("declares in the script the same exit codes as HOTFIX_EXIT_CODES", () => {
    const declared = /readonly E_OK=0 ([^\n]*\\\n[^\n]*)/.exec(HOTFIX_SCRIPT)?.[1] ?? "";
    const codes = [...declared.matchAll(/E_\w+=(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => a - b);
    expect(codes).toEqual(
      Object.values(HOTFIX_EXIT_CODES)
        .filter((c) => c !== 0)
        .sort((a, b) => a - b),
    );
  });
});

describe("renderHotfixScript", () => {
  it("returns the script unchanged by default (no reboot)", () => {
    expect(renderHotfixScript()).toBe(HOTFIX_SCRIPT);
    expect(HOTFIX_SCRIPT.split("\n")).toContain(REBOOT_DEFAULT_LINE);
  });

  it("changes exactly one line when reboots are allowed", () => {
    const before = HOTFIX_SCRIPT.split("\n");
    const after = renderHotfixScript({ allowReboot: true }).split("\n");
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((line, i) => (line !== before[i] ? [line] : []));
    expect(changed).toEqual([': "${ALINUX_HOTFIX_ALLOW_REBOOT:=yes}"']);
  });
});

describe("command content and user data", () => {
  it("is Base64 of the script and within the Cloud Assistant size limit", () => {
    for (const allowReboot of [false, true]) {
      const content = hotfixCommandContent({ allowReboot });
      expect(content).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      expect(content.length).toBeLessThanOrEqual(MAX_COMMAND_CONTENT_BASE64_BYTES);
      expect(Buffer.from(content, "base64").toString("utf8")).toBe(renderHotfixScript({ allowReboot }));
    }
  });

  it("offers the same script as user data, plain and Base64", () => {
    const userData = hotfixUserData();
    expect(userData.text).toBe(HOTFIX_SCRIPT);
    expect(userData.text.startsWith("#!/bin/bash\n")).toBe(true);
    expect(Buffer.from(userData.base64, "base64").toString("utf8")).toBe(HOTFIX_SCRIPT);
  });
});
