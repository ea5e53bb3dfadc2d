import * as oauth from "oauth4webapi";
import { formatDuration } from "../duration.js";
import { AuthenticationError } from "../errors.js";
import { authorizationServer, grantParameters, oauthFailure, publicClientId, requestOptions, type FlowContext } from "./oauth.js";
import { tokenFromResponse, type TokenSet } from "./token.js";

/** RFC 8628 §3.5: on `slow_down` the interval grows by 5 seconds. */
const SLOW_DOWN_STEP_MS = 5_000;

/**
 * The device authorization grant (RFC 8628), for machines without a browser: show the verification
 * URL and the user code through `onDeviceCode`, then poll the token endpoint until the user has
 * approved, honouring `authorization_pending` and `slow_down`, until the code expires or
 * `admin.deviceFlowConfig.timeout` passes.
 */
export async function deviceFlow(ctx: FlowContext): Promise<TokenSet> {
  const endpoint = ctx.server.deviceAuthorizationEndpoint;
  if (!endpoint) throw new AuthenticationError("DeviceFlow", "the server publishes no device_authorization_endpoint; use Pkce or ClientSecret");
  const as = authorizationServer(ctx.server);
  const client: oauth.Client = { client_id: publicClientId(ctx, "DeviceFlow") };

  let authorization: oauth.DeviceAuthorizationResponse;
  try {
    const response = await oauth.deviceAuthorizationRequest(as, client, oauth.None(), grantParameters(ctx), requestOptions(ctx, "DeviceFlow", endpoint));
    authorization = await oauth.processDeviceAuthorizationResponse(as, client, response);
  } catch (error) {
    throw oauthFailure("DeviceFlow", `device authorization request to ${endpoint}`, error, ctx.redactor);
  }
  ctx.redactor.add(authorization.device_code);

  await ctx.onDeviceCode({
    verificationUri: authorization.verification_uri,
    verificationUriComplete: authorization.verification_uri_complete,
    userCode: authorization.user_code,
    expiresInSeconds: authorization.expires_in,
  });

  const start = ctx.now();
  const giveUpAt = start + Math.min(ctx.config.deviceFlow.timeoutMs, authorization.expires_in * 1000);
  let interval = authorization.interval !== undefined ? authorization.interval * 1000 : ctx.config.deviceFlow.pollIntervalMs;
  for (;;) {
    if (ctx.now() + interval > giveUpAt) {
      throw new AuthenticationError("DeviceFlow", `the device code was not approved within ${formatDuration(giveUpAt - start)}`, "expired_token");
    }
    await ctx.sleep(interval);
    try {
      const response = await oauth.deviceCodeGrantRequest(as, client, oauth.None(), authorization.device_code, requestOptions(ctx, "DeviceFlow", ctx.server.tokenEndpoint));
      const result = await oauth.processDeviceCodeResponse(as, client, response);
      return tokenFromResponse(result, ctx.now());
    } catch (error) {
      if (error instanceof oauth.ResponseBodyError && error.error === "authorization_pending") continue;
      if (error instanceof oauth.ResponseBodyError && error.error === "slow_down") {
        interval += SLOW_DOWN_STEP_MS;
        ctx.log({ level: "debug", message: `device flow: the server asked to poll more slowly (every ${interval} ms)` });
        continue;
      }
      throw oauthFailure("DeviceFlow", `polling ${ctx.server.tokenEndpoint}`, error, ctx.redactor);
    }
  }
}
