import { randomBytes } from "node:crypto";
import {
  LiteralTypeError,
  ValueTypeError,
  defineType,
  describeValue,
  issuesOf,
  type TypeDescriptor,
} from "@flytekit-ts/types";

/** Blob format this plugin declares, so only JSON Lines producers bind to its consumers. */
export const JSONL_FORMAT = "jsonl";

/**
 * Records of one type kept as a JSON Lines file: a list too large to travel inline becomes a file in
 * the raw output location, and tasks exchange its URI. Written and read through the context's
 * storage, so it works on a laptop and on a cluster alike.
 */
export function jsonLines<T>(record: TypeDescriptor<T>): TypeDescriptor<T[]> {
  return defineType<T[]>({
    name: `jsonl<${record.name}>`,
    tag: "JsonLines",
    literalType: { blob: { format: JSONL_FORMAT, dimensionality: 0 } },
    check(value, path, issues) {
      if (!Array.isArray(value)) {
        issues.push({ path, expected: `a list of ${record.name}`, got: describeValue(value) });
        return;
      }
      value.forEach((item, i) => record.check(item, [...path, i], issues));
    },
    async toLiteral(value, ctx) {
      const issues = Array.isArray(value) ? value.flatMap((item, i) => issuesOf(record, item).map((x) => ({ ...x, path: [i, ...x.path] }))) : [];
      if (!Array.isArray(value)) issues.push({ path: [], expected: `a list of ${record.name}`, got: describeValue(value) });
      if (issues.length) throw new ValueTypeError(issues);
      const uri = `${ctx.rawOutputPrefix.replace(/\/+$/, "")}/${randomBytes(16).toString("hex")}.jsonl`;
      const text = value.map((item) => JSON.stringify(item)).join("\n");
      await ctx.storage.write(uri, new TextEncoder().encode(text.length ? `${text}\n` : ""));
      return { scalar: { blob: { uri, metadata: { type: { format: JSONL_FORMAT, dimensionality: 0 } } } } };
    },
    async fromLiteral(literal, ctx) {
      const uri = literal.scalar?.blob?.uri;
      if (!uri) throw new LiteralTypeError("expected a JSON Lines blob literal");
      const lines = new TextDecoder().decode(await ctx.storage.read(uri)).split("\n").filter((l) => l.trim() !== "");
      return lines.map((line, i) => {
        const item: unknown = JSON.parse(line);
        const issues = issuesOf(record, item);
        if (issues.length) throw new LiteralTypeError(`${uri} line ${i + 1} does not fit ${record.name}: ${issues[0]?.expected ?? ""}`);
        return item as T;
      });
    },
  });
}
