/**
 * Configuration as flytectl and flytekit take it: the YAML file, then `FLYTE_*` variables, then code.
 * The parts live in ./config/: types, file, sources (environment and options), values, resolve.
 */
import { homedir } from "node:os";
import { findConfigFile, readConfigFile } from "./config/file.js";
import { resolveSettings } from "./config/resolve.js";
import { readEnv, readOptions } from "./config/sources.js";
import type { Layer, LoadConfigOptions, RemoteConfig } from "./config/types.js";

export type { AuthType, ConfigInput, LoadConfigOptions, RemoteConfig, SettingName, SettingOrigin } from "./config/types.js";
export { DEFAULT_TOKEN_CACHE_FILE } from "./config/resolve.js";

/**
 * Loads the configuration: flytectl's YAML file (the `admin` section), then `FLYTE_*` environment
 * variables over it, then the options over both. Throws `ConfigError` naming the key and where it came
 * from for anything missing, malformed or contradictory. Reads no secret files: those are read when a
 * token is first needed.
 */
export function loadConfig(options: LoadConfigOptions = {}): RemoteConfig {
  const env = options.env ?? process.env;
  const home = options.homeDir ?? homedir();
  const warn = (message: string) => options.logger?.({ level: "warn", message });

  const configFile = findConfigFile(options.configFile, env, home);
  const fileLayer = configFile ? readConfigFile(configFile, home, warn) : {};
  const envLayer = readEnv(env, home);
  const optionLayer = readOptions(options, home);
  const merged: Layer = { ...fileLayer, ...envLayer, ...optionLayer };

  return resolveSettings(merged, configFile, env, home, warn);
}
