/** An access token with what is needed to decide when to replace it. Lives only inside the client. */
export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  /** Epoch milliseconds; absent when neither the server nor the token says. */
  expiresAt?: number;
  /** Epoch milliseconds when it was obtained. */
  issuedAt: number;
}

/**
 * Whether `token` can still be sent: it does not expire within `windowMs` (capped at half its
 * lifetime, so that short-lived tokens are not refreshed on every call). Tokens without an expiry are
 * used until the server rejects them.
 */
export function isFresh(token: TokenSet, now: number, windowMs: number): boolean {
  if (token.expiresAt === undefined) return true;
  const lifetime = Math.max(0, token.expiresAt - token.issuedAt);
  return now < token.expiresAt - Math.min(windowMs, lifetime / 2);
}

/**
 * The `exp` claim of a JWT access token in epoch milliseconds, read without verifying anything (the
 * server does that); used only when the token endpoint did not say `expires_in`.
 */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const payload: unknown = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8"));
    const exp = typeof payload === "object" && payload !== null ? (payload as { exp?: unknown }).exp : undefined;
    return typeof exp === "number" && Number.isFinite(exp) ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** A token from an OAuth token endpoint response. */
export function tokenFromResponse(
  response: { access_token: string; refresh_token?: string | undefined; expires_in?: number | undefined },
  now: number,
  previousRefreshToken?: string,
): TokenSet {
  const token: TokenSet = { accessToken: response.access_token, issuedAt: now };
  // A refresh response may omit the refresh token, meaning the old one stays valid (RFC 6749 §6).
  const refresh = response.refresh_token ?? previousRefreshToken;
  if (refresh) token.refreshToken = refresh;
  const expiresAt = response.expires_in !== undefined ? now + response.expires_in * 1000 : jwtExpiry(response.access_token);
  if (expiresAt !== undefined) token.expiresAt = expiresAt;
  return token;
}
