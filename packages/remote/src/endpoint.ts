/** Where FlyteAdmin's gRPC API is, parsed from any of the spellings flytectl and flytekit accept. */
export interface Endpoint {
  /** Host name or IP address (IPv6 without brackets). */
  host: string;
  port: number;
  /** What grpc-js dials: `dns:///host:port` (brackets around IPv6). */
  target: string;
  /** The endpoint as it was configured, for messages. */
  original: string;
  /** `true` for `https://`, `false` for `http://`, `undefined` when the spelling does not say. */
  tlsFromScheme: boolean | undefined;
}

const DEFAULT_PORT = 443;

/**
 * Parses `dns:///host:port`, `host:port`, `host`, `https://host[:port]`, `http://host:port` and IPv6
 * forms (`[::1]:8089`). A host without a port gets 443, as gRPC itself assumes. Returns the problem as a
 * string when the text is not an endpoint, so the caller can name the setting it came from.
 */
export function parseEndpoint(text: string): Endpoint | string {
  const original = text;
  let rest = text.trim();
  if (rest === "") return "is empty";
  let tlsFromScheme: boolean | undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(rest)?.[1]?.toLowerCase();
  if (scheme === "dns") {
    // dns:///host:port, or dns://authority/host:port (the DNS server part is not supported by grpc-js).
    const m = /^dns:(?:\/\/([^/]*))?\/?(.*)$/i.exec(rest);
    if (m?.[1]) return `names a DNS server ("${m[1]}"), which is not supported; use dns:///host:port`;
    rest = m?.[2] ?? "";
  } else if (scheme === "http" || scheme === "https") {
    let url: URL;
    try {
      url = new URL(rest);
    } catch {
      return `"${text}" is not a valid URL`;
    }
    if (url.pathname !== "/" && url.pathname !== "") return `"${text}" has a path; gRPC endpoints are host[:port] only`;
    if (url.search || url.hash) return `"${text}" has a query or fragment; gRPC endpoints are host[:port] only`;
    tlsFromScheme = scheme === "https";
    const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
    const port = url.port ? Number(url.port) : scheme === "https" ? 443 : 80;
    return build(host, port, original, tlsFromScheme);
  } else if (scheme !== undefined && !/^[^:]+:\d*$/.test(rest) && !rest.startsWith("[")) {
    return `has an unsupported scheme "${scheme}:"; use dns:///host:port, host:port or https://host`;
  }
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:/[\]\s]+))(?::(\d*))?$/.exec(rest);
  if (!m) return `"${text}" is not host[:port]`;
  const host = m[1] ?? m[2] ?? "";
  if (m[3] === "") return `"${text}" has an empty port`;
  const port = m[3] === undefined ? DEFAULT_PORT : Number(m[3]);
  return build(host, port, original, tlsFromScheme);
}

function build(host: string, port: number, original: string, tlsFromScheme: boolean | undefined): Endpoint | string {
  if (!host) return `"${original}" has no host`;
  if (!Number.isInteger(port) || port < 1 || port > 65535) return `"${original}" has port ${port}, outside 1-65535`;
  const hostPart = host.includes(":") ? `[${host}]` : host;
  return { host, port, target: `dns:///${hostPart}:${port}`, original, tlsFromScheme };
}

/** True for names and addresses that never leave the machine. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d+\.\d+\.\d+$/.test(h);
}
