/**
 * A person at a browser, logging in to Dex: follows redirects (keeping cookies), enters the device
 * flow's user code, fills Dex's password form with the static user, and presses "Grant Access" on the
 * approval page. Plain HTTP against Dex's own pages, so what the test exercises is Dex's real login.
 */
export interface DexUser {
  login: string;
  password: string;
}

export interface BrowsedPage {
  url: string;
  status: number;
  body: string;
  /** Every URL visited, in order (for failure messages). */
  trail: string[];
}

interface Form {
  action: string | undefined;
  fields: Record<string, string>;
}

const MAX_STEPS = 20;

/**
 * Opens `url` and works through Dex's pages until one asks nothing more (the device flow's "Login
 * Successful" page, or the page a redirect outside Dex leads to, e.g. a PKCE client's loopback
 * callback). `userCode` fills the device page's form when Dex shows it.
 */
export async function browseAndApprove(url: string, user: DexUser, userCode?: string): Promise<BrowsedPage> {
  const cookies = new Map<string, string>();
  const trail: string[] = [];
  let request: { url: string; method: "GET" | "POST"; form?: Record<string, string> } = { url, method: "GET" };
  for (let step = 0; step < MAX_STEPS; step++) {
    trail.push(`${request.method} ${request.url}`);
    const response = await fetch(request.url, {
      method: request.method,
      redirect: "manual",
      headers: {
        ...(cookies.size ? { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join("; ") } : {}),
        ...(request.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(request.form ? { body: new URLSearchParams(request.form).toString() } : {}),
      signal: AbortSignal.timeout(60_000),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair?.indexOf("=") ?? -1;
      if (pair && eq > 0) cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const body = await response.text();
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      request = { url: new URL(location, request.url).toString(), method: "GET" };
      continue;
    }
    const page: BrowsedPage = { url: request.url, status: response.status, body, trail };
    if (response.status !== 200 || !isHtml(response)) return page;
    const next = nextForm(forms(body), user, userCode);
    if (!next) return page;
    request = { url: new URL(next.action ?? request.url, request.url).toString(), method: "POST", form: next.fields };
  }
  throw new Error(`no end after ${MAX_STEPS} pages: ${trail.join(" → ")}`);
}

function isHtml(response: Response): boolean {
  return (response.headers.get("content-type") ?? "").includes("text/html");
}

/** The form a person fills next: the user code, the login, or the approval (never "Cancel"). */
function nextForm(all: Form[], user: DexUser, userCode: string | undefined): Form | undefined {
  const code = all.find((f) => "user_code" in f.fields);
  if (code) {
    if (userCode === undefined) throw new Error("Dex asks for a user code, and none was given");
    return { action: code.action, fields: { ...code.fields, user_code: userCode } };
  }
  const login = all.find((f) => "password" in f.fields && "login" in f.fields);
  if (login) return { action: login.action, fields: { ...login.fields, login: user.login, password: user.password } };
  return all.find((f) => f.fields["approval"] === "approve");
}

/** The forms of a page, with the names and values of their inputs (enough for Dex's templates). */
export function forms(html: string): Form[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)].map(([, attributes = "", inner = ""]) => {
    const fields: Record<string, string> = {};
    for (const [, input = ""] of inner.matchAll(/<input\b([^>]*)>/gi)) {
      const name = attribute(input, "name");
      if (name === undefined) continue;
      const type = attribute(input, "type");
      if (type === "checkbox" && !/\schecked\b/i.test(input)) continue;
      fields[name] = attribute(input, "value") ?? "";
    }
    return { action: attribute(attributes, "action"), fields };
  });
}

function attribute(tag: string, name: string): string | undefined {
  const match = new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`, "i").exec(tag);
  const raw = match?.[1] ?? match?.[2];
  return raw === undefined ? undefined : decodeEntities(raw);
}

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const lower = entity.toLowerCase();
    if (lower.startsWith("#x")) return String.fromCodePoint(parseInt(lower.slice(2), 16));
    if (lower.startsWith("#")) return String.fromCodePoint(parseInt(lower.slice(1), 10));
    return { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" }[lower] ?? "";
  });
}
