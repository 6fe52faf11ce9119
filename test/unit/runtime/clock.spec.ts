import { afterEach, describe, expect, it, vi } from "vitest";
import { systemClock } from "../../../policies/src/runtime/clock";

afterEach(() => {
  vi.useRealTimers();
});

function at(instant: string): string {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(instant));
  return systemClock();
}

describe("systemClock", () => {
  it("gives today's date as YYYY-MM-DD", () => {
    expect(systemClock()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(at("2026-03-31T12:00:00Z")).toBe("2026-03-31");
  });

  it("gives the UTC date, whatever the local offset of the instant", () => {
    expect(at("2024-04-01T01:00:00+08:00")).toBe("2024-03-31");
    expect(at("2024-03-31T20:00:00-08:00")).toBe("2024-04-01");
  });

  it("turns at UTC midnight", () => {
    expect(at("2026-03-31T23:59:59.999Z")).toBe("2026-03-31");
    expect(at("2026-04-01T00:00:00.000Z")).toBe("2026-04-01");
  });

  it("zero-pads month and day", () => {
    expect(at("2027-01-05T08:00:00Z")).toBe("2027-01-05");
  });
});
