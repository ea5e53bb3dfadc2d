import { flyteidl } from "@flytekit-ts/idl";
import { startAdminServer, type TestAdminServer } from "./admin-server.js";
import { startOAuthServer, type TestOAuthServer } from "./oauth-server.js";

export const CLIENT_ID = "ci-robot";
/** Contains characters that HTTP Basic encoding must escape. */
export const CLIENT_SECRET = "s3cr3t-Value/with+chars&=:%";

export interface AuthEnv {
  admin: TestAdminServer;
  oauth: TestOAuthServer;
  /** Tokens the admin server accepts besides those the OAuth server issued (external commands). */
  extraTokens: Set<string>;
  /** When false, the admin server rejects every token. */
  accept: { tokens: boolean };
  stop(): Promise<void>;
}

/**
 * A FlyteAdmin that demands `flyte-authorization: Bearer <token>` (flyteadmin's default key) and
 * publishes, through AuthMetadataService, a loopback OAuth server as its authorization server.
 */
export async function startAuthEnv(options: { tls?: { key: string; cert: string }; oauthTls?: { key: string; cert: string } } = {}): Promise<AuthEnv> {
  const oauth = await startOAuthServer({ clients: { [CLIENT_ID]: CLIENT_SECRET }, publicClients: ["flytectl"], ...(options.oauthTls ? { tls: options.oauthTls } : {}) });
  const admin = await startAdminServer(options.tls ? { tls: options.tls } : {});
  const extraTokens = new Set<string>();
  const accept = { tokens: true };
  admin.respond("GetOAuth2Metadata", () =>
    flyteidl.service.OAuth2MetadataResponse.create({
      issuer: oauth.url,
      authorizationEndpoint: oauth.authorizationEndpoint,
      tokenEndpoint: oauth.tokenEndpoint,
      deviceAuthorizationEndpoint: oauth.deviceAuthorizationEndpoint,
      grantTypesSupported: ["client_credentials", "refresh_token", "authorization_code", "urn:ietf:params:oauth:grant-type:device_code"],
      codeChallengeMethodsSupported: ["S256"],
    }),
  );
  admin.respond("GetPublicClientConfig", () =>
    flyteidl.service.PublicClientAuthConfigResponse.create({
      clientId: "flytectl",
      redirectUri: "http://localhost:53593/callback",
      scopes: ["all", "offline"],
      authorizationMetadataKey: "flyte-authorization",
      audience: "flyte-api",
    }),
  );
  admin.requireToken("flyte-authorization", (token) => accept.tokens && (oauth.isValid(token) || extraTokens.has(token)));
  return {
    admin,
    oauth,
    extraTokens,
    accept,
    stop: async () => {
      await Promise.all([admin.stop(), oauth.stop()]);
    },
  };
}
