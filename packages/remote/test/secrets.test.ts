import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError, createAdminClient, redact, Redactor, REDACTED, SecretValue, UnauthenticatedError, type AdminClientOptions, type LogEvent } from "../src/index.js";
import { CLIENT_ID, CLIENT_SECRET, startAuthEnv, type AuthEnv } from "./support/env.js";

describe("the redaction helper", () => {
  it("removes bearer and basic credentials, JWTs and OAuth secret parameters", () => {
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLWJ5dGVz";
    expect(redact("authorization: Bearer abc.def-ghi_jkl")).toBe(`authorization: Bearer ${REDACTED}`);
    expect(redact("Authorization: Basic Y2k6c2VjcmV0==")).toBe(`Authorization: Basic ${REDACTED}`);
    expect(redact(`token ${jwt} expired`)).toBe(`token ${REDACTED} expired`);
    expect(redact('{"access_token":"at-1","refresh_token": "rt-2","expires_in":3600}')).toBe(
      `{"access_token":"${REDACTED}","refresh_token": "${REDACTED}","expires_in":3600}`,
    );
    expect(redact("grant_type=refresh_token&refresh_token=rt-2&client_secret=shh")).toBe(
      `grant_type=refresh_token&refresh_token=${REDACTED}&client_secret=${REDACTED}`,
    );
    expect(redact("http://127.0.0.1:53593/callback?code=abc123&state=xyz")).toBe(`http://127.0.0.1:53593/callback?code=${REDACTED}&state=xyz`);
    expect(redact("device_code: dc-1, code_verifier=v")).toBe(`device_code: ${REDACTED}, code_verifier=${REDACTED}`);
  });

  it("removes registered secrets wherever they occur, and leaves ordinary text alone", () => {
    const redactor = new Redactor();
    redactor.add("hunter2-hunter2");
    redactor.add("abc"); // too short to be a secret: ignored
    redactor.add(undefined);
    expect(redactor.redact("the password is hunter2-hunter2, not abc")).toBe(`the password is ${REDACTED}, not abc`);
    const ordinary = "ListTasks?limit=100&token=page-2&filters=eq(phase,RUNNING) failed with NOT_FOUND: error code=5";
    expect(redactor.redact(ordinary)).toBe(ordinary);
  });

  it("describes thrown values by message only", () => {
    const redactor = new Redactor();
    redactor.add("s3cr3t-token");
    const error = Object.assign(new Error("call with s3cr3t-token failed"), { response: { body: "s3cr3t-token" } });
    expect(redactor.describe(error)).toBe(`call with ${REDACTED} failed`);
  });

  it("keeps SecretValue out of strings, JSON and inspection", () => {
    const secret = new SecretValue("do-not-print-me");
    expect(`${secret}`).toBe(REDACTED);
    expect(JSON.stringify({ secret })).toBe(`{"secret":"${REDACTED}"}`);
    expect(inspect({ secret })).not.toContain("do-not-print-me");
    expect(secret.reveal()).toBe("do-not-print-me");
  });
});

// These run the logins and commands whose output is checked: a generous timeout for a loaded 2-core machine.
describe("no secret or token is ever shown", { timeout: 60_000 }, () => {
  let env: AuthEnv;
  const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-secrets-"));
  const events: LogEvent[] = [];
  const errors: unknown[] = [];
  const clients: ReturnType<typeof createAdminClient>[] = [];

  beforeAll(async () => {
    env = await startAuthEnv();
  });
  afterAll(async () => {
    await env.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function client(options: AdminClientOptions) {
    const c = createAdminClient({
      endpoint: env.admin.address,
      insecure: true,
      configFile: false,
      env: {},
      tokenCachePath: join(dir, `tokens-${clients.length}.json`),
      logger: (e) => events.push(e),
      sleep: async () => {},
      ...options,
    });
    clients.push(c);
    return c;
  }
  const capture = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => (errors.push(error), error));

  /** Every credential the servers saw or handed out during the tests. */
  function credentials(): string[] {
    const fromRequests = env.oauth.requests.flatMap((r) => ["refresh_token", "device_code", "code", "code_verifier"].map((k) => r.params[k]));
    const fromMetadata = env.admin.received.map((r) => r.metadata["flyte-authorization"]?.replace(/^Bearer /, ""));
    return [CLIENT_SECRET, "wrong-secret-value", "ext-token-abcdef123456", ...env.oauth.issued, ...fromRequests, ...fromMetadata].filter(
      (v): v is string => typeof v === "string" && v.length > 0,
    );
  }

  it("in the token endpoint's error, even when it echoes the secret", async () => {
    const c = client({ authType: "ClientSecret", clientId: CLIENT_ID, clientSecret: "wrong-secret-value" });
    const error = await capture(c.admin.getVersion({}));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toContain(`with secret ${REDACTED} is not known`);
  });

  it("in UNAUTHENTICATED messages that echo the bearer token", async () => {
    env.accept.tokens = false;
    const c = client({ authType: "ClientSecret", clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const error = await capture(c.admin.getVersion({}));
    env.accept.tokens = true;
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect((error as Error).message).toContain(`token rejected: Bearer ${REDACTED}`);
  });

  it("in an external command's stderr", async () => {
    // The token is assembled at run time so that it does not appear in the command (part of the config).
    const script = 'const t = ["ext", "token", "abcdef123456"].join("-"); console.log(t); console.error("could not refresh " + t); process.exit(1)';
    const error = await capture(client({ command: [process.execPath, "-e", script] }).admin.getVersion({}));
    expect((error as Error).message).toContain(`could not refresh ${REDACTED}`);
  });

  it("while logging in with PKCE, refreshing, and using the device flow", async () => {
    let now = Date.now();
    const pkce = client({
      authType: "Pkce",
      pkce: { redirectUri: "http://127.0.0.1:0/callback" },
      now: () => now,
      openBrowser: async (url) => void (await (await fetch(url)).text()),
    });
    await pkce.admin.getVersion({});
    now += 3600_000;
    await pkce.admin.getVersion({});
    const device = client({ authType: "DeviceFlow", deviceFlow: { pollIntervalMs: 1 }, onDeviceCode: () => {} });
    await device.admin.getVersion({});
    expect(env.oauth.tokenRequests("refresh_token")).toHaveLength(1);
  });

  it("— checked across every error, log event and client object above", () => {
    const secrets = credentials();
    expect(secrets.length).toBeGreaterThan(8);
    expect(events.length).toBeGreaterThan(5);
    const shown = [
      ...errors.flatMap((e) => [String(e), inspect(e, { depth: Infinity, showHidden: true }), JSON.stringify(e)]),
      ...events.map((e) => JSON.stringify(e)),
      ...clients.flatMap((c) => [inspect(c, { depth: Infinity, showHidden: true }), JSON.stringify(c.config)]),
    ].join("\n");
    for (const secret of secrets) expect(shown, "a credential leaked").not.toContain(secret);
    for (const c of clients) c.close();
  });
});
