import { createHash, randomBytes } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

/**
 * A loopback OAuth 2 authorization server for tests (node:http on 127.0.0.1): a token endpoint for the
 * client_credentials, refresh_token, device_code and authorization_code grants, a device authorization
 * endpoint and an authorization endpoint that redirects straight back with a code (the "user" always
 * approves unless told otherwise). Tokens are random strings it remembers, so the gRPC test server
 * can ask whether one is valid.
 */
export interface TokenRequest {
  path: string;
  grantType: string | undefined;
  params: Record<string, string>;
  authorization: string | undefined;
}

export interface TestOAuthServer {
  url: string;
  tokenEndpoint: string;
  authorizationEndpoint: string;
  deviceAuthorizationEndpoint: string;
  requests: TokenRequest[];
  /** Lifetime of issued access tokens, seconds. */
  expiresIn: number;
  /** Polls answered `authorization_pending` before a device code is approved. */
  devicePendingPolls: number;
  /** Polls answered `slow_down` (after the pending ones). */
  deviceSlowDowns: number;
  /** Answer the authorization request with `error=access_denied`. */
  denyAuthorization: boolean;
  /** Every access token issued so far. */
  issued: string[];
  isValid(token: string): boolean;
  revokeAccessTokens(): void;
  revokeRefreshTokens(): void;
  tokenRequests(grantType: string): TokenRequest[];
  stop(): Promise<void>;
}

export interface OAuthServerOptions {
  /** Confidential clients: id → secret. */
  clients?: Record<string, string>;
  /** Public clients (PKCE, device flow). */
  publicClients?: string[];
  tls?: { key: string; cert: string };
}

export async function startOAuthServer(options: OAuthServerOptions = {}): Promise<TestOAuthServer> {
  const confidential = new Map(Object.entries(options.clients ?? {}));
  const publicClients = new Set(options.publicClients ?? ["flytectl"]);
  const access = new Set<string>();
  const refresh = new Set<string>();
  const codes = new Map<string, { clientId: string; redirectUri: string; challenge: string }>();
  const devices = new Map<string, { clientId: string; polls: number }>();

  const state: TestOAuthServer = {
    url: "",
    tokenEndpoint: "",
    authorizationEndpoint: "",
    deviceAuthorizationEndpoint: "",
    requests: [],
    expiresIn: 3600,
    devicePendingPolls: 0,
    deviceSlowDowns: 0,
    denyAuthorization: false,
    issued: [],
    isValid: (token) => access.has(token),
    revokeAccessTokens: () => access.clear(),
    revokeRefreshTokens: () => refresh.clear(),
    tokenRequests: (grantType) => state.requests.filter((r) => r.grantType === grantType),
    stop: async () => {},
  };

  const issue = (withRefresh: boolean) => {
    const token = `at-${state.issued.length + 1}-${randomBytes(12).toString("hex")}`;
    access.add(token);
    state.issued.push(token);
    const body: Record<string, unknown> = { access_token: token, token_type: "Bearer", expires_in: state.expiresIn };
    if (withRefresh) {
      const r = `rt-${randomBytes(12).toString("hex")}`;
      refresh.add(r);
      body["refresh_token"] = r;
    }
    return body;
  };

  const handler = async (request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", state.url || "http://127.0.0.1");
    const body = request.method === "POST" ? await readBody(request) : "";
    const params = Object.fromEntries(new URLSearchParams(request.method === "POST" ? body : url.search));
    state.requests.push({ path: url.pathname, grantType: params["grant_type"], params, authorization: request.headers.authorization });
    const json = (status: number, value: unknown, headers: Record<string, string> = {}) =>
      response.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(value));
    const oauthError = (status: number, error: string, description: string) => json(status, { error, error_description: description });

    if (url.pathname === "/oauth2/authorize") {
      const { client_id = "", redirect_uri = "", state: s = "", code_challenge = "", code_challenge_method } = params;
      if (!publicClients.has(client_id) || params["response_type"] !== "code" || code_challenge_method !== "S256" || !code_challenge || !redirect_uri) {
        return oauthError(400, "invalid_request", "bad authorization request");
      }
      const target = new URL(redirect_uri);
      target.searchParams.set("state", s);
      if (state.denyAuthorization) target.searchParams.set("error", "access_denied");
      else {
        const code = `code-${randomBytes(12).toString("hex")}`;
        codes.set(code, { clientId: client_id, redirectUri: redirect_uri, challenge: code_challenge });
        target.searchParams.set("code", code);
      }
      return response.writeHead(302, { location: target.href }).end();
    }

    if (url.pathname === "/oauth2/device/code" && request.method === "POST") {
      const clientId = params["client_id"] ?? "";
      if (!publicClients.has(clientId)) return oauthError(401, "invalid_client", "unknown client");
      const deviceCode = `dc-${randomBytes(16).toString("hex")}`;
      devices.set(deviceCode, { clientId, polls: 0 });
      return json(200, {
        device_code: deviceCode,
        user_code: "WDJB-MJHT",
        verification_uri: `${state.url}/device`,
        verification_uri_complete: `${state.url}/device?user_code=WDJB-MJHT`,
        expires_in: 600,
      });
    }

    if (url.pathname === "/oauth2/token" && request.method === "POST") {
      switch (params["grant_type"]) {
        case "client_credentials": {
          const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? "")?.[1];
          const [id, secret] = basic ? Buffer.from(basic, "base64").toString("utf8").split(":").map((p) => decodeURIComponent(p.replace(/\+/g, " "))) : [];
          if (!id || confidential.get(id) !== secret) {
            // Echoes the secret it got, as a careless server might; the client must redact it.
            return json(401, { error: "invalid_client", error_description: `client ${id} with secret ${secret} is not known` });
          }
          return json(200, issue(false));
        }
        case "refresh_token": {
          const token = params["refresh_token"] ?? "";
          if (!refresh.has(token)) return oauthError(400, "invalid_grant", `refresh token ${token} is expired`);
          refresh.delete(token);
          return json(200, issue(true));
        }
        case "urn:ietf:params:oauth:grant-type:device_code": {
          const device = devices.get(params["device_code"] ?? "");
          if (!device) return oauthError(400, "invalid_grant", "unknown device code");
          device.polls += 1;
          if (device.polls <= state.devicePendingPolls) return oauthError(400, "authorization_pending", "waiting for the user");
          if (device.polls <= state.devicePendingPolls + state.deviceSlowDowns) return oauthError(400, "slow_down", "polling too fast");
          devices.delete(params["device_code"] ?? "");
          return json(200, issue(true));
        }
        case "authorization_code": {
          const grant = codes.get(params["code"] ?? "");
          if (!grant) return oauthError(400, "invalid_grant", "unknown code");
          codes.delete(params["code"] ?? "");
          const verifier = params["code_verifier"] ?? "";
          const challenge = createHash("sha256").update(verifier).digest("base64url");
          if (challenge !== grant.challenge) return oauthError(400, "invalid_grant", "PKCE verification failed");
          if (params["redirect_uri"] !== grant.redirectUri || params["client_id"] !== grant.clientId) return oauthError(400, "invalid_grant", "redirect_uri or client_id mismatch");
          return json(200, issue(true));
        }
        default:
          return oauthError(400, "unsupported_grant_type", String(params["grant_type"]));
      }
    }
    response.writeHead(404).end();
  };

  const server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => void handler(req, res))
    : createHttpServer((req, res) => void handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
  state.tokenEndpoint = `${state.url}/oauth2/token`;
  state.authorizationEndpoint = `${state.url}/oauth2/authorize`;
  state.deviceAuthorizationEndpoint = `${state.url}/oauth2/device/code`;
  state.stop = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (c: Buffer) => chunks.push(c));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}
