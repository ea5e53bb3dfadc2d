import { flyteidl, grpcServiceDefinition, type GrpcMethodDefinition } from "@flytekit-ts/idl";
import type { RpcMethod } from "./transport.js";

/** The FlyteAdmin services this client talks to, as method definitions from `@flytekit-ts/idl`. */
export const serviceDefinitions = {
  admin: grpcServiceDefinition(flyteidl.service.AdminService),
  dataProxy: grpcServiceDefinition(flyteidl.service.DataProxyService),
  authMetadata: grpcServiceDefinition(flyteidl.service.AuthMetadataService),
  identity: grpcServiceDefinition(flyteidl.service.IdentityService),
  signal: grpcServiceDefinition(flyteidl.service.SignalService),
};

/** FlyteAdmin's `AdminService`: entities, launch plans, executions, node executions, projects. */
export type AdminServiceDefinition = typeof serviceDefinitions.admin;
/** FlyteAdmin's `DataProxyService`: signed URLs for uploads (fast registration) and downloads (outputs). */
export type DataProxyServiceDefinition = typeof serviceDefinitions.dataProxy;
/** FlyteAdmin's `AuthMetadataService`: where and how to get tokens (OAuth2 metadata, public client config). */
export type AuthMetadataServiceDefinition = typeof serviceDefinitions.authMetadata;
/** FlyteAdmin's `IdentityService`: who the token belongs to. */
export type IdentityServiceDefinition = typeof serviceDefinitions.identity;
/** FlyteAdmin's `SignalService`: set the values gate nodes (`approve`, `waitForInput`) wait for. */
export type SignalServiceDefinition = typeof serviceDefinitions.signal;

/** The request message type of a method definition (`flyteidl.admin.ITaskCreateRequest`). */
export type RequestOf<M> = M extends GrpcMethodDefinition<infer Req, infer _Res> ? Req : never;
/** The response message type of a method definition (`flyteidl.admin.TaskCreateResponse`). */
export type ResponseOf<M> = M extends GrpcMethodDefinition<infer _Req, infer Res> ? Res : never;

/** Per-call settings. Everything is optional; the defaults come from the configuration. */
export interface CallOptions {
  /** Deadline of each attempt, in milliseconds. Default `admin.perRetryTimeout` (15 s). */
  timeoutMs?: number;
  /** A deadline for the whole call, retries and backoff included. */
  deadline?: Date;
  /** Cancels the call, including a pending retry. */
  signal?: AbortSignal;
  /**
   * Whether the call may be sent again after UNAVAILABLE / RESOURCE_EXHAUSTED. Default: true for reads,
   * registrations and updates, false for executions, events, signals and deletes.
   */
  idempotent?: boolean;
  /** Retries for this call. Default `admin.maxRetries` (4). */
  maxRetries?: number;
  /** Extra request metadata (lower-case keys). */
  metadata?: Readonly<Record<string, string>>;
}

/**
 * A typed client for one service: a function per method, named like the method in lower camel case
 * (`getTask`, `createUploadLocation`), and `call("GetTask", …)` by proto name.
 */
export type ServiceClient<D> = {
  /** Calls a method by its proto name (`"GetTask"`), for code that picks the method at run time. */
  call<K extends keyof D & string>(method: K, request: RequestOf<D[K]>, options?: CallOptions): Promise<ResponseOf<D[K]>>;
} & {
  readonly [K in keyof D & string as Uncapitalize<K>]: (request: RequestOf<D[K]>, options?: CallOptions) => Promise<ResponseOf<D[K]>>;
};

export type Invoke = <Req extends object, Res extends object>(method: RpcMethod<Req, Res>, request: Req, options?: CallOptions) => Promise<Res>;

export function serviceClient<D extends object>(definition: D, invoke: Invoke): ServiceClient<D> {
  const methods = definition as unknown as Record<string, RpcMethod>;
  const client: Record<string, unknown> = {
    call: (name: string, request: object, options?: CallOptions) => {
      const method = methods[name];
      if (!method) return Promise.reject(new TypeError(`the service has no method "${name}"`));
      return invoke(method, request, options);
    },
  };
  for (const method of Object.values(methods)) {
    client[method.originalName] = (request: object, options?: CallOptions) => invoke(method, request, options);
  }
  return Object.freeze(client) as ServiceClient<D>;
}

/** `"AdminService.GetTask"` for `/flyteidl.service.AdminService/GetTask`. */
export function methodLabel(method: Pick<RpcMethod, "path">): string {
  const [, service = "", name = method.path] = /^\/(?:.*\.)?([^./]+)\/([^/]+)$/.exec(method.path) ?? [];
  return service ? `${service}.${name}` : name;
}

/** `"GetTask"` for `/flyteidl.service.AdminService/GetTask`. */
export function methodName(method: Pick<RpcMethod, "path">): string {
  return method.path.slice(method.path.lastIndexOf("/") + 1);
}
