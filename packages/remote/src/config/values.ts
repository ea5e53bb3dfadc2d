/** Checking and converting one raw setting (from the file, the environment or code) into its typed value. */
import { join, resolve } from "node:path";
import { parseGoDuration } from "../duration.js";
import { ConfigError } from "../errors.js";
import { SecretValue } from "../redact.js";
import type { AuthType, Kind, Layer, SettingName, SettingOrigin, Settings } from "./types.js";

/** Every spelling flytectl and flytekit accept for each flow (compared case-insensitively). */
const AUTH_TYPE_ALIASES: Record<string, AuthType> = {
  clientsecret: "ClientSecret",
  client_credentials: "ClientSecret",
  basic: "ClientSecret",
  pkce: "Pkce",
  standard: "Pkce",
  deviceflow: "DeviceFlow",
  externalcommand: "ExternalCommand",
  external_process: "ExternalCommand",
};

export function convert(raw: unknown, kind: Kind, key: string, source: string, home: string): Settings[SettingName] {
  const fail = (expected: string): never => {
    // Never echo what was given for a secret, not even a malformed one.
    const got = kind === "secret" ? (raw === "" ? "an empty string" : `a ${typeof raw}`) : describe(raw);
    throw new ConfigError(key, source, `expected ${expected}, got ${got}`);
  };
  switch (kind) {
    case "string": {
      if (typeof raw !== "string") return fail("a string");
      const s = raw.trim();
      if (s === "") return fail("a non-empty string");
      return PATH_KEYS.test(key) ? expandHome(s, home) : s;
    }
    case "secret":
      if (raw instanceof SecretValue) return raw;
      if (typeof raw !== "string" || raw === "") return fail("a non-empty string");
      return new SecretValue(raw);
    case "boolean":
      return typeof raw === "boolean" ? raw : fail("true or false");
    case "strings":
      if (!Array.isArray(raw) || !raw.every((s) => typeof s === "string")) return fail("a list of strings");
      return [...(raw as string[])];
    case "duration": {
      const ms = typeof raw === "string" ? parseGoDuration(raw) : undefined;
      return ms === undefined ? fail('a duration such as "15s", "2m0s" or "500ms"') : ms;
    }
    case "millis":
      return typeof raw === "number" && Number.isFinite(raw) && raw >= 0 ? raw : fail("a number of milliseconds ≥ 0");
    case "count":
      return typeof raw === "number" && Number.isInteger(raw) && raw >= 0 ? raw : fail("a whole number ≥ 0");
    case "authType": {
      const found = typeof raw === "string" ? AUTH_TYPE_ALIASES[raw.trim().toLowerCase()] : undefined;
      return found ?? fail("one of ClientSecret, Pkce, DeviceFlow, ExternalCommand");
    }
  }
}

const PATH_KEYS = /(caCertFilePath|CA_CERT_FILE_PATH|clientSecretLocation|CLIENT_SECRET_LOCATION|tokenCachePath)$/;

export function set<K extends SettingName>(layer: Layer, name: K, value: Settings[SettingName], origin: SettingOrigin): void {
  (layer as Record<SettingName, { value: unknown; origin: SettingOrigin }>)[name] = { value, origin };
}

export function expandHome(path: string, home: string): string {
  if (path === "~") return home;
  if (path.startsWith("~/")) return join(home, path.slice(2));
  return resolve(path);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value instanceof SecretValue) return "a secret";
  if (typeof value === "string") return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return typeof value === "object" ? "a mapping" : `${typeof value} ${String(value)}`;
}
