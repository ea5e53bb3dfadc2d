/** The file Flyte looks for in an attempt's output prefix (flytekit's `DECK_FILE_NAME`). */
export const DECK_FILE_NAME = "deck.html";

type Part = { readonly kind: "html"; readonly html: string } | { readonly kind: "markdown"; readonly text: string };

/** A table row: column name → cell value. */
export type TableRow = Readonly<Record<string, unknown>>;

/** `&`, `<`, `>`, `"` and `'` as entities: text put into HTML stays text. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A cell's text: strings as they are, everything else as JSON (bigints and dates readable). */
function cellText(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === undefined) return "";
  if (value instanceof Date) return value.toISOString();
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * One tab of a task's Flyte Deck (flytekit's `Deck`): HTML built from parts added in order. Markdown is
 * rendered with markdown-it, with raw HTML in it escaped; table cells and names are escaped; `html()`
 * is taken as it is — it is your HTML.
 */
export class Deck {
  private readonly parts: Part[] = [];

  constructor(readonly name: string) {
    if (typeof name !== "string" || name.trim() === "") throw new TypeError(`a deck's name must be a non-empty string, got ${JSON.stringify(name)}`);
  }

  /** Markdown text (CommonMark), rendered when the deck is written. */
  markdown(text: string): this {
    if (typeof text !== "string") throw new TypeError(`deck "${this.name}": markdown() takes a string, got ${typeof text}`);
    this.parts.push({ kind: "markdown", text });
    return this;
  }

  /** Raw HTML, added unescaped. */
  html(html: string): this {
    if (typeof html !== "string") throw new TypeError(`deck "${this.name}": html() takes a string, got ${typeof html}`);
    this.parts.push({ kind: "html", html });
    return this;
  }

  /** Plain text, escaped, in a `<pre>` block. */
  text(text: string): this {
    return this.html(`<pre>${escapeHtml(String(text))}</pre>`);
  }

  /**
   * A table of rows; the columns are `options.columns`, or every key of the rows in first-seen order.
   * Cells are strings as they are and other values as JSON, all escaped.
   */
  table(rows: readonly TableRow[], options: { columns?: readonly string[]; caption?: string } = {}): this {
    if (!Array.isArray(rows)) throw new TypeError(`deck "${this.name}": table() takes a list of row objects, got ${typeof rows}`);
    const columns = options.columns ?? [...new Set(rows.flatMap((row) => Object.keys(row)))];
    const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
    const body = rows.map((row) => `<tr>${columns.map((c) => `<td>${escapeHtml(cellText(row[c]))}</td>`).join("")}</tr>`).join("");
    const caption = options.caption === undefined ? "" : `<caption>${escapeHtml(options.caption)}</caption>`;
    return this.html(`<table class="flyte-ts-table">${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`);
  }

  /** Whether nothing was added. */
  get isEmpty(): boolean {
    return this.parts.length === 0;
  }

  /** The deck's HTML (markdown rendered). */
  async render(): Promise<string> {
    const markdown = this.parts.some((p) => p.kind === "markdown") ? await markdownRenderer() : undefined;
    return this.parts.map((p) => (p.kind === "html" ? p.html : (markdown as (text: string) => string)(p.text))).join("\n");
  }
}

let renderer: Promise<(text: string) => string> | undefined;

/** markdown-it, loaded the first time a deck has markdown (so tasks without decks never load it). */
function markdownRenderer(): Promise<(text: string) => string> {
  renderer ??= import("markdown-it").then(({ default: MarkdownIt }) => {
    // html: false escapes raw HTML written in the markdown; markdown-it also refuses javascript: links.
    const md = new MarkdownIt({ html: false, linkify: true });
    return (text: string) => md.render(text);
  });
  return renderer;
}

/**
 * The deck file: one tab per deck, in order, the first shown. Tab names are escaped; deck bodies are
 * the decks' HTML. Self-contained (no external fonts or scripts), so it renders wherever it is opened.
 */
export async function renderDeckPage(decks: readonly Deck[]): Promise<string> {
  const bodies = await Promise.all(decks.map((d) => d.render()));
  const tabs = decks.map((d, i) => `<li data-tab="${i}"${i === 0 ? ' class="active"' : ""}>${escapeHtml(d.name)}</li>`).join("");
  const panes = bodies.map((html, i) => `<section data-tab="${i}"${i === 0 ? ' class="active"' : ""}>${html}</section>`).join("\n");
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Flyte Deck</title>
<style>
body { font-family: system-ui, sans-serif; margin: 0; color: #222; }
nav ul { display: flex; gap: 4px; justify-content: center; list-style: none; margin: 0; padding: 0; border-bottom: 1px solid #ddd; }
nav li { cursor: pointer; padding: 8px 16px; font-weight: 600; color: #666; }
nav li.active { color: #222; border-bottom: 3px solid #7a2cff; }
main > section { display: none; padding: 1.5rem 2rem; }
main > section.active { display: block; }
table.flyte-ts-table { border-collapse: collapse; }
table.flyte-ts-table th, table.flyte-ts-table td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; }
</style>
</head>
<body>
<nav><ul>${tabs}</ul></nav>
<main>
${panes}
</main>
<script>
document.querySelectorAll("nav li").forEach(function (tab) {
  tab.addEventListener("click", function () {
    document.querySelectorAll("[data-tab]").forEach(function (e) { e.classList.toggle("active", e.getAttribute("data-tab") === tab.getAttribute("data-tab")); });
  });
});
</script>
</body>
</html>
`;
}
