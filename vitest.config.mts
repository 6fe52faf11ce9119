import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.spec.ts"],
    // Harness and end-to-end specs spawn real processes: give hooks room on a cold 2-core machine.
    hookTimeout: 120_000,
    testTimeout: 60_000,
    pool: "forks",
  },
});
