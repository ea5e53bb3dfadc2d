import { isFlytekitError } from "@flytekit-ts/idl";

/** Frames in flytekit-ts's packages: installed (`@flytekit-ts/…`) or in this repository's sources. */
const OWN_CODE = /[\\/](@flytekit-ts[\\/][\w-]+|packages[\\/](runtime|cli|compiler|types|idl|remote|resources))[\\/](src|dist)[\\/]/;

/** The innermost error of a cause chain: the one user code threw. */
function rootCause(error: Error): Error {
  let current = error;
  const seen = new Set<Error>();
  while (current.cause instanceof Error && !seen.has(current)) {
    seen.add(current);
    current = current.cause;
  }
  return current;
}

/**
 * The stack lines worth showing for a failure that came out of user code (a task that threw): the
 * frames of the error it threw, without Node's internals and installed packages. TypeScript modules
 * load through tsx, which maps the frames back to the .ts lines. Nothing when the innermost error is
 * one of our own (a FlytekitError), whose message says it all.
 */
export function userStack(error: unknown, limit = 8): string[] {
  if (!(error instanceof Error)) return [];
  const root = rootCause(error);
  if (isFlytekitError(root)) return [];
  const frames = (root.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  // The user's frames come first; from the first frame of flytekit-ts itself on, it is our machinery.
  const ours = frames.findIndex((line) => OWN_CODE.test(line));
  return (ours < 0 ? frames : frames.slice(0, ours))
    .filter((line) => !/\(node:|\bnode:internal|[\\/]node_modules[\\/]/.test(line))
    .slice(0, limit)
    .map((line) => `    ${line.trim()}`);
}
