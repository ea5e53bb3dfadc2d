import { rootCertificates } from "node:tls";
import * as grpc from "@grpc/grpc-js";
import type { Endpoint } from "./endpoint.js";
import { StatusCode } from "./status.js";
import { TransportError, type Transport, type UnaryCall } from "./transport.js";

/** How `GrpcTransport` reaches FlyteAdmin: endpoint, TLS and message size. */
export interface GrpcTransportOptions {
  endpoint: Endpoint;
  /** Plaintext HTTP/2 instead of TLS. */
  insecure: boolean;
  /** TLS without verifying the server's certificate chain or name. */
  insecureSkipVerify?: boolean;
  /** Extra trusted CA certificates (PEM), added to the system's roots. */
  caCert?: Buffer;
  /** Largest response accepted. */
  maxMessageSizeBytes?: number;
  userAgent?: string;
}

/** The gRPC transport: one HTTP/2 channel (grpc-js) shared by every service and call. */
export class GrpcTransport implements Transport {
  readonly target: string;
  readonly #client: grpc.Client;

  constructor(options: GrpcTransportOptions) {
    this.target = options.endpoint.target;
    const channelOptions: grpc.ChannelOptions = {
      "grpc.primary_user_agent": options.userAgent ?? "flytekit-ts-remote",
    };
    if (options.maxMessageSizeBytes !== undefined) channelOptions["grpc.max_receive_message_length"] = options.maxMessageSizeBytes;
    this.#client = new grpc.Client(options.endpoint.target, channelCredentials(options), channelOptions);
  }

  unary<Req extends object, Res extends object>(call: UnaryCall<Req, Res>): Promise<Res> {
    const { method, signal } = call;
    if (method.requestStream || method.responseStream) {
      return Promise.reject(new TransportError(StatusCode.UNIMPLEMENTED, `${method.path} is a streaming method; only unary calls are supported`));
    }
    if (signal?.aborted) return Promise.reject(new TransportError(StatusCode.CANCELLED, "cancelled before the call was sent"));
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(call.metadata)) metadata.set(key, value);
    return new Promise<Res>((resolve, reject) => {
      const onAbort = () => pending.cancel();
      const pending = this.#client.makeUnaryRequest(
        method.path,
        method.requestSerialize,
        method.responseDeserialize,
        call.request,
        metadata,
        { deadline: call.deadline },
        (error, response) => {
          signal?.removeEventListener("abort", onAbort);
          if (error) reject(new TransportError(error.code ?? StatusCode.UNKNOWN, error.details || error.message));
          else if (response === undefined) reject(new TransportError(StatusCode.INTERNAL, "the server sent no response message"));
          else resolve(response);
        },
      );
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }

  close(): void {
    this.#client.close();
  }
}

function channelCredentials(options: GrpcTransportOptions): grpc.ChannelCredentials {
  if (options.insecure) return grpc.credentials.createInsecure();
  // A private CA is trusted in addition to the system's roots, not instead of them, so that the same
  // setting works when admin and the identity provider are signed by different authorities.
  const roots = options.caCert ? Buffer.concat([Buffer.from(`${rootCertificates.join("\n")}\n`), options.caCert]) : null;
  const verify: grpc.VerifyOptions = options.insecureSkipVerify
    ? { rejectUnauthorized: false, checkServerIdentity: () => undefined }
    : {};
  return grpc.credentials.createSsl(roots, null, null, verify);
}
