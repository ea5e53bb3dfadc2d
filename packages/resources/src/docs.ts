import { flyteidl } from "@flytekit-ts/idl";
import { checkKnownKeys, isPlainObject, show, type ProblemList } from "./problems.js";

/** How the console should render a long description. */
export type DescriptionFormat = "rst" | "markdown" | "html" | "unknown";

/** Documentation shown in the Flyte console, as flytekit's `Documentation`. */
export interface TaskDocs {
  /** One line: what the task does. */
  readonly shortDescription?: string;
  /** The full text (mutually exclusive with `longDescriptionUri`). */
  readonly longDescription?: string;
  /** Where the full text lives instead, e.g. a link to a README. */
  readonly longDescriptionUri?: string;
  /** Format of the long description; default `"rst"`, as flytekit sends for docstrings. */
  readonly format?: DescriptionFormat;
  /** An icon for the console. */
  readonly iconLink?: string;
  /** A link to the task's source code. */
  readonly sourceCodeLink?: string;
}

/** `flyteidl.admin.DescriptionFormat`'s value names. Read when a description is built, not at import:
 * touching `flyteidl.admin` builds the whole admin package, which a task process never needs. */
const FORMAT_NAME: Readonly<Record<DescriptionFormat, keyof typeof flyteidl.admin.DescriptionFormat>> = {
  rst: "DESCRIPTION_FORMAT_RST",
  markdown: "DESCRIPTION_FORMAT_MARKDOWN",
  html: "DESCRIPTION_FORMAT_HTML",
  unknown: "DESCRIPTION_FORMAT_UNKNOWN",
};
const FIELDS = ["shortDescription", "longDescription", "longDescriptionUri", "format", "iconLink", "sourceCodeLink"] as const;

export function checkDocs(problems: ProblemList, path: string, docs: unknown): void {
  if (docs === undefined || typeof docs === "string") return;
  if (!isPlainObject(docs)) {
    problems.add(path, docs, `must be a short description or { shortDescription?, longDescription?, ... }, got ${show(docs)}`);
    return;
  }
  checkKnownKeys(problems, path, docs, FIELDS, "docs field");
  for (const field of FIELDS) {
    const value = docs[field];
    if (value !== undefined && typeof value !== "string") problems.add(`${path}.${field}`, value, `must be a string, got ${show(value)}`);
  }
  if (docs["longDescription"] !== undefined && docs["longDescriptionUri"] !== undefined) {
    problems.add(`${path}.longDescriptionUri`, docs["longDescriptionUri"], "cannot be combined with longDescription; give the text or a link to it");
  }
  const format = docs["format"];
  if (typeof format === "string" && !Object.hasOwn(FORMAT_NAME, format)) {
    problems.add(`${path}.format`, format, `${show(format)} must be one of "rst", "markdown", "html", "unknown"`);
  }
}

/**
 * The `DescriptionEntity` registered beside the template (`TaskSpec.description`). flytekit always
 * sends one, with a long description carrying at least the format, so this does too.
 */
export function descriptionMessage(docs: string | TaskDocs | undefined): flyteidl.admin.DescriptionEntity {
  const d: TaskDocs = typeof docs === "string" ? { shortDescription: docs } : (docs ?? {});
  return flyteidl.admin.DescriptionEntity.create({
    ...(d.shortDescription !== undefined ? { shortDescription: d.shortDescription } : {}),
    longDescription: flyteidl.admin.Description.create({
      ...(d.longDescription !== undefined ? { value: d.longDescription } : {}),
      ...(d.longDescriptionUri !== undefined ? { uri: d.longDescriptionUri } : {}),
      format: flyteidl.admin.DescriptionFormat[FORMAT_NAME[d.format ?? "rst"]],
      ...(d.iconLink !== undefined ? { iconLink: d.iconLink } : {}),
    }),
    ...(d.sourceCodeLink !== undefined ? { sourceCode: flyteidl.admin.SourceCode.create({ link: d.sourceCodeLink }) } : {}),
  });
}
