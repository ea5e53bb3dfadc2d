import type { Command } from "commander";

/** How a command reaches FlyteAdmin: flytectl's config file and FLYTE_* variables, overridden by flags. */
export interface ConnectionOptions {
  endpoint?: string;
  insecure?: boolean;
  config?: string;
  project?: string;
  domain?: string;
}

export const DEFAULT_PROJECT = "flytesnacks";
export const DEFAULT_DOMAIN = "development";

/** The flags every command that talks to FlyteAdmin takes (kept free of imports, so the CLI starts fast). */
export function withConnectionOptions(command: Command): Command {
  return command
    .option("--project <project>", "project", DEFAULT_PROJECT)
    .option("--domain <domain>", "domain", DEFAULT_DOMAIN)
    .option("--endpoint <endpoint>", "FlyteAdmin's endpoint (default: admin.endpoint of the config file, or FLYTE_PLATFORM_URL)")
    .option("--insecure", "plaintext gRPC (no TLS)")
    .option("--config <file>", "flytectl's config file (default: $FLYTECTL_CONFIG or ~/.flyte/config.yaml)");
}
