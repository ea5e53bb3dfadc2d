import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as oauth from "oauth4webapi";
import { formatDuration } from "../duration.js";
import { isLoopbackHost } from "../endpoint.js";
import { AuthenticationError } from "../errors.js";
import { authorizationServer, grantParameters, oauthFailure, publicClientId, requestOptions, type FlowContext } from "./oauth.js";
import { tokenFromResponse, type TokenSet } from "./token.js";

/** flyteadmin's default redirect URI for its public client (`flytectl`). */
export const DEFAULT_REDIRECT_URI = "http://localhost:53593/callback";

/**
 * The authorization code grant with PKCE (RFC 7636, S256) for people at a machine with a browser:
 * listen on the loopback redirect URI, open the authorization URL through `openBrowser`, wait for the
 * redirect carrying the code (checking `state`), and exchange code + verifier at the token endpoint.
 */
export async function pkceFlow(ctx: FlowContext): Promise<TokenSet> {
  const authorizationEndpoint = ctx.server.authorizationEndpoint;
  if (!authorizationEndpoint) throw new AuthenticationError("Pkce", "the server publishes no authorization_endpoint; use DeviceFlow or ClientSecret");
  const redirect = new URL(ctx.config.pkce.redirectUri ?? ctx.server.redirectUri ?? DEFAULT_REDIRECT_URI);
  if (redirect.protocol !== "http:" || !isLoopbackHost(redirect.hostname)) {
    throw new AuthenticationError("Pkce", `the redirect URI ${redirect.href} is not an http URL on this machine (localhost or 127.0.0.1)`);
  }
  const as = authorizationServer(ctx.server);
  const client: oauth.Client = { client_id: publicClientId(ctx, "Pkce") };
  const verifier = oauth.generateRandomCodeVerifier();
  ctx.redactor.add(verifier);
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();

  const listener = await listen(redirect, state);
  try {
    const url = new URL(authorizationEndpoint);
    const params = {
      client_id: client.client_id,
      response_type: "code",
      redirect_uri: listener.redirectUri,
      state,
      code_challenge: challenge,
      code_challenge_method: "S256",
      ...grantParameters(ctx),
    };
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    ctx.log({ level: "info", message: `opening the browser to log in at ${url.origin}${url.pathname}` });
    await ctx.openBrowser(url.href);

    const callback = await withTimeout(listener.callback, ctx.config.pkce.timeoutMs);
    ctx.redactor.add(callback.get("code"));
    const validated = oauth.validateAuthResponse(as, client, callback, state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      validated,
      listener.redirectUri,
      verifier,
      requestOptions(ctx, "Pkce", ctx.server.tokenEndpoint),
    );
    const result = await oauth.processAuthorizationCodeResponse(as, client, response);
    return tokenFromResponse(result, ctx.now());
  } catch (error) {
    throw oauthFailure("Pkce", "browser login", error, ctx.redactor);
  } finally {
    listener.close();
  }
}

interface Listener {
  /** The redirect URI with the port actually listened on (differs when the configured port is 0). */
  redirectUri: string;
  /** The query of the first redirect that carries our `state`. */
  callback: Promise<URLSearchParams>;
  close(): void;
}

/**
 * Listens on 127.0.0.1 (and, for `localhost`, best effort on ::1 too, since browsers may resolve it
 * either way) at the redirect URI's port. Requests for other paths get 404; a redirect with a
 * different `state` gets 400 and is otherwise ignored, so a stray request cannot end the login.
 */
async function listen(redirect: URL, state: string): Promise<Listener> {
  let deliver!: (params: URLSearchParams) => void;
  const callback = new Promise<URLSearchParams>((resolve) => {
    deliver = resolve;
  });
  const handler = (request: import("node:http").IncomingMessage, response: import("node:http").ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== redirect.pathname) {
      response.writeHead(404).end();
      return;
    }
    if (url.searchParams.get("state") !== state) {
      response.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("This login link does not belong to the running login.\n");
      return;
    }
    const failed = url.searchParams.get("error");
    response
      .writeHead(failed ? 400 : 200, { "content-type": "text/html; charset=utf-8", connection: "close" })
      .end(
        failed
          ? `<!doctype html><p>Login failed: ${escapeHtml(failed)}. You can close this tab.</p>`
          : "<!doctype html><p>Logged in to Flyte. You can close this tab.</p>",
      );
    deliver(url.searchParams);
  };

  const servers: Server[] = [];
  const primary = createServer(handler);
  servers.push(primary);
  await new Promise<void>((resolve, reject) => {
    primary.once("error", (error: NodeJS.ErrnoException) =>
      reject(
        new AuthenticationError(
          "Pkce",
          error.code === "EADDRINUSE" ? `port ${redirect.port} of the redirect URI ${redirect.href} is in use (is another login running?)` : `cannot listen for the login redirect: ${error.message}`,
        ),
      ),
    );
    primary.listen(Number(redirect.port || 80), "127.0.0.1", () => resolve());
  });
  const port = (primary.address() as AddressInfo).port;
  if (redirect.hostname === "localhost" && redirect.port !== "0") {
    const v6 = createServer(handler);
    v6.on("error", () => {});
    v6.listen(port, "::1");
    servers.push(v6);
  }
  const actual = new URL(redirect.href);
  actual.port = String(port);
  return {
    redirectUri: actual.href,
    callback,
    close: () => {
      for (const server of servers) {
        server.close();
        server.closeAllConnections();
      }
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AuthenticationError("Pkce", `no login within ${formatDuration(ms)} (admin.pkceConfig.timeout)`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
