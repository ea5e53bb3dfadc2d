import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["packages/*", "examples/*", "bench", "conformance/*", "tools/*", "integration/e2e", "docs", "test/*"],
    // In CI the results are also written as JSON, so that .ci/run can print a plain "N passed, N failed" line.
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    ...(process.env.CI ? { outputFile: { json: ".vitest-results.json" } } : {}),
  },
});
