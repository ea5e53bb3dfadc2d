import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { sourceConditions } from "../../vitest.shared.js";

/**
 * The end-to-end suite (`pnpm test:e2e`): workflows run by the real FlytePropeller, on the control
 * plane `pnpm flyte:up:e2e` starts. Not part of `pnpm test`. Files run one after another, tests
 * within a file too: one propeller and one pod runner on a shared 2-core machine.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    name: "e2e",
    include: ["test/**/*.e2e.ts"],
    fileParallelism: false,
    testTimeout: 20 * 60_000,
    hookTimeout: 10 * 60_000,
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    ...(process.env.CI ? { outputFile: { json: "../../.vitest-e2e-results.json" } } : {}),
  },
});
