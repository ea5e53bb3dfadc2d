import * as oauth from "oauth4webapi";
import { ConfigError } from "../errors.js";
import { clientSecret, grantParameters, oauthFailure, requestOptions, authorizationServer, type FlowContext } from "./oauth.js";
import { tokenFromResponse, type TokenSet } from "./token.js";

/**
 * The client credentials grant (RFC 6749 §4.4), for CI and services: the client id and secret go in
 * an HTTP Basic header, the scopes (configured, else the server's) and audience in the form body.
 */
export async function clientCredentialsFlow(ctx: FlowContext): Promise<TokenSet> {
  const clientId = ctx.config.clientId;
  if (!clientId) {
    const origin = ctx.config.origins.authType;
    throw new ConfigError("admin.clientId", origin?.source ?? ctx.config.configFile ?? "configuration", "is required for ClientSecret authentication");
  }
  const secret = await clientSecret(ctx);
  const as = authorizationServer(ctx.server);
  const client: oauth.Client = { client_id: clientId };
  try {
    const response = await oauth.clientCredentialsGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(secret),
      grantParameters(ctx),
      requestOptions(ctx, "ClientSecret", ctx.server.tokenEndpoint),
    );
    const result = await oauth.processClientCredentialsResponse(as, client, response);
    return tokenFromResponse(result, ctx.now());
  } catch (error) {
    throw oauthFailure("ClientSecret", `token request to ${ctx.server.tokenEndpoint}`, error, ctx.redactor);
  }
}
