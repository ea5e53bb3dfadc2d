import { describe, expectTypeOf, it } from "vitest";
import { z } from "zod";
import { fromLiteralMap, t, toLiteralMap, type Infer, type InferValues, type TypeDescriptor } from "../src/index.js";

describe("inference from descriptors", () => {
  it("gives each built-in its TypeScript type", () => {
    expectTypeOf<Infer<ReturnType<typeof t.int>>>().toEqualTypeOf<number>();
    expectTypeOf<Infer<ReturnType<typeof t.int64>>>().toEqualTypeOf<bigint>();
    expectTypeOf<Infer<ReturnType<typeof t.datetime>>>().toEqualTypeOf<Date>();
    expectTypeOf<Infer<ReturnType<typeof t.none>>>().toEqualTypeOf<null>();
    expectTypeOf<Infer<ReturnType<typeof t.bytes>>>().toEqualTypeOf<Uint8Array>();
  });

  it("composes through containers, enums, optionals and unions", () => {
    const rows = t.list(t.map(t.float()));
    expectTypeOf<Infer<typeof rows>>().toEqualTypeOf<Record<string, number>[]>();
    const color = t.enum(["red", "green"]);
    expectTypeOf<Infer<typeof color>>().toEqualTypeOf<"red" | "green">();
    expectTypeOf<Infer<ReturnType<typeof t.optional<string>>>>().toEqualTypeOf<string | null>();
    const u = t.union(t.int(), t.string(), t.list(t.boolean()));
    expectTypeOf<Infer<typeof u>>().toEqualTypeOf<number | string | boolean[]>();
  });

  it("takes a struct's type from its schema's output", () => {
    const cfg = t.struct(z.object({ lr: z.number(), tags: z.array(z.string()).default([]) }));
    expectTypeOf<Infer<typeof cfg>>().toEqualTypeOf<{ lr: number; tags: string[] }>();
  });

  it("types literal maps by their variables, refusing wrong values at compile time", async () => {
    const inputs = { a: t.int(), b: t.optional(t.string()) };
    expectTypeOf<InferValues<typeof inputs>>().toEqualTypeOf<{ a: number; b: string | null }>();
    // @ts-expect-error: a must be a number
    void toLiteralMap(inputs, { a: "1", b: null });
    expectTypeOf(await fromLiteralMap(inputs, { literals: {} })).toEqualTypeOf<{ a: number; b: string | null }>();
  });

  it("makes descriptors Standard Schemas", () => {
    expectTypeOf(t.int()).toMatchTypeOf<TypeDescriptor<number>>();
    expectTypeOf(t.int()["~standard"].version).toEqualTypeOf<1>();
  });
});
