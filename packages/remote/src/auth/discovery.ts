import { flyteidl, grpcServiceDefinition } from "@flytekit-ts/idl";
import type { RemoteConfig } from "../config.js";
import { AuthenticationError } from "../errors.js";
import type { Redactor } from "../redact.js";
import type { RpcMethod } from "../transport.js";
import type { AuthServerInfo } from "./oauth.js";

/** Sends one call without credentials (discovery is anonymous by design). */
export type AnonymousCall = <Req extends object, Res extends object>(method: RpcMethod<Req, Res>, request: Req) => Promise<Res>;

const authMetadata = grpcServiceDefinition(flyteidl.service.AuthMetadataService);

/**
 * Asks the server where and how to authenticate: `GetOAuth2Metadata` (issuer and endpoints) and
 * `GetPublicClientConfig` (public client id, redirect URI, scopes, metadata key, audience).
 * `admin.tokenUrl` overrides the token endpoint and makes the OAuth metadata optional.
 */
export async function discoverAuthServer(call: AnonymousCall, config: RemoteConfig, redactor: Redactor): Promise<AuthServerInfo> {
  const [metadata, client] = await Promise.allSettled([
    call(authMetadata.GetOAuth2Metadata, flyteidl.service.OAuth2MetadataRequest.create({})),
    call(authMetadata.GetPublicClientConfig, flyteidl.service.PublicClientAuthConfigRequest.create({})),
  ]);
  const failure = (what: string, reason: unknown) =>
    new AuthenticationError(
      "discovery",
      `the server asked for credentials, but ${what} failed: ${redactor.describe(reason)}`,
    );
  if (metadata.status === "rejected" && config.tokenUrl === undefined) throw failure("AuthMetadataService.GetOAuth2Metadata", metadata.reason);
  if (client.status === "rejected") throw failure("AuthMetadataService.GetPublicClientConfig", client.reason);

  const meta = metadata.status === "fulfilled" ? metadata.value : undefined;
  const pcc = client.value;
  const tokenEndpoint = config.tokenUrl ?? meta?.tokenEndpoint;
  if (!tokenEndpoint) throw new AuthenticationError("discovery", "the server publishes no token_endpoint; set admin.tokenUrl");
  return {
    // oauth4webapi needs an issuer; without one, the token endpoint's origin stands in.
    issuer: meta?.issuer || new URL(tokenEndpoint).origin,
    tokenEndpoint,
    authorizationEndpoint: meta?.authorizationEndpoint || undefined,
    deviceAuthorizationEndpoint: meta?.deviceAuthorizationEndpoint || undefined,
    publicClientId: pcc.clientId || undefined,
    redirectUri: pcc.redirectUri || undefined,
    scopes: pcc.scopes ?? [],
    authorizationMetadataKey: pcc.authorizationMetadataKey ?? "",
    audience: pcc.audience || undefined,
  };
}
