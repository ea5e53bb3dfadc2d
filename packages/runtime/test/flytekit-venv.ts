import { venvForLiveSuite } from "@flytekit-ts/conformance-python";

/**
 * The flytekit virtualenv for the live tests, found as the conformance package finds it: in CI its
 * absence fails the suite; locally the live tests skip with a loud warning.
 */
export const flytekitVenv: string | undefined = venvForLiveSuite("runtime: Python tasks through pyflyte-execute")?.path;
