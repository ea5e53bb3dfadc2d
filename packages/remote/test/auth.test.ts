import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { status as grpcStatus } from "@grpc/grpc-js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  AuthenticationError,
  ConfigError,
  createAdminClient,
  printDeviceCode,
  UnauthenticatedError,
  type AdminClientOptions,
  type DeviceCodePrompt,
  type LogEvent,
} from "../src/index.js";
import { CLIENT_ID, CLIENT_SECRET, startAuthEnv, type AuthEnv } from "./support/env.js";

let env: AuthEnv;
const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-auth-"));
const secretFile = join(dir, "client_secret");
writeFileSync(secretFile, `${CLIENT_SECRET}\n`);

beforeAll(async () => {
  env = await startAuthEnv();
});
afterAll(async () => {
  await env.stop();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(() => {
  env.admin.reset();
  env.oauth.requests.length = 0;
  env.oauth.expiresIn = 3600;
  env.oauth.devicePendingPolls = 0;
  env.oauth.deviceSlowDowns = 0;
  env.oauth.denyAuthorization = false;
  env.accept.tokens = true;
  env.extraTokens.clear();
});

let cacheCount = 0;
const freshCache = () => join(dir, `cache-${++cacheCount}`, "tokens.json");

function client(options: AdminClientOptions = {}) {
  const events: LogEvent[] = [];
  const sleeps: number[] = [];
  const c = createAdminClient({
    endpoint: env.admin.address,
    insecure: true,
    configFile: false,
    env: {},
    tokenCachePath: freshCache(),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    logger: (e) => events.push(e),
    ...options,
  });
  return { c, events, sleeps };
}

const clientSecretOptions = { authType: "ClientSecret", clientId: CLIENT_ID, clientSecretLocation: secretFile } as const;
const taskRequest = { id: { resourceType: 1, project: "p", domain: "d", name: "t", version: "v" } };
const bearer = (call: { metadata: Record<string, string> } | undefined) => call?.metadata["flyte-authorization"];

// Each test starts loopback servers, some spawn commands: a generous timeout for a loaded 2-core machine.
describe("client credentials", { timeout: 60_000 }, () => {
  it("authenticate when the server first says UNAUTHENTICATED, through discovery, and resend once", async () => {
    const cachePath = freshCache();
    const { c } = client({ ...clientSecretOptions, tokenCachePath: cachePath });
    await c.admin.getTask(taskRequest);

    const calls = env.admin.calls("GetTask");
    expect(calls).toHaveLength(2);
    expect(bearer(calls[0])).toBeUndefined();
    expect(bearer(calls[1])).toBe(`Bearer ${env.oauth.issued.at(-1)}`);
    expect(env.admin.calls("GetOAuth2Metadata")).toHaveLength(1);
    expect(env.admin.calls("GetPublicClientConfig")).toHaveLength(1);
    expect(env.admin.invalid).toEqual([]);

    const [request] = env.oauth.tokenRequests("client_credentials");
    expect(request?.params["scope"]).toBe("all offline"); // the server's scopes, none being configured
    expect(request?.params["audience"]).toBeUndefined(); // useAudienceFromAdmin is off
    const basic = Buffer.from(request?.authorization?.replace(/^Basic /, "") ?? "", "base64").toString();
    const [id, secret] = basic.split(":").map((p) => decodeURIComponent(p.replace(/\+/g, " ")));
    expect([id, secret]).toEqual([CLIENT_ID, CLIENT_SECRET]);

    // The token cache: owner-only, holding the token and the header it goes in.
    expect(statSync(cachePath).mode & 0o777).toBe(0o600);
    const cached = JSON.parse(readFileSync(cachePath, "utf8")) as { entries: Record<string, { accessToken: string; headerName: string }> };
    expect(Object.values(cached.entries)).toEqual([expect.objectContaining({ accessToken: env.oauth.issued.at(-1), headerName: "flyte-authorization" })]);
    c.close();
  });

  it("reuse an unexpired cached token in a new client without asking for another", async () => {
    const cachePath = freshCache();
    const first = client({ ...clientSecretOptions, tokenCachePath: cachePath }).c;
    await first.admin.getVersion({});
    first.close();
    env.admin.reset();
    env.oauth.requests.length = 0;

    const second = client({ ...clientSecretOptions, tokenCachePath: cachePath }).c;
    await second.admin.getVersion({});
    expect(env.oauth.requests).toHaveLength(0);
    expect(env.admin.received.map((r) => r.method)).toEqual(["GetVersion"]);
    expect(bearer(env.admin.received[0])).toMatch(/^Bearer at-/);
    second.close();
  });

  it("take the secret from the variable admin.clientSecretEnvVar names, or FLYTE_CREDENTIALS_CLIENT_SECRET", async () => {
    for (const options of [
      { clientSecretEnvVar: "CI_SECRET", env: { CI_SECRET: CLIENT_SECRET } },
      { env: { FLYTE_CREDENTIALS_CLIENT_SECRET: CLIENT_SECRET, FLYTE_CREDENTIALS_CLIENT_ID: CLIENT_ID } },
    ]) {
      const { c } = client({ clientId: CLIENT_ID, ...options });
      expect(c.config.authType).toBe("ClientSecret");
      await expect(c.admin.getVersion({})).resolves.toBeDefined();
      c.close();
    }
  });

  it("name the setting when the secret is missing", async () => {
    const { c } = client({ authType: "ClientSecret", clientId: CLIENT_ID, clientSecretEnvVar: "NOT_SET" });
    const error = await c.admin.getVersion({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe("clientSecretEnvVar (options): names the environment variable NOT_SET, which is not set");
    c.close();
  });

  it("share one login among concurrent calls", async () => {
    const { c } = client(clientSecretOptions);
    await Promise.all(Array.from({ length: 5 }, () => c.admin.getVersion({})));
    expect(env.oauth.tokenRequests("client_credentials")).toHaveLength(1);
    expect(env.admin.calls("GetOAuth2Metadata")).toHaveLength(1);
    c.close();
  });

  it("refresh once and resend when the server stops accepting the token", async () => {
    const { c } = client(clientSecretOptions);
    await c.admin.getVersion({});
    env.oauth.revokeAccessTokens();
    env.admin.reset();
    await c.admin.getVersion({});
    const calls = env.admin.calls("GetVersion");
    expect(calls.map(bearer)).toEqual([`Bearer ${env.oauth.issued.at(-2)}`, `Bearer ${env.oauth.issued.at(-1)}`]);
    expect(env.oauth.tokenRequests("client_credentials")).toHaveLength(2);
    c.close();
  });

  it("give up with UnauthenticatedError after exactly one refresh", async () => {
    const { c } = client(clientSecretOptions);
    env.accept.tokens = false;
    const error = await c.admin.getVersion({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(env.admin.calls("GetVersion")).toHaveLength(2);
    expect(env.oauth.tokenRequests("client_credentials")).toHaveLength(1);
    c.close();
  });

  it("report a rejected secret as an AuthenticationError carrying the OAuth error", async () => {
    const { c } = client({ authType: "ClientSecret", clientId: CLIENT_ID, clientSecret: "wrong-secret-value" });
    const error = await c.admin.getVersion({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ code: "AUTHENTICATION_FAILED", flow: "ClientSecret", oauthError: "invalid_client" });
    expect((error as Error).message).toMatch(/^ClientSecret authentication failed: token request to http:\/\/127\.0\.0\.1:\d+\/oauth2\/token: the server answered 401 invalid_client/);
    c.close();
  });

  it("keep working in memory when the token cache cannot be written", async () => {
    const { c, events } = client({ ...clientSecretOptions, tokenCachePath: join(secretFile, "not-a-dir", "tokens.json") });
    await c.admin.getVersion({});
    await c.admin.getVersion({});
    expect(env.oauth.tokenRequests("client_credentials")).toHaveLength(1);
    expect(events.some((e) => e.level === "warn" && /cannot write the token cache/.test(e.message))).toBe(true);
    c.close();
  });
});

describe("discovery", { timeout: 60_000 }, () => {
  it("fail with an AuthenticationError when AuthMetadataService does", async () => {
    env.admin.script("GetOAuth2Metadata", { code: grpcStatus.UNIMPLEMENTED, details: "auth is off" });
    const { c } = client(clientSecretOptions);
    const error = await c.admin.getVersion({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ flow: "discovery" });
    expect((error as Error).message).toMatch(/AuthMetadataService\.GetOAuth2Metadata failed: .*UNIMPLEMENTED: auth is off/);
    c.close();
  });

  it("use admin.tokenUrl over the discovered token endpoint", async () => {
    const { c } = client({ ...clientSecretOptions, tokenUrl: `${env.oauth.url}/oauth2/token?via=config` });
    await c.admin.getVersion({});
    expect(env.oauth.tokenRequests("client_credentials")).toHaveLength(1);
    c.close();
  });

  it("put the token under the configured header instead of the server's", async () => {
    const { c } = client({ ...clientSecretOptions, authorizationHeader: "X-Custom-Auth" });
    const error = await c.admin.getVersion({}).catch((e: unknown) => e);
    // The server reads flyte-authorization and authorization only, so the token is not seen.
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(env.admin.calls("GetVersion")[1]?.metadata["x-custom-auth"]).toMatch(/^Bearer at-/);
    expect(env.admin.calls("GetVersion")[1]?.metadata["flyte-authorization"]).toBeUndefined();
    c.close();
  });

  it("reach the server with the token in `authorization` too, which FlyteAdmin also reads", async () => {
    const { c } = client({ ...clientSecretOptions, authorizationHeader: "authorization" });
    await c.admin.getVersion({});
    expect(env.admin.calls("GetVersion").at(-1)?.metadata["authorization"]).toMatch(/^Bearer at-/);
    c.close();
  });
});

describe("PKCE", { timeout: 60_000 }, () => {
  const pkce = { authType: "Pkce", pkce: { redirectUri: "http://127.0.0.1:0/callback" } } as const;
  /** Plays the browser: follows the authorization URL and its redirect to the loopback listener. */
  const browser = async (url: string) => {
    const response = await fetch(url);
    await response.text();
  };

  it("log in through the browser with a loopback redirect and S256, then use the token", async () => {
    const opened: string[] = [];
    const { c } = client({ ...pkce, openBrowser: async (url) => (opened.push(url), browser(url)) });
    await c.admin.getVersion({});

    const authorize = new URL(opened[0] ?? "");
    expect(authorize.origin + authorize.pathname).toBe(env.oauth.authorizationEndpoint);
    expect(Object.fromEntries(authorize.searchParams)).toMatchObject({
      client_id: "flytectl",
      response_type: "code",
      scope: "all offline",
      code_challenge_method: "S256",
      redirect_uri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/callback$/),
    });
    const [exchange] = env.oauth.tokenRequests("authorization_code");
    expect(exchange?.params["code_verifier"]).toMatch(/^[A-Za-z0-9_-]{43,}$/);
    expect(exchange?.params["redirect_uri"]).toBe(authorize.searchParams.get("redirect_uri"));
    expect(bearer(env.admin.calls("GetVersion")[1])).toBe(`Bearer ${env.oauth.issued.at(-1)}`);
    c.close();
  });

  it("use the refresh token when the access token is about to expire, without the browser", async () => {
    let now = Date.now();
    let logins = 0;
    const { c } = client({ ...pkce, now: () => now, openBrowser: async (url) => (logins++, browser(url)) });
    await c.admin.getVersion({});
    now += 3600_000; // the token's whole lifetime
    await c.admin.getVersion({});
    expect(logins).toBe(1);
    expect(env.oauth.tokenRequests("refresh_token")).toHaveLength(1);
    // Refreshed before the call: no UNAUTHENTICATED round trip.
    expect(env.admin.calls("GetVersion").map(bearer)).toEqual([undefined, `Bearer ${env.oauth.issued.at(-2)}`, `Bearer ${env.oauth.issued.at(-1)}`]);
    c.close();
  });

  it("log in again when the refresh token is rejected", async () => {
    let now = Date.now();
    let logins = 0;
    const { c, events } = client({ ...pkce, now: () => now, openBrowser: async (url) => (logins++, browser(url)) });
    await c.admin.getVersion({});
    env.oauth.revokeRefreshTokens();
    now += 3600_000;
    await c.admin.getVersion({});
    expect(logins).toBe(2);
    expect(events.some((e) => /refresh token was not accepted .*invalid_grant.*logging in again/.test(e.message))).toBe(true);
    c.close();
  });

  it("report a denied login", async () => {
    env.oauth.denyAuthorization = true;
    const { c } = client({ ...pkce, openBrowser: browser });
    const error = await c.admin.getVersion({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ flow: "Pkce", oauthError: "access_denied" });
    c.close();
  });

  it("give up when nobody logs in within the timeout", async () => {
    const { c } = client({ authType: "Pkce", pkce: { redirectUri: "http://127.0.0.1:0/callback", timeoutMs: 100 }, openBrowser: () => {} });
    await expect(c.admin.getVersion({})).rejects.toThrow(/^Pkce authentication failed: no login within 100 ms \(admin\.pkceConfig\.timeout\)$/);
    c.close();
  });
});

describe("device flow", { timeout: 60_000 }, () => {
  it("show the code, poll through authorization_pending and slow_down, then use the token", async () => {
    env.oauth.devicePendingPolls = 2;
    env.oauth.deviceSlowDowns = 1;
    const prompts: DeviceCodePrompt[] = [];
    const { c, sleeps } = client({ authType: "DeviceFlow", deviceFlow: { pollIntervalMs: 10 }, onDeviceCode: (p) => void prompts.push(p) });
    await c.admin.getVersion({});

    expect(prompts).toEqual([
      {
        verificationUri: `${env.oauth.url}/device`,
        verificationUriComplete: `${env.oauth.url}/device?user_code=WDJB-MJHT`,
        userCode: "WDJB-MJHT",
        expiresInSeconds: 600,
      },
    ]);
    // Two authorization_pending, one slow_down (the interval grows by 5 s), then the token.
    expect(sleeps).toEqual([10, 10, 10, 5010]);
    const [authorization] = env.oauth.requests.filter((r) => r.path === "/oauth2/device/code");
    expect(authorization?.params).toMatchObject({ client_id: "flytectl", scope: "all offline" });
    expect(env.oauth.tokenRequests("urn:ietf:params:oauth:grant-type:device_code")).toHaveLength(4);
    expect(bearer(env.admin.calls("GetVersion")[1])).toBe(`Bearer ${env.oauth.issued.at(-1)}`);
    c.close();
  });

  it("print the URL and the code, also when the URL carries the code (the person checks it, or types it elsewhere)", () => {
    const printed: string[] = [];
    const prompt = { verificationUri: "https://idp.example/device", userCode: "WDJB-MJHT", expiresInSeconds: 600 };
    printDeviceCode({ ...prompt, verificationUriComplete: "https://idp.example/device?user_code=WDJB-MJHT" }, (t) => printed.push(t));
    printDeviceCode({ ...prompt, verificationUriComplete: undefined }, (t) => printed.push(t));
    expect(printed).toEqual([
      "To log in to Flyte, visit https://idp.example/device?user_code=WDJB-MJHT and check that it shows the code WDJB-MJHT (valid for 10 min).\n",
      "To log in to Flyte, visit https://idp.example/device and enter the code WDJB-MJHT (valid for 10 min).\n",
    ]);
  });

  it("stop polling when the timeout passes", async () => {
    env.oauth.devicePendingPolls = 1000;
    let now = Date.now();
    const { c } = client({
      authType: "DeviceFlow",
      deviceFlow: { pollIntervalMs: 1000, timeoutMs: 3500 },
      onDeviceCode: () => {},
      now: () => now,
      sleep: async (ms) => {
        now += ms;
      },
    });
    const error = await c.admin.getVersion({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ flow: "DeviceFlow", oauthError: "expired_token" });
    expect(env.oauth.tokenRequests("urn:ietf:params:oauth:grant-type:device_code")).toHaveLength(3);
    c.close();
  });
});

describe("external command", { timeout: 60_000 }, () => {
  it("use the last line the command prints as the token, without caching it", async () => {
    const token = "ext-token-0123456789";
    env.extraTokens.add(token);
    const cachePath = freshCache();
    const { c } = client({ command: [process.execPath, "-e", `console.log("fetching a token"); console.log(${JSON.stringify(token)})`], tokenCachePath: cachePath });
    expect(c.config.authType).toBe("ExternalCommand");
    await c.admin.getVersion({});
    expect(bearer(env.admin.calls("GetVersion")[1])).toBe(`Bearer ${token}`);
    expect(existsSync(cachePath)).toBe(false);
    c.close();
  });

  it("report a failing command by program name and exit code, with its stderr", async () => {
    const { c } = client({ command: [process.execPath, "-e", 'process.stderr.write("no credentials found"); process.exit(3)', "--", "--secret-arg=hunter2-hunter2"] });
    const error = await c.admin.getVersion({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/^ExternalCommand authentication failed: node(\.exe)? exited with code 3: no credentials found$/);
    expect((error as Error).message).not.toContain("hunter2");
    c.close();
  });

  it("report a program that does not exist", async () => {
    const { c } = client({ command: [join(dir, "no-such-program")] });
    await expect(c.admin.getVersion({})).rejects.toThrow(/cannot run no-such-program: .*ENOENT/);
    c.close();
  });
});

describe("explicit login and logout", { timeout: 60_000 }, () => {
  it("authenticate ahead of the first call, and forget the token on logout", async () => {
    const cachePath = freshCache();
    const { c } = client({ ...clientSecretOptions, tokenCachePath: cachePath });
    await c.authenticate();
    expect(env.oauth.tokenRequests("client_credentials")).toHaveLength(1);
    await c.admin.getVersion({});
    expect(env.admin.calls("GetVersion")).toHaveLength(1);
    await c.logout();
    expect(JSON.parse(readFileSync(cachePath, "utf8"))).toEqual({ version: 1, entries: {} });
    c.close();
  });
});
