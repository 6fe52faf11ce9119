import { describe, expect, it } from "vitest";
import lifecycleData from "../../../policies/data/lifecycle.json";
import { getOsLifecycle } from "../../../policies/src/knowledge/lifecycle";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

describe("getOsLifecycle", () => {
  it("gives Alibaba Cloud Linux 2's dates as the ELS notice states them (alinux2-facts.md §1 Lifecycle)", () => {
    const alinux2 = getOsLifecycle("alinux2");
    expect(alinux2.name).toBe("Alibaba Cloud Linux 2");
    expect(alinux2.mainstreamSupportEnded).toBe("2024-03-31");
    expect(alinux2.endOfLife).toBe("2026-03-31");
    expect(alinux2.migrateTo).toBe("Alibaba Cloud Linux 3");
    expect(alinux2.source).toContain(
      "https://www.alibabacloud.com/help/en/ecs/user-guide/solution-for-alibaba-cloud-linux-2-entering-the-els-phase",
    );
  });

  it("every entry has calendar dates in order (mainstream support ends before end of life) and a source", () => {
    expect(lifecycleData.operatingSystems.length).toBeGreaterThan(0);
    for (const entry of lifecycleData.operatingSystems) {
      const os = getOsLifecycle(entry.id);
      expect(os.mainstreamSupportEnded).toMatch(ISO_DATE);
      expect(os.endOfLife).toMatch(ISO_DATE);
      expect(Number.isNaN(Date.parse(os.endOfLife))).toBe(false);
      expect(os.mainstreamSupportEnded < os.endOfLife).toBe(true);
      expect(os.source.length).toBeGreaterThan(0);
    }
  });

  it("throws for an OS it does not know, naming it", () => {
    expect(() => getOsLifecycle("alinux9")).toThrowError(/alinux9/);
  });
});
