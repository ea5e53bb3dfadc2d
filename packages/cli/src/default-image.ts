import pkg from "../package.json" with { type: "json" };

/** The registry repository of the runtime images built from `images/runtime/Dockerfile`, one tag per CLI release. */
export const RUNTIME_IMAGE_REPOSITORY = "ghcr.io/flytekit-ts/runtime";

/**
 * The image tasks run in when neither `--image` nor a task's own `image` says otherwise: the runtime
 * image of this CLI's release (`ghcr.io/flytekit-ts/runtime:<version>`, as flytekit defaults to
 * `cr.flyte.org/flyteorg/flytekit:py3.x-<version>`), so the entrypoint the templates call is the
 * one that wrote them.
 */
export function defaultImage(version: string = pkg.version): string {
  return `${RUNTIME_IMAGE_REPOSITORY}:${version}`;
}
