import { createServer } from "node:net";
import { status as grpcStatus } from "@grpc/grpc-js";
import { flyteidl, isFlytekitError, taskId } from "@flytekit-ts/idl";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AlreadyExistsError,
  createAdminClient,
  DeadlineExceededError,
  InternalError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  RemoteError,
  ResourceExhaustedError,
  StatusCode,
  TransportError,
  UnauthenticatedError,
  UnavailableError,
  type AdminClientOptions,
  type LogEvent,
  type Transport,
} from "../src/index.js";
import { startAdminServer, type TestAdminServer } from "./support/admin-server.js";

let server: TestAdminServer;
beforeAll(async () => {
  server = await startAdminServer();
});
afterAll(() => server.stop());
beforeEach(() => server.reset());

/** A client of the loopback server whose backoff waits are recorded instead of slept. */
function client(options: AdminClientOptions = {}) {
  const sleeps: number[] = [];
  const events: LogEvent[] = [];
  const c = createAdminClient({
    endpoint: server.address,
    insecure: true,
    configFile: false,
    env: {},
    tokenCachePath: false,
    random: () => 0.5,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    logger: (e) => events.push(e),
    ...options,
  });
  return { c, sleeps, events };
}

const id = taskId({ project: "flytesnacks", domain: "development", name: "wf.t1", version: "v1" });

describe("typed service clients", () => {
  it("send requests every service decodes as its declared type, and return typed responses", async () => {
    const { c } = client();
    server.respond("GetTask", (request) =>
      flyteidl.admin.Task.create({ id: (request as flyteidl.admin.ObjectGetRequest).id ?? null, shortDescription: "the first task" }),
    );
    server.respond("CreateUploadLocation", () =>
      flyteidl.service.CreateUploadLocationResponse.create({ signedUrl: "https://bucket/signed", nativeUrl: "s3://bucket/p/d/x/fast.tar.gz" }),
    );
    server.respond("GetOAuth2Metadata", () => flyteidl.service.OAuth2MetadataResponse.create({ issuer: "https://idp", tokenEndpoint: "https://idp/token" }));

    await c.admin.createTask({
      id,
      spec: { template: { id, type: "python-task", metadata: { runtime: { type: 1, version: "1.16.5", flavor: "typescript" }, retries: { retries: 3 } } } },
    });
    const task = await c.admin.getTask({ id });
    const upload = await c.dataProxy.createUploadLocation({ project: "p", domain: "d", filename: "fast.tar.gz", contentMd5: new Uint8Array(16).fill(7) });
    const metadata = await c.authMetadata.getOAuth2Metadata({});
    const version = await c.admin.call("GetVersion", {});

    expect(task).toBeInstanceOf(flyteidl.admin.Task);
    expect(task.shortDescription).toBe("the first task");
    expect(task.id?.name).toBe("wf.t1");
    expect(upload.nativeUrl).toBe("s3://bucket/p/d/x/fast.tar.gz");
    expect(metadata.tokenEndpoint).toBe("https://idp/token");
    expect(version).toBeInstanceOf(flyteidl.admin.GetVersionResponse);

    expect(server.invalid).toEqual([]);
    expect(server.received.map((r) => `${r.service}.${r.method}`)).toEqual([
      "AdminService.CreateTask",
      "AdminService.GetTask",
      "DataProxyService.CreateUploadLocation",
      "AuthMetadataService.GetOAuth2Metadata",
      "AdminService.GetVersion",
    ]);
    const created = server.calls("CreateTask")[0]?.request as flyteidl.admin.TaskCreateRequest;
    expect(created).toBeInstanceOf(flyteidl.admin.TaskCreateRequest);
    expect(created.spec?.template?.metadata?.retries?.retries).toBe(3);
    expect((server.calls("CreateUploadLocation")[0]?.request as flyteidl.service.CreateUploadLocationRequest).contentMd5).toEqual(
      Buffer.alloc(16, 7),
    );
    c.close();
  });

  it("send per-call metadata and a user agent, and no authorization header while none is needed", async () => {
    const { c } = client();
    await c.admin.getVersion({}, { metadata: { "x-request-id": "abc" } });
    const metadata = server.received[0]?.metadata ?? {};
    expect(metadata["x-request-id"]).toBe("abc");
    expect(metadata["user-agent"]).toMatch(/^flytekit-ts-remote/);
    expect(metadata["authorization"]).toBeUndefined();
    c.close();
  });

  it("call any method given its definition, and refuse unknown method names", async () => {
    const { c } = client();
    const { serviceDefinitions } = await import("../src/index.js");
    await expect(c.call(serviceDefinitions.identity.UserInfo, {})).resolves.toBeInstanceOf(flyteidl.service.UserInfoResponse);
    await expect(c.admin.call("NoSuchMethod" as "GetTask", {})).rejects.toThrow(/no method "NoSuchMethod"/);
    c.close();
  });
});

describe("retries", () => {
  it("retry UNAVAILABLE with exponential backoff and jitter, then succeed", async () => {
    const { c, sleeps, events } = client();
    server.script("GetTask", { code: grpcStatus.UNAVAILABLE }, { code: grpcStatus.UNAVAILABLE });
    await expect(c.admin.getTask({ id })).resolves.toBeInstanceOf(flyteidl.admin.Task);
    expect(server.calls("GetTask")).toHaveLength(3);
    // random() = 0.5: half the ceiling plus half of the other half; ceilings 200 ms, 400 ms.
    expect(sleeps).toEqual([150, 300]);
    expect(events.filter((e) => /retry/.test(e.message)).map((e) => e.fields?.["attempt"])).toEqual([1, 2]);
    c.close();
  });

  it("stop after the configured number of attempts with an error that says so", async () => {
    const { c, sleeps } = client({ maxRetries: 2, maxBackoffDelayMs: 250 });
    server.script("GetTask", ...Array.from({ length: 5 }, () => ({ code: grpcStatus.UNAVAILABLE, details: "connection reset" })));
    const error = await c.admin.getTask({ id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error).toMatchObject({ code: "UNAVAILABLE", attempts: 3, method: "AdminService.GetTask", serverMessage: "connection reset" });
    expect((error as Error).message).toBe(
      `AdminService.GetTask failed with UNAVAILABLE after 3 attempts: connection reset (is ${server.address} reachable, and does admin.insecure match whether it serves TLS?)`,
    );
    expect(sleeps).toEqual([150, 188]); // the second ceiling (400 ms) is capped at maxBackoffDelay (250 ms), then jittered
    c.close();
  });

  it("retry RESOURCE_EXHAUSTED from rate limiting but not a message over the size limit", async () => {
    const { c } = client();
    server.script("ListTasks", { code: grpcStatus.RESOURCE_EXHAUSTED, details: "rate limited" });
    await c.admin.listTasks({ id: { project: "p", domain: "d" }, limit: 10 });
    expect(server.calls("ListTasks")).toHaveLength(2);
    server.script("ListTasks", { code: grpcStatus.RESOURCE_EXHAUSTED, details: "Received message larger than max (5000000 vs. 4194304)" });
    await expect(c.admin.listTasks({ id: { project: "p", domain: "d" } })).rejects.toBeInstanceOf(ResourceExhaustedError);
    expect(server.calls("ListTasks")).toHaveLength(3);
    c.close();
  });

  it("never resend a call that is not idempotent, unless told it is", async () => {
    const { c } = client();
    const request = { project: "p", domain: "d", name: "run-1", spec: { launchPlan: { resourceType: 3, project: "p", domain: "d", name: "wf", version: "v1" } } };
    server.script("CreateExecution", { code: grpcStatus.UNAVAILABLE });
    await expect(c.admin.createExecution(request)).rejects.toBeInstanceOf(UnavailableError);
    expect(server.calls("CreateExecution")).toHaveLength(1);

    server.script("CreateExecution", { code: grpcStatus.UNAVAILABLE });
    await c.admin.createExecution(request, { idempotent: true });
    expect(server.calls("CreateExecution")).toHaveLength(3);
    c.close();
  });
});

describe("typed errors", () => {
  it("map each gRPC status to its error class with the method, code and server message", async () => {
    const { c } = client();
    const cases: [grpcStatus, new (...args: never[]) => RemoteError, string][] = [
      [grpcStatus.NOT_FOUND, NotFoundError, "NOT_FOUND"],
      [grpcStatus.ALREADY_EXISTS, AlreadyExistsError, "ALREADY_EXISTS"],
      [grpcStatus.INVALID_ARGUMENT, InvalidArgumentError, "INVALID_ARGUMENT"],
      [grpcStatus.PERMISSION_DENIED, PermissionDeniedError, "PERMISSION_DENIED"],
      [grpcStatus.INTERNAL, InternalError, "INTERNAL"],
      [grpcStatus.FAILED_PRECONDITION, RemoteError, "FAILED_PRECONDITION"],
    ];
    for (const [code, Class, name] of cases) {
      server.script("CreateTask", { code, details: `server says ${name.toLowerCase()}` });
      const error = await c.admin.createTask({ id }).catch((e: unknown) => e);
      expect(error, name).toBeInstanceOf(Class);
      expect(isFlytekitError(error)).toBe(true);
      expect(error).toMatchObject({ code: name, status: code, method: "AdminService.CreateTask", attempts: 1, serverMessage: `server says ${name.toLowerCase()}` });
      expect((error as Error).message).toMatch(new RegExp(`^AdminService\\.CreateTask failed with ${name}: server says`));
    }
    expect(server.calls("CreateTask")).toHaveLength(cases.length); // none of these is retried
    c.close();
  });

  it("report UNAUTHENTICATED as is when authentication is turned off", async () => {
    const { c } = client({ auth: false });
    server.script("GetTask", { code: grpcStatus.UNAUTHENTICATED, details: "who are you" });
    const error = await c.admin.getTask({ id }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as Error).message).toMatch(/check admin\.authType/);
    expect(server.calls("GetOAuth2Metadata")).toHaveLength(0);
    c.close();
  });
});

describe("deadlines and cancellation", () => {
  it("give each attempt its deadline, and do not retry DEADLINE_EXCEEDED", async () => {
    const { c } = client();
    // Connect first, so that the attempt's whole deadline is spent waiting for the answer even on a
    // loaded machine; the server would answer after 10 s, the 1 s deadline ends the call long before.
    await c.admin.getVersion({});
    server.script("GetExecution", { delayMs: 10_000 });
    const started = Date.now();
    const error = await c.admin.getExecution({ id: { project: "p", domain: "d", name: "x" } }, { timeoutMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).message).toMatch(/no answer within 1000 ms per attempt/);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(server.calls("GetExecution")).toHaveLength(1);
    c.close();
  });

  it("report a DEADLINE_EXCEEDED the server sends at once as the server's, not as this client's deadline passing", async () => {
    const { c } = client();
    server.script("GetExecution", { code: grpcStatus.DEADLINE_EXCEEDED, details: "context deadline exceeded" });
    const error = await c.admin.getExecution({ id: { project: "p", domain: "d", name: "x" } }, { timeoutMs: 15_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect((error as Error).message).toMatch(/the server answered DEADLINE_EXCEEDED after \d+ ms, before this client's deadline of 15000 ms/);
    expect((error as Error).message).not.toMatch(/no answer within/);
    expect((error as Error).message).toContain("context deadline exceeded");
    c.close();
  });

  it("honour an overall deadline across retries", async () => {
    const { c } = client();
    await expect(c.admin.getVersion({}, { deadline: new Date(Date.now() - 1) })).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(server.received).toHaveLength(0);
    c.close();
  });

  it("cancel a call through an AbortSignal", async () => {
    const { c } = client();
    server.script("GetExecution", { delayMs: 1000 });
    const controller = new AbortController();
    const pending = c.admin.getExecution({ id: { project: "p", domain: "d", name: "x" } }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 30);
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ code: "CANCELLED" });
    c.close();
  });
});

describe("connections", () => {
  it("fail with UNAVAILABLE naming the endpoint when nothing listens", async () => {
    const port = await freePort();
    const { c, sleeps } = client({ endpoint: `127.0.0.1:${port}`, maxRetries: 1 });
    const error = await c.admin.getVersion({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toContain(`is 127.0.0.1:${port} reachable`);
    expect(sleeps).toHaveLength(1);
    c.close();
  });

  it("refuse calls after close", async () => {
    const { c } = client();
    c.close();
    await expect(c.admin.getVersion({})).rejects.toMatchObject({ code: "CLIENT_CLOSED" });
  });

  it("take any Transport in place of gRPC", async () => {
    const seen: string[] = [];
    const fake: Transport = {
      target: "fake",
      unary: async (call) => {
        seen.push(call.method.path);
        if (seen.length === 1) throw new TransportError(StatusCode.UNAVAILABLE, "warming up");
        return call.method.responseDeserialize(Buffer.from(flyteidl.admin.GetVersionResponse.encode({ controlPlaneVersion: { Version: "1.16.5" } }).finish()));
      },
      close: () => {},
    };
    const { c } = client({ transport: fake });
    const version = await c.admin.getVersion({});
    expect(version.controlPlaneVersion?.Version).toBe("1.16.5");
    expect(seen).toEqual(["/flyteidl.service.AdminService/GetVersion", "/flyteidl.service.AdminService/GetVersion"]);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
