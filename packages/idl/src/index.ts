/**
 * `@flytekit-ts/idl` — Flyte's protobuf IDL for TypeScript.
 *
 * `flyteidl` is the full message/enum/service namespace generated from @flyteorg/flyteidl's protos:
 * `flyteidl.admin.TaskSpec.decode(bytes)`, `flyteidl.core.DynamicJobSpec.encode(spec).finish()`,
 * `create`, `fromObject`, `toObject`, `verify`. 64-bit integers decode to `Long`, never to lossy numbers.
 *
 * @module \@flytekit-ts/idl
 */
export { flyteidl, google, datacatalog, root, ensurePackage, ensureLoadedFor, loadAllPackages } from "./generated/flyteidl.js";
export { messageClass, reflectedType, encodeMessage, createWriter, type MessageClass } from "./message.js";
export {
  fromProtoJson,
  fromProtoJsonString,
  toProtoJson,
  toProtoJsonString,
  type FromProtoJsonOptions,
  type JsonValue,
} from "./json.js";
export { taskId, workflowId, launchPlanId, formatIdentifier, type EntityCoordinates } from "./identifiers.js";
export { toLong, toBigInt, toSafeNumber, type Int64Like } from "./int64.js";
export {
  durationFromMillis,
  durationFromSeconds,
  durationToMillis,
  timestampFromDate,
  timestampFromEpochNanos,
  timestampToEpochNanos,
  timestampToDate,
} from "./time.js";
export { literal, literalMap } from "./literals.js";
export { grpcServiceDefinition, type GrpcMethodDefinition, type GrpcServiceDefinition } from "./grpc.js";
export { messageTypeForFile } from "./files.js";
export { FlytekitError, isFlytekitError } from "./errors.js";
export { FLYTEIDL_VERSION } from "./version.js";
