import { defineProject } from "vitest/config";

/**
 * Every package's tests resolve workspace packages to their TypeScript sources through the
 * "@flytekit-ts/source" export condition, so `pnpm test` needs no build first.
 */
export const sourceConditions = ["@flytekit-ts/source", "module", "node", "import", "default"];

export function packageProject(name: string) {
  return defineProject({
    resolve: { conditions: sourceConditions },
    ssr: { resolve: { conditions: sourceConditions, externalConditions: sourceConditions } },
    test: {
      name,
      include: ["test/**/*.test.ts"],
      typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
    },
  });
}
