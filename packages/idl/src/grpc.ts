import $protobuf from "protobufjs/light.js";
import type { MessageClass } from "./message.js";

/**
 * One gRPC method in the shape `@grpc/grpc-js` takes for clients (`makeGenericClientConstructor`) and
 * servers (`Server.addService`). Declared structurally so that this package does not depend on grpc-js.
 */
export interface GrpcMethodDefinition<Req extends object, Res extends object> {
  path: string;
  requestStream: boolean;
  responseStream: boolean;
  /** The request message's protobuf bytes. */
  requestSerialize: (request: Req) => Buffer;
  /** The request message from its bytes. */
  requestDeserialize: (bytes: Buffer) => Req;
  /** The response message's protobuf bytes. */
  responseSerialize: (response: Res) => Buffer;
  /** The response message from its bytes. */
  responseDeserialize: (bytes: Buffer) => Res;
  originalName: string;
  requestType: MessageClass<Req>;
  responseType: MessageClass<Res>;
}

type RpcMethod = { readonly path: string; readonly requestType: string; readonly responseType: string };
type MethodKeys<S> = { [K in keyof S]: S[K] extends RpcMethod ? K : never }[keyof S];
type RequestOf<M> = M extends (request: infer Req) => Promise<unknown> ? Extract<Req, object> : never;
type ResponseOf<M> = M extends (request: never) => Promise<infer Res> ? Extract<Res, object> : never;

/** The methods of a generated service (e.g. `flyteidl.service.AdminService`), keyed by their proto names. */
export type GrpcServiceDefinition<S> = {
  [K in MethodKeys<S> as S[K] extends { readonly name: infer N extends string } ? N : never]: GrpcMethodDefinition<
    RequestOf<S[K]>,
    ResponseOf<S[K]>
  >;
};

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const lowerFirst = (name: string): string => name.charAt(0).toLowerCase() + name.slice(1);

/**
 * gRPC method definitions for a generated service, serialising with its protobuf messages:
 * `grpcServiceDefinition(flyteidl.service.AdminService)`.
 */
export function grpcServiceDefinition<S extends { prototype: object }>(service: S): GrpcServiceDefinition<S["prototype"]> {
  if (!(service instanceof $protobuf.Service)) {
    throw new TypeError("expected a generated service of @flytekit-ts/idl, such as flyteidl.service.AdminService");
  }
  const definition: Record<string, GrpcMethodDefinition<object, object>> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    if (!method.resolvedRequestType || !method.resolvedResponseType) {
      throw new Error(`cannot resolve the message types of ${method.fullName}`);
    }
    // The generated classes, not the bare reflected types: their decode keeps unknown fields.
    const requestType = method.resolvedRequestType.ctor as unknown as MessageClass<object>;
    const responseType = method.resolvedResponseType.ctor as unknown as MessageClass<object>;
    definition[method.name] = {
      path: `/${service.fullName.slice(1)}/${method.name}`,
      requestStream: Boolean(method.requestStream),
      responseStream: Boolean(method.responseStream),
      requestSerialize: (request) => toBuffer(requestType.encode(request).finish()),
      requestDeserialize: (bytes) => requestType.decode(bytes),
      responseSerialize: (response) => toBuffer(responseType.encode(response).finish()),
      responseDeserialize: (bytes) => responseType.decode(bytes),
      originalName: lowerFirst(method.name),
      requestType,
      responseType,
    };
  }
  return definition as unknown as GrpcServiceDefinition<S["prototype"]>;
}
