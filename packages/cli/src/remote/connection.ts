import { FlyteRemote, type AdminClient, type HttpFetch, type LogEvent } from "@flytekit-ts/remote";
import { DEFAULT_DOMAIN, DEFAULT_PROJECT, type ConnectionOptions } from "./options.js";

export type { ConnectionOptions } from "./options.js";

/** For tests and embedding: a client (and signed-URL fetch) to use instead of building one from flags. */
export interface RemoteHooks {
  adminClient?: AdminClient;
  fetch?: HttpFetch;
}

/**
 * A remote from the command's flags and flytectl's config. `warn` shows the configuration's warnings
 * (keys it ignores or does not know), so that a setting that does not apply is never silent.
 */
export function openRemote(options: ConnectionOptions, hooks: RemoteHooks = {}, warn?: (line: string) => void): FlyteRemote {
  return new FlyteRemote({
    ...(hooks.adminClient
      ? { adminClient: hooks.adminClient }
      : {
          client: {
            ...(options.endpoint ? { endpoint: options.endpoint } : {}),
            ...(options.insecure ? { insecure: true } : {}),
            ...(options.config ? { configFile: options.config } : {}),
            ...(warn ? { logger: (event: LogEvent) => (event.level === "warn" ? warn(`warning: ${event.message}`) : undefined) } : {}),
          },
        }),
    project: options.project ?? DEFAULT_PROJECT,
    domain: options.domain ?? DEFAULT_DOMAIN,
    ...(hooks.fetch ? { fetch: hooks.fetch } : {}),
  });
}
