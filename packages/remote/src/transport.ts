import type { GrpcMethodDefinition } from "@flytekit-ts/idl";

/**
 * One RPC as the transports see it: its path (`/flyteidl.service.AdminService/GetTask`) and the
 * protobuf serialisers of its messages. The definitions from `@flytekit-ts/idl`'s `grpcServiceDefinition`
 * are exactly this; a REST transport would map the same path to its grpc-gateway route.
 */
export type RpcMethod<Req extends object = object, Res extends object = object> = GrpcMethodDefinition<Req, Res>;

/** One attempt of a unary call. Retries, auth and error mapping happen above the transport. */
export interface UnaryCall<Req extends object, Res extends object> {
  method: RpcMethod<Req, Res>;
  request: Req;
  /** Request metadata (HTTP/2 headers); keys are lower case. */
  metadata: Readonly<Record<string, string>>;
  /** When the attempt is abandoned with DEADLINE_EXCEEDED. */
  deadline: Date;
  /** Cancels the attempt (CANCELLED). */
  signal?: AbortSignal;
}

/**
 * How requests reach FlyteAdmin. `GrpcTransport` is the one built in; anything that can send a unary
 * call and report failures as `TransportError` with a gRPC status can replace it.
 */
export interface Transport {
  /** What the transport talks to, for messages. */
  readonly target: string;
  /** Sends one request and resolves with its response, or rejects with a `TransportError` carrying the gRPC status. */
  unary<Req extends object, Res extends object>(call: UnaryCall<Req, Res>): Promise<Res>;
  /** Releases connections; later calls fail. */
  close(): void;
}

/** A failed attempt, in gRPC's vocabulary (`status` is a `StatusCode` number). */
export class TransportError extends Error {
  readonly status: number;
  readonly details: string;

  constructor(status: number, details: string) {
    super(details);
    this.name = "TransportError";
    this.status = status;
    this.details = details;
  }
}
