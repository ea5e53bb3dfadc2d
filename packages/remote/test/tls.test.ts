import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthenticationError, ConfigError, createAdminClient, UnavailableError, type AdminClientOptions } from "../src/index.js";
import { selfSignedCertificate } from "./support/cert.js";
import { CLIENT_ID, CLIENT_SECRET, startAuthEnv, type AuthEnv } from "./support/env.js";

const tls = selfSignedCertificate();
const dir = mkdtempSync(join(tmpdir(), "flytekit-ts-tls-"));
const caFile = join(dir, "ca.pem");
writeFileSync(caFile, tls.cert);

// Admin and the authorization server both serve TLS with a certificate no system trusts.
let env: AuthEnv;
beforeAll(async () => {
  env = await startAuthEnv({ tls, oauthTls: tls });
});
afterAll(async () => {
  await env.stop();
  rmSync(dir, { recursive: true, force: true });
});

function client(options: AdminClientOptions) {
  return createAdminClient({
    // By name, as a certificate is checked in real use: grpc-js sends the host as the TLS server name,
    // and Node deprecates (DEP0123) a server name that is an IP address. The certificate names both.
    endpoint: env.admin.address.replace(/^127\.0\.0\.1:/, "localhost:"),
    configFile: false,
    env: {},
    tokenCachePath: false,
    maxRetries: 0,
    authType: "ClientSecret",
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...options,
  });
}

// Each test starts TLS servers (and generates certificates): a generous timeout for a loaded 2-core machine.
describe("TLS", { timeout: 60_000 }, () => {
  it("trusts a private CA from caCertFilePath, for admin and for the token endpoint", async () => {
    const c = client({ caCertFilePath: caFile });
    await expect(c.admin.getVersion({})).resolves.toBeDefined();
    expect(env.oauth.tokenEndpoint).toMatch(/^https:/);
    expect(env.oauth.tokenRequests("client_credentials").length).toBeGreaterThan(0);
    expect(env.admin.calls("GetVersion").at(-1)?.metadata["flyte-authorization"]).toMatch(/^Bearer at-/);
    c.close();
  });

  it("refuses a certificate it cannot verify", async () => {
    const c = client({});
    const error = await c.admin.getVersion({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnavailableError);
    expect((error as Error).message).toMatch(/certificate/i);
    c.close();
  });

  it("accepts any certificate with insecureSkipVerify, for admin and for the token endpoint", async () => {
    const c = client({ insecureSkipVerify: true });
    await expect(c.admin.getVersion({})).resolves.toBeDefined();
    c.close();
  });

  it("cannot talk plaintext to a TLS server", async () => {
    const c = client({ insecure: true });
    await expect(c.admin.getVersion({})).rejects.toBeInstanceOf(UnavailableError);
    c.close();
  });

  it("refuses to send credentials over plain http to a host that is not this machine", async () => {
    const c = client({ caCertFilePath: caFile, tokenUrl: "http://idp.example.com/oauth2/token" });
    const error = await c.admin.getVersion({}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(/refusing to send credentials over plain http to http:\/\/idp\.example\.com/);
    c.close();
  });

  it("names caCertFilePath when the file is missing or holds no certificate", () => {
    expect(() => client({ caCertFilePath: join(dir, "missing.pem") })).toThrow(ConfigError);
    expect(() => client({ caCertFilePath: join(dir, "missing.pem") })).toThrow(/^caCertFilePath \(options\): cannot read .*missing\.pem \(ENOENT\)$/);
    const notPem = join(dir, "not.pem");
    writeFileSync(notPem, "hello");
    expect(() => client({ caCertFilePath: notPem })).toThrow(/holds no PEM certificate/);
  });
});
