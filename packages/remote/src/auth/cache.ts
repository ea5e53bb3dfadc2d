import { randomBytes } from "node:crypto";
import { chmod, mkdir, open, readFile, rename, rm } from "node:fs/promises";
import { dirname } from "node:path";
import type { TokenSet } from "./token.js";

/** A token as the cache keeps it, with the metadata key it is sent under. */
export interface CachedToken extends TokenSet {
  /** The metadata key the server wants the token in (`flyte-authorization`, …). */
  headerName?: string;
}

/**
 * Where tokens outlive the process. The default is a file; a keyring or a secret manager can be
 * plugged in with the same three methods. Keys identify endpoint, flow and client id.
 */
export interface TokenCache {
  /** The token stored under the key, or `undefined` when there is none (or it cannot be read). */
  get(key: string): Promise<CachedToken | undefined>;
  /** Stores the token under the key, replacing the one before. */
  set(key: string, token: CachedToken): Promise<void>;
  /** Forgets the key's token (after the server refused it); a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** Keeps tokens for the life of the process only. */
export class MemoryTokenCache implements TokenCache {
  readonly #entries = new Map<string, CachedToken>();

  async get(key: string): Promise<CachedToken | undefined> {
    const entry = this.#entries.get(key);
    return entry ? { ...entry } : undefined;
  }

  async set(key: string, token: CachedToken): Promise<void> {
    this.#entries.set(key, { ...token });
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }
}

interface CacheFile {
  version: 1;
  entries: Record<string, CachedToken>;
}

/**
 * A JSON file of tokens, readable and writable by the owner only (0600, in a 0700 directory when this
 * creates it). Writes go to a temporary file that is renamed over the old one, so a crash or a
 * concurrent writer never leaves a half-written file. A file that cannot be parsed is treated as
 * empty and replaced on the next write.
 */
export class FileTokenCache implements TokenCache {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async get(key: string): Promise<CachedToken | undefined> {
    return (await this.#read()).entries[key];
  }

  async set(key: string, token: CachedToken): Promise<void> {
    const file = await this.#read();
    file.entries[key] = token;
    await this.#write(file);
  }

  async delete(key: string): Promise<void> {
    const file = await this.#read();
    if (!(key in file.entries)) return;
    delete file.entries[key];
    await this.#write(file);
  }

  async #read(): Promise<CacheFile> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return { version: 1, entries: {} };
      throw error;
    }
    const entries: Record<string, CachedToken> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      const raw = typeof parsed === "object" && parsed !== null ? (parsed as { entries?: unknown }).entries : undefined;
      if (typeof raw === "object" && raw !== null) {
        for (const [key, value] of Object.entries(raw)) {
          const token = asCachedToken(value);
          if (token) entries[key] = token;
        }
      }
    } catch {
      // Unreadable content is no token at all; it is overwritten by the next successful login.
    }
    return { version: 1, entries };
  }

  async #write(file: CacheFile): Promise<void> {
    const dir = dirname(this.path);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`;
    const handle = await open(temp, "wx", 0o600);
    try {
      // The mode given to open is reduced by the umask; set it explicitly as well.
      await handle.chmod(0o600);
      await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`, "utf8");
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, this.path);
      await chmod(this.path, 0o600);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}

function asCachedToken(value: unknown): CachedToken | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v["accessToken"] !== "string" || typeof v["issuedAt"] !== "number") return undefined;
  const token: CachedToken = { accessToken: v["accessToken"], issuedAt: v["issuedAt"] };
  if (typeof v["refreshToken"] === "string") token.refreshToken = v["refreshToken"];
  if (typeof v["expiresAt"] === "number") token.expiresAt = v["expiresAt"];
  if (typeof v["headerName"] === "string") token.headerName = v["headerName"];
  return token;
}
