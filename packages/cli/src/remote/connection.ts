import { FlyteRemote, type AdminClient, type HttpFetch } from "@flytekit-ts/remote";
import { DEFAULT_DOMAIN, DEFAULT_PROJECT, type ConnectionOptions } from "./options.js";

export type { ConnectionOptions } from "./options.js";

/** For tests and embedding: a client (and signed-URL fetch) to use instead of building one from flags. */
export interface RemoteHooks {
  adminClient?: AdminClient;
  fetch?: HttpFetch;
}

export function openRemote(options: ConnectionOptions, hooks: RemoteHooks = {}): FlyteRemote {
  return new FlyteRemote({
    ...(hooks.adminClient
      ? { adminClient: hooks.adminClient }
      : {
          client: {
            ...(options.endpoint ? { endpoint: options.endpoint } : {}),
            ...(options.insecure ? { insecure: true } : {}),
            ...(options.config ? { configFile: options.config } : {}),
          },
        }),
    project: options.project ?? DEFAULT_PROJECT,
    domain: options.domain ?? DEFAULT_DOMAIN,
    ...(hooks.fetch ? { fetch: hooks.fetch } : {}),
  });
}
