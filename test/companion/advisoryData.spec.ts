// The companion and the pack read one advisory: the hotfix ID, package and kernel range the companion's script and
// module hold must be the ones data/advisories.json records, so the two can never drift apart.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { HOTFIX_ID, HOTFIX_PACKAGE_PREFIX, HOTFIX_SCRIPT } from "../../companion/hotfixDelivery";
import { getAdvisory, KernelHotfix } from "../../policies/src/knowledge/advisories";
import { formatKernelRelease } from "../../policies/src/knowledge/kernelRelease";

const hotfix = getAdvisory("alinux2-overlayfs-dentry-leak").hotfix as KernelHotfix;

/** The script's `readonly` constants, as bash itself evaluates them (no regex reading of shell). */
function scriptConstants(names: readonly string[]): Record<string, string> {
  const definitions = HOTFIX_SCRIPT.split("\n").filter(
    (line) => line.startsWith("readonly ") && !line.endsWith("\\") && names.some((name) => line.includes(` ${name}=`)),
  );
  const program = `${definitions.join("\n")}\n${names.map((n) => `printf '%s\\n' "$${n}"`).join("\n")}\n`;
  const values = execFileSync("bash", ["-c", program], { encoding: "utf8" }).split("\n");
  return Object.fromEntries(names.map((name, i) => [name, values[i]]));
}

describe("the companion's constants are the advisory's data", () => {
  it("the module's hotfix ID and package prefix are data/advisories.json's hotfix package", () => {
    expect(HOTFIX_PACKAGE_PREFIX).toBe(hotfix.package);
    expect(hotfix.package).toBe(`kernel-hotfix-${HOTFIX_ID}`);
  });

  it("the embedded script's package, ID and hotfix kernel range are the advisory's", () => {
    const c = scriptConstants(["HOTFIX_PREFIX", "HOTFIX_ID", "RANGE_LOW", "RANGE_HIGH"]);
    expect(c.HOTFIX_PREFIX).toBe(hotfix.package);
    expect(c.HOTFIX_ID).toBe(HOTFIX_ID);
    expect(`${c.RANGE_LOW}.al7`).toBe(formatKernelRelease(hotfix.appliesFrom));
    expect(`${c.RANGE_HIGH}.al7`).toBe(formatKernelRelease(hotfix.appliesThrough));
  });
});
