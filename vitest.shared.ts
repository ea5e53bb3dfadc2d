import { defineProject } from "vitest/config";

/**
 * Every package's tests resolve workspace packages to their TypeScript sources through the
 * "@flytekit-ts/source" export condition, so `pnpm test` needs no build first.
 *
 * Type-level tests (`test/**\/*.test-d.ts`) are not run by vitest: each package's `typecheck` (tsc, on
 * src/ and test/) already compiles them, and an `expectTypeOf` that does not hold is a compile error there.
 * vitest's own type-check mode would run tsc a second time per project.
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
      // The AWS SDK warns on Node 20 (which this project supports) that its future releases will not:
      // a notice for whoever picks the Node version, not for these tests.
      env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    },
  });
}
