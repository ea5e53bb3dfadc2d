import * as grpc from "@grpc/grpc-js";
import { flyteidl, grpcServiceDefinition, type GrpcMethodDefinition } from "@flytekit-ts/idl";

/**
 * A loopback FlyteAdmin for tests, built from the official service definitions of @flytekit-ts/idl:
 * AdminService, DataProxyService, AuthMetadataService and IdentityService. It keeps every request it
 * receives (decoded as the method's declared request type, verified, and checked to re-encode to the
 * same bytes), answers with configurable responses, and can be told to fail or to demand a token.
 */
export interface ReceivedCall {
  service: string;
  method: string;
  request: object;
  metadata: Record<string, string>;
}

export interface Scripted {
  /** A gRPC status to fail with; omitted means answer normally (after `delayMs`). */
  code?: grpc.status;
  details?: string;
  delayMs?: number;
}

type Handler = (request: object, metadata: Record<string, string>) => object | Promise<object>;

export interface TestAdminServer {
  port: number;
  /** `127.0.0.1:<port>`. */
  address: string;
  received: ReceivedCall[];
  /** Requests that did not decode, verify or re-encode as their declared type. */
  invalid: string[];
  /** Queues outcomes for the next calls of `method` (proto name, e.g. `GetTask`). */
  script(method: string, ...outcomes: Scripted[]): void;
  respond(method: string, handler: Handler): void;
  /**
   * Demands `Bearer <token>` for every service but AuthMetadataService, read as FlyteAdmin reads it:
   * from `authorization` when that is sent, else from its configured `header` (FlyteAdmin copies that
   * one into `authorization`, after any `authorization` the call already carries).
   */
  requireToken(header: string, isValid: (token: string) => boolean): void;
  calls(method: string): ReceivedCall[];
  reset(): void;
  stop(): Promise<void>;
}

const SERVICES = {
  AdminService: flyteidl.service.AdminService,
  DataProxyService: flyteidl.service.DataProxyService,
  AuthMetadataService: flyteidl.service.AuthMetadataService,
  IdentityService: flyteidl.service.IdentityService,
};

export async function startAdminServer(options: { tls?: { key: string; cert: string } } = {}): Promise<TestAdminServer> {
  const server = new grpc.Server();
  const received: ReceivedCall[] = [];
  const invalid: string[] = [];
  const scripts = new Map<string, Scripted[]>();
  const handlers = new Map<string, Handler>();
  let auth: { header: string; isValid: (token: string) => boolean } | undefined;

  for (const [serviceName, service] of Object.entries(SERVICES)) {
    const definition = grpcServiceDefinition(service) as unknown as Record<string, GrpcMethodDefinition<object, object>>;
    const checked: Record<string, GrpcMethodDefinition<object, object>> = {};
    const implementation: grpc.UntypedServiceImplementation = {};
    for (const [name, method] of Object.entries(definition)) {
      checked[name] = { ...method, requestDeserialize: (bytes) => validate(serviceName, name, method, bytes, invalid) };
      implementation[name] = (call: grpc.ServerUnaryCall<object, object>, callback: grpc.sendUnaryData<object>) => {
        const metadata = Object.fromEntries(Object.entries(call.metadata.getMap()).map(([k, v]) => [k, String(v)]));
        received.push({ service: serviceName, method: name, request: call.request, metadata });
        void answer(serviceName, name, method, call.request, metadata).then(
          (response) => callback(null, response),
          (error: grpc.ServiceError) => callback(error),
        );
      };
    }
    server.addService(checked as unknown as grpc.ServiceDefinition, implementation);
  }

  async function answer(service: string, name: string, method: GrpcMethodDefinition<object, object>, request: object, metadata: Record<string, string>): Promise<object> {
    if (auth && service !== "AuthMetadataService") {
      const value = metadata["authorization"] ?? metadata[auth.header] ?? "";
      const token = /^Bearer (.+)$/.exec(value)?.[1];
      if (!token || !auth.isValid(token)) {
        // Echo what was sent, as some proxies do, so tests can check the client redacts it.
        throw status(grpc.status.UNAUTHENTICATED, `token rejected: ${value || "(none)"}`);
      }
    }
    const next = scripts.get(name)?.shift();
    if (next?.delayMs) await new Promise((resolve) => setTimeout(resolve, next.delayMs));
    if (next?.code !== undefined) throw status(next.code, next.details ?? `scripted ${grpc.status[next.code]}`);
    const handler = handlers.get(name);
    return handler ? handler(request, metadata) : method.responseType.fromObject({});
  }

  const credentials = options.tls
    ? grpc.ServerCredentials.createSsl(null, [{ private_key: Buffer.from(options.tls.key), cert_chain: Buffer.from(options.tls.cert) }], false)
    : grpc.ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", credentials, (error, bound) => (error ? reject(error) : resolve(bound))),
  );

  return {
    port,
    address: `127.0.0.1:${port}`,
    received,
    invalid,
    script: (method, ...outcomes) => scripts.set(method, [...(scripts.get(method) ?? []), ...outcomes]),
    respond: (method, handler) => handlers.set(method, handler),
    requireToken: (header, isValid) => {
      auth = { header, isValid };
    },
    calls: (method) => received.filter((c) => c.method === method),
    reset: () => {
      received.length = 0;
      invalid.length = 0;
      scripts.clear();
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.tryShutdown(() => resolve());
        // Calls still running (deadline tests) must not hold the test file open.
        setTimeout(() => server.forceShutdown(), 200).unref();
      }),
  };
}

function validate(service: string, name: string, method: GrpcMethodDefinition<object, object>, bytes: Buffer, invalid: string[]): object {
  let message: object;
  try {
    message = method.requestType.decode(bytes);
  } catch (error) {
    invalid.push(`${service}.${name}: does not decode as its request type: ${String(error)}`);
    throw error;
  }
  const problem = method.requestType.verify(message as { [k: string]: unknown });
  if (problem) invalid.push(`${service}.${name}: ${problem}`);
  if (Buffer.compare(Buffer.from(method.requestType.encode(message).finish()), bytes) !== 0) {
    invalid.push(`${service}.${name}: re-encodes to different bytes`);
  }
  return message;
}

function status(code: grpc.status, details: string): grpc.ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new grpc.Metadata() });
}
