import { defineProject } from "vitest/config";

/**
 * Every package's tests resolve workspace packages to their TypeScript sources through the
 * "@flytekit-ts/source" export condition, so `pnpm test` needs no build first.
 */
export const sourceConditions = ["@flytekit-ts/source", "node", "import", "default"];

export function packageProject(name: string) {
  return defineProject({
    resolve: { conditions: sourceConditions },
    // Externalised dependencies load through Node itself, with Node's own conditions: a "module"
    // condition would pick bundler-only builds (such as the AWS SDK's dist-es) that Node cannot run.
    ssr: { resolve: { conditions: sourceConditions } },
    test: {
      name,
      include: ["test/**/*.test.ts"],
      typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    },
  });
}
