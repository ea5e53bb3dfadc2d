import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { sourceConditions } from "../vitest.shared.js";

/**
 * The integration suite: real FlyteAdmin, data proxy and object store (started by `pnpm flyte:up`).
 * Not a project of the root config, so `pnpm test` never needs the control plane; `pnpm
 * test:integration` runs it. Files run one after another: they share one server on a loaded machine.
 */
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  resolve: { conditions: sourceConditions },
  ssr: { resolve: { conditions: sourceConditions } },
  test: {
    name: "integration",
    include: ["integration/test/**/*.test.ts", "packages/runtime/test/**/*.integration.ts"],
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // As in every package's tests (vitest.shared.ts): the AWS SDK's notice about Node 20 is not for these tests.
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    reporters: process.env.CI ? ["default", "json"] : ["default"],
    ...(process.env.CI ? { outputFile: { json: ".vitest-integration-results.json" } } : {}),
  },
});
