import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, parseEndpoint, parseGoDuration, SecretValue, type LogEvent } from "../src/index.js";

const root = mkdtempSync(join(tmpdir(), "flytekit-ts-config-"));
let n = 0;
function home(yaml?: string): string {
  const dir = join(root, `home-${++n}`);
  mkdirSync(join(dir, ".flyte"), { recursive: true });
  if (yaml !== undefined) writeFileSync(join(dir, ".flyte", "config.yaml"), yaml);
  return dir;
}
function file(yaml: string): string {
  const path = join(root, `config-${++n}.yaml`);
  writeFileSync(path, yaml);
  return path;
}
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

afterAll(() => rmSync(root, { recursive: true, force: true }));

const SANDBOX = `
admin:
  # flytectl demo writes this
  endpoint: dns:///localhost:30080
  authType: Pkce
  insecure: true
logger:
  show-source: true
  level: 0
`;

describe("the config file", () => {
  it("reads flytectl's ~/.flyte/config.yaml by default", () => {
    const config = loadConfig({ homeDir: home(SANDBOX), env: {} });
    expect(config.endpoint).toMatchObject({ host: "localhost", port: 30080, target: "dns:///localhost:30080" });
    expect(config.insecure).toBe(true);
    expect(config.authType).toBe("Pkce");
    expect(config.configFile).toBe(join(root, `home-${n}`, ".flyte", "config.yaml"));
    expect(config.origins.endpoint).toEqual({ key: "admin.endpoint", source: config.configFile });
  });

  it("prefers FLYTECTL_CONFIG, and an explicit path over both", () => {
    const fromEnv = file("admin:\n  endpoint: dns:///env.example.com:443\n");
    const explicit = file("admin:\n  endpoint: explicit.example.com\n");
    const h = home(SANDBOX);
    expect(loadConfig({ homeDir: h, env: { FLYTECTL_CONFIG: fromEnv } }).endpoint.host).toBe("env.example.com");
    expect(loadConfig({ homeDir: h, env: { FLYTECTL_CONFIG: fromEnv }, configFile: explicit }).endpoint.host).toBe("explicit.example.com");
    expect(loadConfig({ homeDir: h, env: {}, configFile: false, endpoint: "x:1" }).configFile).toBeUndefined();
  });

  it("reads every admin setting flytectl defines that applies here", () => {
    const secretFile = join(root, "secret.txt");
    const config = loadConfig({
      homeDir: home(),
      env: {},
      configFile: file(`
admin:
  endpoint: flyte.example.com:8443
  insecureSkipVerify: true
  caCertFilePath: ${join(root, "ca.pem")}
  authType: ClientSecret
  clientId: ci
  clientSecretLocation: ${secretFile}
  scopes: [all, offline]
  audience: flyte-api
  useAudienceFromAdmin: true
  tokenUrl: https://idp.example.com/token
  authorizationHeader: Flyte-Authorization
  tokenRefreshWindow: 2m0s
  maxRetries: 2
  perRetryTimeout: 30s
  maxBackoffDelay: 1s
  pkceConfig: { timeout: 1m, refreshTime: 5m0s }
  deviceFlowConfig: { pollInterval: 2s, timeout: 3m, refreshTime: 5m0s }
`),
    });
    expect(config).toMatchObject({
      insecure: false,
      insecureSkipVerify: true,
      caCertFilePath: join(root, "ca.pem"),
      authType: "ClientSecret",
      clientId: "ci",
      clientSecretLocation: secretFile,
      scopes: ["all", "offline"],
      audience: "flyte-api",
      useAudienceFromAdmin: true,
      tokenUrl: "https://idp.example.com/token",
      authorizationHeader: "flyte-authorization",
      tokenRefreshWindowMs: 120_000,
      retry: { maxRetries: 2, perRetryTimeoutMs: 30_000, maxBackoffDelayMs: 1_000, initialBackoffMs: 200 },
      pkce: { timeoutMs: 60_000 },
      deviceFlow: { pollIntervalMs: 2_000, timeoutMs: 180_000 },
    });
  });

  it("warns about settings it ignores and keys it does not know (nothing like a known one), without failing", () => {
    const events: LogEvent[] = [];
    loadConfig({
      homeDir: home(),
      env: {},
      logger: (e) => events.push(e),
      configFile: file("admin:\n  endpoint: a:1\n  insecure: true\n  useAuth: true\n  httpProxyURL: http://proxy\n  someNewerFlytectlKey: 3\n"),
    });
    const messages = events.map((e) => e.message).join("\n");
    expect(messages).toMatch(/admin\.useAuth .* is ignored: deprecated/);
    expect(messages).toMatch(/admin\.httpProxyURL .* is ignored: HTTP proxies are not supported/);
    expect(messages).toMatch(/admin\.someNewerFlytectlKey \(.*config-\d+\.yaml\) is not a known setting and is ignored/);
    expect(events.every((e) => e.level === "warn")).toBe(true);
  });

  it("refuses a misspelt key, naming it, the file and the key it most likely means", () => {
    for (const [yaml, key, meant] of [
      ["admin:\n  endpoint: a:1\n  insecur: true\n", "admin.insecur", "admin.insecure"],
      ["admin:\n  endpoint: a:1\n  Insecure: true\n", "admin.Insecure", "admin.insecure"],
      ["admin:\n  endpiont: a:1\n", "admin.endpiont", "admin.endpoint"],
      ["admin:\n  endpoint: a:1\n  pkceConfig:\n    timout: 1m\n", "admin.pkceConfig.timout", "admin.pkceConfig.timeout"],
      ["admn:\n  endpoint: a:1\n  insecure: true\n", "admn", '"admin"'],
    ] as const) {
      const path = file(yaml);
      const error = configError(() => loadConfig({ homeDir: home(), env: {}, configFile: path }));
      expect(error.key).toBe(key);
      expect(error.source).toBe(path);
      expect(error.message).toContain(`${key} (${path}): is not a`);
      expect(error.message).toContain(`did you mean ${meant}?`);
    }
  });

  it("names the key and the file when a value is malformed", () => {
    const path = file("admin:\n  endpoint: a:1\n  insecure: 'yes please'\n");
    const error = configError(() => loadConfig({ homeDir: home(), env: {}, configFile: path }));
    expect(error.code).toBe("INVALID_CONFIG");
    expect(error.key).toBe("admin.insecure");
    expect(error.source).toBe(path);
    expect(error.message).toBe(`admin.insecure (${path}): expected true or false, got "yes please"`);

    const cases: [string, RegExp][] = [
      ["admin:\n  endpoint: a:1\n  authType: Kerberos\n", /admin\.authType .*one of ClientSecret, Pkce, DeviceFlow, ExternalCommand/],
      ["admin:\n  endpoint: a:1\n  perRetryTimeout: 15\n", /admin\.perRetryTimeout .*a duration such as "15s"/],
      ["admin:\n  endpoint: a:1\n  scopes: all\n", /admin\.scopes .*a list of strings/],
      ["admin:\n  endpoint: a:1\n  maxRetries: -1\n", /admin\.maxRetries .*a whole number/],
      ["admin:\n  endpoint: https://a/prefix\n", /admin\.endpoint .*has a path/],
      ["admin:\n  endpoint: a:99999\n", /admin\.endpoint .*outside 1-65535/],
      ["admin:\n  endpoint: a:1\n  pkceConfig: 5\n", /admin\.pkceConfig .*must be a mapping/],
      ["admin: [1, 2]\n", /admin \(.*\): must be a mapping/],
      ["admin:\n  endpoint: [unclosed\n", /is not valid YAML/],
    ];
    for (const [yaml, pattern] of cases) {
      expect(() => loadConfig({ homeDir: home(), env: {}, configFile: file(yaml) })).toThrow(pattern);
    }
  });

  it("says where to set the endpoint when none is given", () => {
    const error = configError(() => loadConfig({ homeDir: home(), env: {} }));
    expect(error.key).toBe("admin.endpoint");
    expect(error.message).toMatch(/FLYTECTL_CONFIG.*FLYTE_PLATFORM_URL.*endpoint option/);
  });

  it("fails clearly on a config path that does not exist", () => {
    expect(configError(() => loadConfig({ homeDir: home(), env: { FLYTECTL_CONFIG: "/nonexistent/x.yaml" } })).key).toBe("FLYTECTL_CONFIG");
    expect(configError(() => loadConfig({ homeDir: home(), env: {}, configFile: "/nonexistent/x.yaml" })).message).toMatch(/no such file/);
  });
});

describe("layering", () => {
  const base = file("admin:\n  endpoint: dns:///file.example.com:443\n  insecure: false\n  clientId: from-file\n  scopes: [a]\n");

  it("overlays FLYTE_* environment variables on the file, and code options on both", () => {
    const env = {
      FLYTE_PLATFORM_URL: "env.example.com:8089",
      FLYTE_PLATFORM_INSECURE: "True",
      FLYTE_CREDENTIALS_CLIENT_ID: "from-env",
      FLYTE_CREDENTIALS_SCOPES: "x, y",
      FLYTE_CREDENTIALS_AUTH_MODE: "client_credentials",
    };
    const fromEnv = loadConfig({ homeDir: home(), env, configFile: base });
    expect(fromEnv).toMatchObject({ insecure: true, clientId: "from-env", scopes: ["x", "y"], authType: "ClientSecret" });
    expect(fromEnv.endpoint.target).toBe("dns:///env.example.com:8089");
    expect(fromEnv.origins.clientId).toEqual({ key: "FLYTE_CREDENTIALS_CLIENT_ID", source: "environment" });

    const fromCode = loadConfig({ homeDir: home(), env, configFile: base, clientId: "from-code", insecure: false, authType: "DeviceFlow" });
    expect(fromCode).toMatchObject({ insecure: false, clientId: "from-code", authType: "DeviceFlow", scopes: ["x", "y"] });
    expect(fromCode.origins.clientId).toEqual({ key: "clientId", source: "options" });
  });

  it("rejects malformed environment variables by name", () => {
    const error = configError(() => loadConfig({ homeDir: home(), env: { FLYTE_PLATFORM_INSECURE: "maybe" }, configFile: base }));
    expect(error.key).toBe("FLYTE_PLATFORM_INSECURE");
    expect(error.source).toBe("environment");
  });

  it("validates code options at run time too", () => {
    expect(() => loadConfig({ homeDir: home(), env: {}, endpoint: "a:1", maxRetries: 1.5 })).toThrow(/maxRetries \(options\): expected a whole number/);
    expect(() => loadConfig({ homeDir: home(), env: {}, endpoint: "a:1", scopes: "all" as never })).toThrow(/scopes \(options\)/);
  });

  it("accepts flytekit's auth mode aliases", () => {
    const mode = (authType: string) => loadConfig({ homeDir: home(), env: {}, endpoint: "a:1", authType, command: ["x"] }).authType;
    expect([mode("standard"), mode("PKCE"), mode("basic"), mode("clientSecret"), mode("external_process"), mode("deviceflow")]).toEqual([
      "Pkce",
      "Pkce",
      "ClientSecret",
      "ClientSecret",
      "ExternalCommand",
      "DeviceFlow",
    ]);
  });

  it("picks the flow from what is configured when authType is not given", () => {
    const pick = (extra: object, env: Record<string, string> = {}) => loadConfig({ homeDir: home(), env, endpoint: "a:1", ...extra }).authType;
    expect(pick({})).toBe("Pkce");
    expect(pick({ clientId: "c", clientSecretLocation: "/run/secret" })).toBe("ClientSecret");
    expect(pick({ clientId: "c" }, { FLYTE_CREDENTIALS_CLIENT_SECRET: "s3cr3t-value" })).toBe("ClientSecret");
    expect(pick({ command: ["gcloud", "auth", "print-identity-token"] })).toBe("ExternalCommand");
    expect(() => pick({ authType: "ExternalCommand" })).toThrow(/no command is configured/);
  });

  it("reads the client secret from the variable admin.clientSecretEnvVar names", () => {
    const config = loadConfig({
      homeDir: home(),
      env: { MY_SECRET: "value-from-var\n" },
      configFile: file("admin:\n  endpoint: a:1\n  clientId: c\n  clientSecretEnvVar: MY_SECRET\n"),
    });
    expect(config.authType).toBe("ClientSecret");
    expect(config.clientSecret?.reveal()).toBe("value-from-var");
    // Unset: not an error until a secret is needed (see auth tests), since shared configs name CI variables.
    expect(loadConfig({ homeDir: home(), env: {}, endpoint: "a:1", clientSecretEnvVar: "UNSET" }).clientSecret).toBeUndefined();
  });

  it("never shows the client secret when the config is printed or serialised", () => {
    const secret = "super-secret-value-123";
    const config = loadConfig({ homeDir: home(), env: { FLYTE_CREDENTIALS_CLIENT_SECRET: secret }, endpoint: "a:1", clientId: "c" });
    expect(config.clientSecret).toBeInstanceOf(SecretValue);
    expect(inspect(config, { depth: 10 })).not.toContain(secret);
    expect(JSON.stringify(config)).not.toContain(secret);
    expect(String(config.clientSecret)).toBe("[REDACTED]");
    // A malformed secret is not echoed either.
    expect(() => loadConfig({ homeDir: home(), env: {}, endpoint: "a:1", clientSecret: 42 as never })).toThrow(/clientSecret \(options\): expected a non-empty string, got a number$/);
  });

  it("fills in defaults, including the token cache under ~/.flyte", () => {
    const h = home();
    const config = loadConfig({ homeDir: h, env: {}, endpoint: "a:1" });
    expect(config).toMatchObject({
      insecure: false,
      insecureSkipVerify: false,
      retry: { maxRetries: 4, perRetryTimeoutMs: 15_000, maxBackoffDelayMs: 8_000 },
      tokenCachePath: join(h, ".flyte", "flytekit-ts-tokens.json"),
      maxMessageSizeBytes: 64 * 1024 * 1024,
      auth: true,
    });
    expect(loadConfig({ homeDir: h, env: {}, endpoint: "a:1", tokenCachePath: false }).tokenCachePath).toBeUndefined();
    expect(loadConfig({ homeDir: h, env: {}, endpoint: "a:1", tokenCachePath: "~/t.json" }).tokenCachePath).toBe(join(h, "t.json"));
  });
});

describe("endpoints and TLS", () => {
  it("parse every spelling flytectl and flytekit accept", () => {
    const table: [string, string, boolean | undefined][] = [
      ["dns:///flyte.example.com:443", "dns:///flyte.example.com:443", undefined],
      ["dns:flyte.example.com:81", "dns:///flyte.example.com:81", undefined],
      ["flyte.example.com:8089", "dns:///flyte.example.com:8089", undefined],
      ["flyte.example.com", "dns:///flyte.example.com:443", undefined],
      ["https://flyte.example.com", "dns:///flyte.example.com:443", true],
      ["https://flyte.example.com:8443/", "dns:///flyte.example.com:8443", true],
      ["http://localhost:30080", "dns:///localhost:30080", false],
      ["[::1]:8089", "dns:///[::1]:8089", undefined],
      ["dns:///[::1]:8089", "dns:///[::1]:8089", undefined],
      ["127.0.0.1:30080", "dns:///127.0.0.1:30080", undefined],
    ];
    for (const [text, target, tls] of table) {
      const parsed = parseEndpoint(text);
      expect(typeof parsed === "string" ? parsed : { target: parsed.target, tls: parsed.tlsFromScheme }, text).toEqual({ target, tls });
    }
    for (const bad of ["", "dns://8.8.8.8/host:1", "grpc://host:1", "host:", "https://h/path", "a b:1"]) {
      expect(typeof parseEndpoint(bad), bad).toBe("string");
    }
  });

  it("derive insecure from an http(s) scheme and refuse contradictions", () => {
    expect(loadConfig({ homeDir: home(), env: {}, endpoint: "http://localhost:30080" }).insecure).toBe(true);
    expect(loadConfig({ homeDir: home(), env: {}, endpoint: "https://flyte.example.com" }).insecure).toBe(false);
    const error = configError(() => loadConfig({ homeDir: home(), env: {}, endpoint: "https://flyte.example.com", insecure: true }));
    expect(error.key).toBe("insecure");
    expect(error.message).toMatch(/says https/);
  });

  it("drop the CA file on an insecure connection, with a warning", () => {
    const events: LogEvent[] = [];
    const config = loadConfig({ homeDir: home(), env: {}, endpoint: "a:1", insecure: true, caCertFilePath: "/x/ca.pem", logger: (e) => events.push(e) });
    expect(config.caCertFilePath).toBeUndefined();
    expect(events[0]?.message).toMatch(/caCertFilePath is ignored because the connection is insecure/);
  });
});

describe("Go durations", () => {
  it("parse as flytectl writes them", () => {
    expect(parseGoDuration("15s")).toBe(15_000);
    expect(parseGoDuration("5m0s")).toBe(300_000);
    expect(parseGoDuration("1h30m")).toBe(5_400_000);
    expect(parseGoDuration("250ms")).toBe(250);
    expect(parseGoDuration("1.5s")).toBe(1_500);
    expect(parseGoDuration("0")).toBe(0);
    expect(parseGoDuration("15")).toBeUndefined();
    expect(parseGoDuration("-1s")).toBeUndefined();
  });
});
