/**
 * gRPC status codes, mirrored here so that transports other than grpc-js (a future grpc-gateway/REST
 * transport, test doubles) can report failures in the same vocabulary without depending on grpc-js.
 * The numbers are fixed by the gRPC protocol.
 */
export const StatusCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/** A gRPC status code's name, such as `"NOT_FOUND"`. */
export type StatusCodeName = keyof typeof StatusCode;
/** A gRPC status code's number, such as `5`. */
export type StatusCodeNumber = (typeof StatusCode)[StatusCodeName];

const NAMES = new Map<number, StatusCodeName>(
  (Object.entries(StatusCode) as [StatusCodeName, number][]).map(([name, code]) => [code, name]),
);

/** `"NOT_FOUND"` for 5; codes outside the protocol's range read as `"UNKNOWN"`, as gRPC itself treats them. */
export function statusName(code: number): StatusCodeName {
  return NAMES.get(code) ?? "UNKNOWN";
}
