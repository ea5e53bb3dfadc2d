import * as oauth from "oauth4webapi";
import type { AuthType } from "../config.js";
import { authorizationServer, clientSecret, publicClientId, requestOptions, type FlowContext } from "./oauth.js";
import { tokenFromResponse, type TokenSet } from "./token.js";

/**
 * The refresh token grant (RFC 6749 §6). Errors are left to the caller, which tells a rejected refresh
 * token (log in again) from a network failure (keep the token, report the failure).
 */
export async function refreshTokenGrant(ctx: FlowContext, flow: AuthType, refreshToken: string): Promise<TokenSet> {
  const as = authorizationServer(ctx.server);
  const confidential = flow === "ClientSecret";
  const clientId = confidential ? (ctx.config.clientId ?? "") : publicClientId(ctx, flow);
  const client: oauth.Client = { client_id: clientId };
  const auth = confidential ? oauth.ClientSecretBasic(await clientSecret(ctx)) : oauth.None();
  const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, requestOptions(ctx, flow, ctx.server.tokenEndpoint));
  const result = await oauth.processRefreshTokenResponse(as, client, response);
  return tokenFromResponse(result, ctx.now(), refreshToken);
}
