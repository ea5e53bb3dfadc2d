import { describe, expect, it } from "vitest";
import { z } from "zod";
import { t, guessType, fromLiteral, toLiteral, UnknownLiteralTypeError } from "../src/index.js";

describe("guessing a descriptor from a literal type", () => {
  it("rebuilds built-in shapes", async () => {
    const original = t.map(t.list(t.optional(t.enum(["a", "b"]))));
    const guessed = guessType(original.literalType);
    expect(guessed.name).toBe(original.name);
    const value = { k: ["a", null] };
    expect(await fromLiteral(guessed, await toLiteral(original, value as never))).toEqual(value);
  });

  it("prefers the caller's candidates, and otherwise reads STRUCT as untyped JSON", async () => {
    const Point = t.struct(z.object({ x: z.number(), y: z.number() }), { title: "Point" });
    expect(guessType(Point.literalType, [Point])).toBe(Point);
    expect(guessType(t.list(Point).literalType, [Point]).name).toBe("list<struct<Point>>");
    expect(guessType(Point.literalType).name).toBe("dict");
  });

  it("knows files, directories, datasets and bytes", () => {
    expect(guessType(t.file({ format: "csv" }).literalType).name).toBe("file<csv>");
    expect(guessType(t.directory().literalType).name).toBe("directory");
    expect(guessType(t.structuredDataset({ format: "parquet" }).literalType).name).toBe("structured-dataset<parquet>");
    expect(guessType(t.bytes().literalType).name).toBe("bytes");
  });

  it("says so when nothing can read the type", () => {
    expect(() => guessType({ simple: 8 })).toThrow(UnknownLiteralTypeError);
    expect(() => guessType({ simple: 8 })).toThrow(/no descriptor can read literal type error/);
  });
});
