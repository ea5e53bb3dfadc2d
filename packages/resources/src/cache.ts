import { checkKnownKeys, isPlainObject, show, type ProblemList } from "./problems.js";

/**
 * Caching in one object, as flytekit's `Cache(version=..., serialize=..., ignored_inputs=...)`.
 * Outputs are reused for the same inputs and the same `version`; change the version to invalidate.
 */
export interface CachePolicy {
  /**
   * The cache version. flytekit derives one by hashing the function body when it is missing; here it
   * must be given, unless the compiler computed one (see the README).
   */
  readonly version?: string;
  /** Run at most one instance per set of inputs at a time; the others wait for its result. */
  readonly serialize?: boolean;
  /** Inputs left out of the cache key. */
  readonly ignoredInputs?: readonly string[];
}

/** The cache part of task settings: a switch plus flat options (the seed's parameters), or a policy. */
export interface CacheSettings {
  readonly cache?: boolean | CachePolicy;
  /** Same as `cache: { version }`; requires `cache: true`. */
  readonly cacheVersion?: string;
  /** Same as `cache: { serialize }`; requires `cache: true`. */
  readonly cacheSerialize?: boolean;
  /** Same as `cache: { ignoredInputs }`; requires `cache: true`. */
  readonly cacheIgnoredInputs?: readonly string[];
}

export interface ResolvedCache {
  readonly enabled: boolean;
  /** `""` when caching is off. */
  readonly version: string;
  readonly serialize: boolean;
  readonly ignoredInputs: readonly string[];
}

export interface CacheContext {
  /** A version the compiler computed (e.g. a hash of the task's code), used when none is given. */
  readonly cacheVersion?: string | undefined;
  /** The task's input names; when given, ignored inputs are checked against them. */
  readonly inputNames?: readonly string[] | undefined;
}

const FLAT = ["cacheVersion", "cacheSerialize", "cacheIgnoredInputs"] as const;

export function checkCacheSettings(problems: ProblemList, settings: CacheSettings, context: CacheContext): void {
  const { cache } = settings;
  if (cache !== undefined && typeof cache !== "boolean" && !isPlainObject(cache)) {
    problems.add("cache", cache, `must be true, false or { version?, serialize?, ignoredInputs? }, got ${show(cache)}`);
    return;
  }
  const policy = isPlainObject(cache) ? (cache as CachePolicy) : undefined;
  if (policy) {
    checkKnownKeys(problems, "cache", policy as Record<string, unknown>, ["version", "serialize", "ignoredInputs"], "cache option");
    for (const flat of FLAT) {
      if (settings[flat] !== undefined) {
        problems.add(flat, settings[flat], `cannot be combined with a cache object; put it in cache: { ${flatToPolicy(flat)}: ... }`);
      }
    }
  } else if (cache !== true) {
    // flytekit (TaskMetadata.__post_init__) refuses serialize/ignored inputs without caching; a version
    // without caching is refused too, since it has no effect and usually means `cache: true` was forgotten.
    for (const flat of FLAT) {
      if (settings[flat] !== undefined) problems.add(flat, settings[flat], "has no effect unless caching is on; add cache: true");
    }
  }

  const versionPath = policy ? "cache.version" : "cacheVersion";
  const version = policy ? policy.version : settings.cacheVersion;
  if (version !== undefined && (typeof version !== "string" || version.trim() === "")) {
    problems.add(versionPath, version, `${show(version)} must be a non-empty string`);
  } else if (version === undefined && (cache === true || policy) && !context.cacheVersion) {
    problems.add(
      versionPath,
      undefined,
      "is required when caching is on: flytekit hashes the function body when it is missing, flytekit-ts needs it given " +
        "(change it whenever the task's behaviour changes)",
    );
  }

  const serializePath = policy ? "cache.serialize" : "cacheSerialize";
  const serialize = policy ? policy.serialize : settings.cacheSerialize;
  if (serialize !== undefined && typeof serialize !== "boolean") problems.add(serializePath, serialize, `${show(serialize)} must be true or false`);

  const ignoredPath = policy ? "cache.ignoredInputs" : "cacheIgnoredInputs";
  const ignored: unknown = policy ? policy.ignoredInputs : settings.cacheIgnoredInputs;
  if (ignored === undefined) return;
  if (!Array.isArray(ignored)) {
    problems.add(ignoredPath, ignored, `must be a list of input names, got ${show(ignored)}`);
    return;
  }
  const seen = new Set<string>();
  ignored.forEach((name: unknown, i) => {
    const at = `${ignoredPath}[${i}]`;
    if (typeof name !== "string" || name === "") problems.add(at, name, `${show(name)} must be an input name`);
    else if (seen.has(name)) problems.add(at, name, `input ${show(name)} is listed twice`);
    else if (context.inputNames && !context.inputNames.includes(name)) {
      problems.add(at, name, `the task has no input ${show(name)}; its inputs are ${context.inputNames.map((n) => show(n)).join(", ") || "none"}`);
    }
    if (typeof name === "string") seen.add(name);
  });
}

function flatToPolicy(flat: (typeof FLAT)[number]): keyof CachePolicy {
  return flat === "cacheVersion" ? "version" : flat === "cacheSerialize" ? "serialize" : "ignoredInputs";
}

/** The cache fields of `TaskMetadata`. Assumes {@link checkCacheSettings} found no problems. */
export function resolveCache(settings: CacheSettings, context: CacheContext): ResolvedCache {
  const { cache } = settings;
  if (cache === undefined || cache === false) return { enabled: false, version: "", serialize: false, ignoredInputs: [] };
  const policy: CachePolicy =
    cache === true
      ? {
          ...(settings.cacheVersion !== undefined ? { version: settings.cacheVersion } : {}),
          ...(settings.cacheSerialize !== undefined ? { serialize: settings.cacheSerialize } : {}),
          ...(settings.cacheIgnoredInputs !== undefined ? { ignoredInputs: settings.cacheIgnoredInputs } : {}),
        }
      : cache;
  return {
    enabled: true,
    version: policy.version ?? context.cacheVersion ?? "",
    serialize: policy.serialize ?? false,
    ignoredInputs: [...(policy.ignoredInputs ?? [])],
  };
}
