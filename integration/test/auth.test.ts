import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registrationBundle, serializationContext } from "@flytekit-ts/compiler";
import {
  AuthenticationError,
  createAdminClient,
  FlyteRemote,
  UnauthenticatedError,
  type AdminClient,
  type AdminClientOptions,
  type DeviceCodePrompt,
  type LogEvent,
} from "@flytekit-ts/remote";
import { authSandbox, type AuthSandbox } from "./support/auth.js";
import { flyteTs, startFlyteTs } from "./support/cli.js";
import { browseAndApprove, type BrowsedPage } from "./support/dex-user.js";
import { IMAGE, echo, uniqueVersion } from "./support/remote.js";

/**
 * The auth profile of `pnpm flyte:up`: a FlyteAdmin with `useAuth: true` whose authorization server is
 * Dex. Discovery, the client credentials grant and the device flow run end to end against them, through
 * @flytekit-ts/remote and through `flyte-ts` with the config files auth.sh wrote.
 */
let auth: AuthSandbox;
const work = mkdtempSync(join(tmpdir(), "flyte-ts-auth-"));
const clients: AdminClient[] = [];
beforeAll(() => {
  auth = authSandbox();
});
afterAll(() => {
  for (const c of clients) c.close();
  rmSync(work, { recursive: true, force: true });
});

function client(options: AdminClientOptions): { c: AdminClient; events: LogEvent[] } {
  const events: LogEvent[] = [];
  const c = createAdminClient({ env: {}, tokenCachePath: false, logger: (e) => events.push(e), ...options });
  clients.push(c);
  return { c, events };
}

const anonymous = () => client({ endpoint: auth.adminEndpoint, insecure: true, configFile: false, auth: false }).c;
const user = () => ({ login: auth.user.email, password: auth.user.password });

describe("AuthMetadataService of a FlyteAdmin with useAuth and Dex", () => {
  it("publishes Dex's OAuth 2 metadata, as Dex's own discovery document has it", async () => {
    const metadata = await anonymous().authMetadata.getOAuth2Metadata({});
    const dex = (await (await fetch(`${auth.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(metadata.issuer).toBe(auth.issuer);
    expect(metadata.tokenEndpoint).toBe(dex["token_endpoint"]);
    expect(metadata.tokenEndpoint).toBe(`${auth.issuer}/token`);
    expect(metadata.authorizationEndpoint).toBe(dex["authorization_endpoint"]);
    expect(metadata.deviceAuthorizationEndpoint).toBe(dex["device_authorization_endpoint"]);
    expect(metadata.jwksUri).toBe(dex["jwks_uri"]);
    expect(metadata.grantTypesSupported).toEqual(expect.arrayContaining(["client_credentials", "urn:ietf:params:oauth:grant-type:device_code", "refresh_token"]));
    expect(metadata.codeChallengeMethodsSupported).toEqual(expect.arrayContaining(["S256"]));
  });

  it("publishes the public client, its scopes and the metadata key it reads the token from", async () => {
    const config = await anonymous().authMetadata.getPublicClientConfig({});
    expect(config.clientId).toBe(auth.publicClientId);
    expect(config.scopes).toEqual(["openid", "email", "offline_access"]);
    expect(config.redirectUri).toBe("http://localhost:53593/callback");
    expect(config.authorizationMetadataKey).toBe("flyte-authorization");
  });
});

describe("without a valid token", () => {
  it("a call without credentials fails with UnauthenticatedError", async () => {
    const error: unknown = await anonymous().admin.listProjects({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(error).toMatchObject({ code: "UNAUTHENTICATED", method: "AdminService.ListProjects" });
  });

  it("a token Dex did not sign is refused: the client logs in once, resends once, then gives up with UnauthenticatedError", async () => {
    const forged = `${Buffer.from('{"alg":"RS256","typ":"JWT"}').toString("base64url")}.${Buffer.from(JSON.stringify({ iss: "x", aud: auth.client.id })).toString("base64url")}.c2ln`;
    const { c, events } = client({
      endpoint: auth.adminEndpoint,
      insecure: true,
      configFile: false,
      authType: "ExternalCommand",
      command: [process.execPath, "-e", `console.log(${JSON.stringify(forged)})`],
    });
    const error: unknown = await c.admin.listProjects({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedError);
    expect(events.filter((e) => e.message === "authenticating with ExternalCommand")).toHaveLength(1);
    expect(String((error as Error).message)).not.toContain(forged);
  });

  it("a wrong client secret is Dex's invalid_client, as an AuthenticationError", async () => {
    const { c } = client({
      endpoint: auth.adminEndpoint,
      insecure: true,
      configFile: false,
      authType: "ClientSecret",
      clientId: auth.client.id,
      clientSecret: "not-the-secret",
      scopes: ["openid"],
    });
    const error: unknown = await c.admin.listProjects({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({ flow: "ClientSecret", oauthError: "invalid_client" });
    expect(String((error as Error).message)).not.toContain("not-the-secret");
  });
});

describe("client credentials (Dex's confidential client)", () => {
  it("@flytekit-ts/remote with the config file registers, lists and reads back; FlyteAdmin knows the client", async () => {
    const { c, events } = client({ configFile: auth.clientSecretConfigFile });
    const flyte = new FlyteRemote({ adminClient: c, project: "flytesnacks", domain: "development" });
    const version = uniqueVersion("auth-cc");
    const result = await flyte.registerEntries(await registrationBundle([echo], serializationContext({ image: IMAGE })), { version });
    expect(result.entities.map((e) => e.status)).toEqual(["created"]);
    const listed = await c.admin.listTasks({ id: { project: "flytesnacks", domain: "development", name: "integration.echo" }, limit: 100, sortBy: { key: "created_at", direction: 0 } });
    expect(listed.tasks.map((t) => t.id?.version)).toContain(version);
    // One login for all those calls, after the server's first UNAUTHENTICATED.
    expect(events.filter((e) => e.message === "authenticating with ClientSecret")).toHaveLength(1);
    const me = await c.identity.userInfo({});
    expect(me.subject).toBeTruthy();
  });

  it("FlyteAdmin reads the token from `authorization` as well as from the key it publishes, and from no other", async () => {
    const plain = client({ configFile: auth.clientSecretConfigFile, authorizationHeader: "authorization" }).c;
    expect((await plain.identity.userInfo({})).subject).toBeTruthy();
    const other = client({ configFile: auth.clientSecretConfigFile, authorizationHeader: "x-custom-auth" }).c;
    const error: unknown = await other.identity.userInfo({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnauthenticatedError);
  });

  it("`flyte-ts register` and `get execution` with the config file", async () => {
    const bundle = join(work, "static-wf.tgz");
    expect((await flyteTs(["package", "src/static-wf.ts", "--image", IMAGE, "-o", bundle])).code).toBe(0);
    const home = mkdtempSync(join(work, "home-"));
    const version = uniqueVersion("auth-cli");
    const registered = await flyteTs(["register", bundle, "--version", version, "--config", auth.clientSecretConfigFile], { HOME: home });
    expect(registered.code, registered.stderr).toBe(0);
    expect(registered.stdout).toContain(`registered WORKFLOW flytesnacks/development/examples.static_wf.static_wf@${version}`);
    // Through authentication to FlyteAdmin's own answer.
    const missing = await flyteTs(["get", "execution", "nosuchexecution", "--config", auth.clientSecretConfigFile], { HOME: home });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/NOT_FOUND/);
    expect(missing.stderr).not.toMatch(/UNAUTHENTICATED/);
  });

  it("`flyte-ts` with a config file whose secret is wrong fails naming Dex's error, without the secret", async () => {
    const secretFile = join(work, "wrong-secret");
    writeFileSync(secretFile, "wrong-secret-value\n");
    const config = join(work, "wrong-secret.yaml");
    writeFileSync(config, readFileSync(auth.clientSecretConfigFile, "utf8").replace(/clientSecretLocation: .*/, `clientSecretLocation: ${secretFile}`));
    const result = await flyteTs(["get", "execution", "nosuchexecution", "--config", config], { HOME: mkdtempSync(join(work, "home-")) });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/invalid_client/);
    expect(result.stderr).not.toContain("wrong-secret-value");
  });
});

describe("device flow (Dex's public client and password user)", () => {
  it("@flytekit-ts/remote: the user approves on Dex while the client polls; then calls go through, and the refresh token renews the token", async () => {
    const tokenCachePath = join(work, "device-tokens.json");
    let prompt: DeviceCodePrompt | undefined;
    let approval: Promise<BrowsedPage> | undefined;
    const { c, events } = client({
      configFile: auth.deviceFlowConfigFile,
      tokenCachePath,
      // A login that went wrong on Dex's pages fails the test in minutes, not at the 10-minute default.
      deviceFlow: { timeoutMs: 180_000 },
      onDeviceCode: (p) => {
        prompt = p;
        // The person acts while the client polls.
        approval = browseAndApprove(p.verificationUriComplete ?? p.verificationUri, user(), p.userCode);
      },
    });
    const projects = await c.admin.listProjects({});
    expect(projects.projects.map((p) => p.id)).toContain("flytesnacks");
    expect(prompt?.verificationUri).toBe(`${auth.issuer}/device`);
    expect(prompt?.userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    const page = await approval;
    expect(page?.body, page?.trail.join("\n")).toContain("Login Successful");
    expect(events.filter((e) => e.message === "authenticating with DeviceFlow")).toHaveLength(1);
    // The token is the user's: FlyteAdmin reads the email from it.
    expect((await c.identity.userInfo({})).email).toBe(auth.user.email);

    // A new client with the same token cache, whose clock is 59½ minutes on: Dex's one-hour token is
    // about to expire, so Dex's refresh_token grant renews it, with no second login.
    const again = client({
      configFile: auth.deviceFlowConfigFile,
      tokenCachePath,
      now: () => Date.now() + 3570_000,
      onDeviceCode: () => {
        throw new Error("the refresh token should have spared a second login");
      },
    });
    expect((await again.c.identity.userInfo({})).email).toBe(auth.user.email);
    expect(again.events.some((e) => e.message === "access token refreshed with the refresh token"), JSON.stringify(again.events)).toBe(true);
  });

  it("`flyte-ts`: prints the verification URL and code; the user approves; the command finishes, and the next one uses the cached token", async () => {
    const bundle = join(work, "static-wf-device.tgz");
    expect((await flyteTs(["package", "src/static-wf.ts", "--image", IMAGE, "-o", bundle])).code).toBe(0);
    const home = mkdtempSync(join(work, "home-"));
    const version = uniqueVersion("auth-device");
    const cli = startFlyteTs(["register", bundle, "--version", version, "--config", auth.deviceFlowConfigFile], { HOME: home });
    const [, url, userCode] = await cli.stderrLine(/To log in to Flyte, visit (\S+) and check that it shows the code (\S+) \(valid for \d+ min\)/);
    expect(userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(new URL(url ?? "").searchParams.get("user_code")).toBe(userCode);
    const page = await browseAndApprove(url ?? "", user(), userCode);
    expect(page.body, page.trail.join("\n")).toContain("Login Successful");
    const registered = await cli.done;
    expect(registered.code, registered.stderr).toBe(0);
    expect(registered.stdout).toContain(`registered WORKFLOW flytesnacks/development/examples.static_wf.static_wf@${version}`);

    const got = await flyteTs(["get", "execution", "nosuchexecution", "--config", auth.deviceFlowConfigFile], { HOME: home });
    expect(got.code).toBe(1);
    expect(got.stderr).toMatch(/NOT_FOUND/);
    expect(got.stderr).not.toMatch(/To log in/);
  });
});

describe("PKCE (Dex's public client; the test plays the browser)", () => {
  it("logs in through Dex's pages with S256 and a loopback redirect; FlyteAdmin accepts the token", async () => {
    let browsing: Promise<BrowsedPage> | undefined;
    const { c, events } = client({
      endpoint: auth.adminEndpoint,
      insecure: true,
      configFile: false,
      authType: "Pkce",
      pkce: { redirectUri: "http://127.0.0.1:0/callback" },
      openBrowser: (url) => {
        expect(new URL(url).searchParams.get("code_challenge_method")).toBe("S256");
        browsing = browseAndApprove(url, user());
      },
    });
    expect((await c.identity.userInfo({})).email).toBe(auth.user.email);
    const page = await browsing;
    expect(page?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/);
    expect(page?.body, page?.trail.join("\n")).toContain("Logged in to Flyte");
    expect(events.filter((e) => e.message === "authenticating with Pkce")).toHaveLength(1);
  });
});
