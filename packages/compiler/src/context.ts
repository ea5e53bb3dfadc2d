import { localContext, type TypeContext } from "@flytekit-ts/types";
import type { AnyEntity } from "./vocabulary.js";
import pkg from "../package.json" with { type: "json" };

/** This SDK's version, recorded in every task's runtime metadata. */
export const SDK_VERSION: string = pkg.version;

/** Where the runtime finds an entity's code: the module (as the container sees it) and the entity's name. */
export interface EntityLocation {
  readonly module: string;
  readonly name: string;
}

/**
 * What compiling needs beyond the source: the registration coordinates (left empty by `package`,
 * as `pyflyte package` does, and filled in at registration) and the default image.
 */
export interface SerializationContext {
  readonly project: string;
  readonly domain: string;
  readonly version: string;
  /** The image tasks run in unless they name their own. */
  readonly image: string;
  /** Where an entity's module is, for the container's loader arguments. */
  readonly locate: (entity: AnyEntity) => EntityLocation;
  /**
   * Every entity's location by registered name, when known (packaging knows them all). A dynamic task
   * carries this table so that the children it creates at run time get the right loader arguments.
   */
  readonly locations?: () => Readonly<Record<string, EntityLocation>>;
  /** For constants bound in graphs (files are uploaded through its storage). */
  readonly typeContext: TypeContext;
  readonly sdkVersion: string;
  /** For fast-registered code: every container first fetches and unpacks this distribution. */
  readonly fast?: FastDistribution;
}

/** Where a fast-registered task finds its code at run time. */
export interface FastDistribution {
  /** The storage-native URL of the uploaded source archive (`s3://…/fast<md5>.tar.gz`). */
  readonly distribution: string;
  /** Where it is unpacked in the container; module paths are relative to it. */
  readonly destDir: string;
}

/** `flyte-ts fast-execute … --`, put before `flyte-ts execute …` (as flytekit's pyflyte-fast-execute). */
export function fastExecutePrefix(fast: FastDistribution): string[] {
  return ["flyte-ts", "fast-execute", "--additional-distribution", fast.distribution, "--dest-dir", fast.destDir, "--"];
}

/**
 * A `SerializationContext` with defaults for everything but the image: empty coordinates (filled in at
 * registration), module locations unknown, a local type context, this SDK's version.
 */
export function serializationContext(options: Partial<SerializationContext> & Pick<SerializationContext, "image">): SerializationContext {
  return {
    project: options.project ?? "",
    domain: options.domain ?? "",
    version: options.version ?? "",
    image: options.image,
    locate: options.locate ?? ((entity) => ({ module: "", name: entity.name })),
    ...(options.locations ? { locations: options.locations } : {}),
    typeContext: options.typeContext ?? localContext(),
    sdkVersion: options.sdkVersion ?? SDK_VERSION,
    ...(options.fast ? { fast: options.fast } : {}),
  };
}

/**
 * The environment variable that carries the registration context into a dynamic task's container, so
 * the workflow it builds at run time references its children under the same project, domain, version
 * and image — flytekit's `_F_SS_C`, for this SDK.
 */
export const REGISTRATION_CONTEXT_ENV = "_FTS_SS_C";

/**
 * What a dynamic task needs at run time to compile its children as they were registered: coordinates,
 * image and where each entity's code is.
 */
export interface RegistrationContext {
  project: string;
  domain: string;
  version: string;
  image: string;
  /** Registered name → where its code is (module, export name). */
  locations?: Record<string, EntityLocation>;
}

/** The registration context as the value of `_FTS_SS_C` (base64 JSON). */
export function encodeRegistrationContext(ctx: RegistrationContext): string {
  const { project, domain, version, image, locations } = ctx;
  return Buffer.from(JSON.stringify({ project, domain, version, image, ...(locations ? { locations } : {}) }), "utf8").toString("base64");
}

/** Reads `_FTS_SS_C`; throws naming the missing field when the value is not a registration context. */
export function decodeRegistrationContext(value: string): RegistrationContext {
  const parsed = JSON.parse(Buffer.from(value, "base64").toString("utf8")) as Partial<RegistrationContext>;
  for (const key of ["project", "domain", "version", "image"] as const) {
    if (typeof parsed[key] !== "string") throw new Error(`${REGISTRATION_CONTEXT_ENV} is missing "${key}"`);
  }
  return parsed as RegistrationContext;
}
