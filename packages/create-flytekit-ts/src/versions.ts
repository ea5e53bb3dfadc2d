/**
 * The versions a new project depends on, read from the manifests of the packages released with this
 * one when it is built (the JSON is bundled into dist/), so a published create-flytekit-ts scaffolds
 * exactly the flytekit-ts release it was built beside, never a hard-coded version.
 */
import cli from "../../cli/package.json" with { type: "json" };
import compiler from "../../compiler/package.json" with { type: "json" };
import flytekitTs from "../../flytekit-ts/package.json" with { type: "json" };
import idl from "../../idl/package.json" with { type: "json" };
import remote from "../../remote/package.json" with { type: "json" };
import resources from "../../resources/package.json" with { type: "json" };
import runtime from "../../runtime/package.json" with { type: "json" };
import types from "../../types/package.json" with { type: "json" };
import workspace from "../../../package.json" with { type: "json" };

/** Every flytekit-ts package a project installs (directly or not): name → version. */
export const flytekitPackages: Readonly<Record<string, string>> = Object.fromEntries(
  [idl, types, resources, compiler, runtime, remote, cli, flytekitTs].map((pkg) => [pkg.name, pkg.version]),
);

/** An exact version as a caret range; a range stays as it is. */
const caret = (version: string): string => (/^\d/.test(version) ? `^${version}` : version);

/** The tool versions this repository tests with, as ranges for the project's development dependencies. */
export const toolVersions: Readonly<Record<"typescript" | "vitest", string>> = {
  typescript: caret(workspace.devDependencies.typescript),
  vitest: caret(workspace.devDependencies.vitest),
};

export const cliVersion: string = cli.version;
export const flytekitTsVersion: string = flytekitTs.version;

/**
 * The SDK of the blob store most Flyte clusters use (S3, and MinIO in the sandbox), at the range the
 * runtime supports (its optional peer): a project's pods read inputs and write outputs through it, and
 * its own image (`npm ci` in the runtime image's /app) keeps only what the project depends on.
 */
export const storageSdks: Readonly<Record<string, string>> = {
  "@aws-sdk/client-s3": runtime.peerDependencies["@aws-sdk/client-s3"],
};
