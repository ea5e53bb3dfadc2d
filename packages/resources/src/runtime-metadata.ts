import { FLYTEIDL_VERSION, flyteidl } from "@flytekit-ts/idl";

/** `RuntimeMetadata.flavor` of tasks this SDK writes (flytekit writes `"python"`). */
export const SDK_FLAVOR = "typescript";

// semver.org's grammar (numeric parts without leading zeros, optional pre-release and build).
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

/**
 * `RuntimeMetadata.version` for an SDK version: `"<flyteidl version>+flytekit-ts.<sdk version>"`,
 * e.g. `"1.16.5+flytekit-ts.0.1.0"`.
 *
 * Why not just the SDK version: propeller parses this as semver and only feeds offloaded literals to
 * `FLYTE_SDK` tasks whose version is at least 1.13.14 (flytekit's first release that reads them); a
 * `0.x` version would make every task fail with `LiteralOffloadingNotSupported` once a large literal
 * is offloaded. The version core names the Flyte IDL release this SDK speaks, which is above the gate;
 * the SDK's own version rides along as semver build metadata, which version comparisons ignore.
 * A pre-release core is deliberately avoided: semver constraints exclude pre-releases.
 */
export function runtimeVersion(sdkVersion: string): string {
  if (!SEMVER.test(sdkVersion)) {
    throw new TypeError(`sdkVersion must be a semantic version such as "0.1.0", got ${JSON.stringify(sdkVersion)}`);
  }
  // Build metadata admits one "+" only; the SDK's own build metadata joins with a dot.
  return `${FLYTEIDL_VERSION}+flytekit-ts.${sdkVersion.replace("+", ".")}`;
}

/** `RuntimeMetadata{type: FLYTE_SDK, version, flavor: "typescript"}`. */
export function runtimeMetadata(sdkVersion: string): flyteidl.core.RuntimeMetadata {
  return flyteidl.core.RuntimeMetadata.create({
    type: flyteidl.core.RuntimeMetadata.RuntimeType.FLYTE_SDK,
    version: runtimeVersion(sdkVersion),
    flavor: SDK_FLAVOR,
  });
}
