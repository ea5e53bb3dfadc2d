import {
  REGISTRATION_CONTEXT_ENV,
  decodeRegistrationContext,
  serializationContext,
  type AnyEntity,
  type EntityLocation,
  type FastDistribution,
  type SerializationContext,
} from "@flytekit-ts/compiler";
import type { TypeContext } from "@flytekit-ts/types";
import { FlytekitError } from "@flytekit-ts/idl";

type Env = Readonly<Record<string, string | undefined>>;

/** flytekit reads each FLYTE_INTERNAL_* name or its short alias; propeller sets the long names. */
const envValue = (env: Env, long: string, short: string): string | undefined => env[long] || env[short] || undefined;

/**
 * The context a dynamic task compiles its children in, inside the container: project and domain of
 * the execution and version of the task (what propeller puts in FLYTE_INTERNAL_*), falling back to the
 * registration context the compiler wrote into `_FTS_SS_C`, which also brings the image and where each
 * entity's code is.
 */
export function dynamicContext(
  env: Env,
  parent: { entity: AnyEntity; location: EntityLocation },
  typeContext: TypeContext,
  fast?: FastDistribution,
): SerializationContext {
  const encoded = env[REGISTRATION_CONTEXT_ENV];
  if (!encoded) {
    throw new FlytekitError("MISSING_REGISTRATION_CONTEXT", `${REGISTRATION_CONTEXT_ENV} is not set: dynamic tasks need the registration context the compiler puts in their container's environment`);
  }
  const registered = decodeRegistrationContext(encoded);
  const locations = registered.locations ?? {};
  return serializationContext({
    project: envValue(env, "FLYTE_INTERNAL_EXECUTION_PROJECT", "_F_PRJ") ?? registered.project,
    domain: envValue(env, "FLYTE_INTERNAL_EXECUTION_DOMAIN", "_F_DM") ?? registered.domain,
    version: envValue(env, "FLYTE_INTERNAL_TASK_VERSION", "_F_TK_V") ?? registered.version,
    image: registered.image,
    typeContext,
    // A fast-registered dynamic's children run from the same distribution, as in flytekit.
    ...(fast ? { fast } : {}),
    locations: () => locations,
    locate: (entity) => {
      const location = locations[entity.name] ?? (entity === parent.entity ? parent.location : undefined);
      if (!location) {
        throw new FlytekitError(
          "ENTITY_NOT_EXPORTED",
          `${entity.name} is called by ${parent.entity.name} but was not among the exports packaged with it; export it from a packaged module`,
        );
      }
      return location;
    },
  });
}
