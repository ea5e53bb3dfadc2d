import { inspect } from "node:util";

/** What replaces a secret wherever this package writes text that a person or a log could see. */
export const REDACTED = "[REDACTED]";

// Shorter values are not treated as secrets: replacing every "ab" in a message would destroy it and
// protect nothing (real secrets and tokens are far longer).
const MIN_SECRET_LENGTH = 6;

/**
 * Patterns that look like credentials whatever their value: authorization header values, JWTs, and the
 * OAuth parameters that carry secrets (in JSON, form or query syntax). Pagination `token`s and error
 * `code`s are deliberately not matched; only the OAuth `code` query parameter is.
 */
const PATTERNS: readonly [RegExp, string][] = [
  [/\b(Bearer|Basic)(\s+)[A-Za-z0-9\-._~+/]+=*/gi, `$1$2${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [
    /(["']?\b(?:access_token|refresh_token|id_token|client_secret|clientSecret|device_code|code_verifier|password|secret)\b["']?\s*[:=]\s*["']?)([^"'&\s,;}]+)/gi,
    `$1${REDACTED}`,
  ],
  [/([?&]code=)([^&#\s"']+)/g, `$1${REDACTED}`],
];

/**
 * Removes secrets from text before it reaches an error message or a log: every value registered with
 * `add` (client secrets, access and refresh tokens, device codes, PKCE verifiers) wherever it occurs, and
 * anything that looks like a credential (`Bearer …`, JWTs, `client_secret=…`).
 */
export class Redactor {
  readonly #secrets = new Set<string>();

  /** Registers a value that must never be shown. Values shorter than 6 characters are ignored. */
  add(secret: string | undefined | null): void {
    if (typeof secret === "string" && secret.length >= MIN_SECRET_LENGTH) this.#secrets.add(secret);
  }

  /** The text with every registered secret and every credential-looking string replaced by `[REDACTED]`. */
  redact(text: string): string {
    let out = text;
    // Longest first, so that a secret containing another one is removed whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    }
    return redactPatterns(out);
  }

  /** A redacted one-line description of anything thrown: its message, never its properties or cause. */
  describe(error: unknown): string {
    return this.redact(describeThrown(error));
  }
}

function redactPatterns(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/** Redacts `text` with the pattern rules and any `secrets` given. */
export function redact(text: string, secrets: Iterable<string> = []): string {
  const redactor = new Redactor();
  for (const secret of secrets) redactor.add(secret);
  return redactor.redact(text);
}

function describeThrown(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === "string") return error;
  return inspect(error, { depth: 1, breakLength: Infinity });
}

/**
 * A secret held in memory (a client secret from code or the environment). Printing, logging or
 * serialising it shows `[REDACTED]`; `reveal()` is the only way to the value, so every use is explicit.
 */
export class SecretValue {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  /** The secret itself: call it only where the value is sent. */
  reveal(): string {
    return this.#value;
  }

  /** `[REDACTED]`, so string interpolation cannot leak the secret. */
  toString(): string {
    return REDACTED;
  }

  /** `[REDACTED]`, so `JSON.stringify` cannot leak the secret. */
  toJSON(): string {
    return REDACTED;
  }

  /** `SecretValue([REDACTED])` in `console.log` and `util.inspect`. */
  [inspect.custom](): string {
    return `SecretValue(${REDACTED})`;
  }
}
