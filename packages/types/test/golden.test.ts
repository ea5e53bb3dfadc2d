import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { fromLiteralMap, t, toLiteralMap } from "../src/index.js";
import { sharedDir } from "./shared.js";

/** The Python example (shared/golden/flytekit/types_example/source/types_example.py), declared in TypeScript. */
const Inner = z.object({ name: z.string(), weight: z.number().default(1.0) });
const Config = z.object({
  lr: z.number(),
  epochs: z.int(),
  tags: z.array(z.string()).default([]),
  inner: Inner.default({ name: "x", weight: 1.0 }),
  comment: z.string().nullable().default(null),
});
const inputs = {
  cfg: t.struct(Config, { title: "Config" }),
  color: t.enum(["red", "green", "blue"]),
  maybe: t.optional(t.int()),
  rows: t.list(t.map(t.float())),
  when: t.datetime(),
  span: t.duration(),
};
const outputs = {
  o0: inputs.cfg,
  o1: inputs.color,
  o2: inputs.maybe,
  o3: t.float(),
  o4: t.datetime(),
  o5: t.duration(),
};

const dir = join(sharedDir, "golden", "flytekit", "types_example");
const readMap = (path: string) => flyteidl.core.LiteralMap.decode(readFileSync(join(dir, path)));
const asJson = (map: flyteidl.core.LiteralMap.$Properties) =>
  toProtoJson(flyteidl.core.LiteralMap, flyteidl.core.LiteralMap.fromObject(map as { [k: string]: unknown }));

const HOUR = 3_600_000;

describe("flytekit's types_example, value for value", () => {
  it("writes the same inputs literal as flytekit (dataclass as msgpack, enum, Optional, nested collections, datetime, timedelta)", async () => {
    const ours = await toLiteralMap(inputs, {
      cfg: { lr: 0.5, epochs: 2, tags: ["x"], inner: { name: "n", weight: 2.0 }, comment: "c" },
      color: "blue",
      maybe: 7,
      rows: [{ a: 1.0, b: 2.5 }, { c: -1.25 }],
      when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
      span: HOUR + 30_000,
    });
    expect(asJson(ours)).toEqual(asJson(readMap("exec/typed_task/inputs.pb")));
  });

  it("reads flytekit's inputs back to the TypeScript values", async () => {
    const values = await fromLiteralMap(inputs, readMap("exec/typed_task/inputs.pb"));
    expect(values).toEqual({
      cfg: { lr: 0.5, epochs: 2, tags: ["x"], inner: { name: "n", weight: 2.0 }, comment: "c" },
      color: "blue",
      maybe: 7,
      rows: [{ a: 1.0, b: 2.5 }, { c: -1.25 }],
      when: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)),
      span: HOUR + 30_000,
    });
  });

  it("writes the same outputs literal as flytekit", async () => {
    const ours = await toLiteralMap(outputs, {
      o0: { lr: 0.5, epochs: 2, tags: ["x"], inner: { name: "n", weight: 2.0 }, comment: "c" },
      o1: "blue",
      o2: 7,
      o3: 2.25,
      o4: new Date(Date.UTC(2024, 0, 2, 4, 4, 35)),
      o5: 2 * HOUR + 60_000,
    });
    expect(asJson(ours)).toEqual(asJson(readMap("exec/typed_task/outputs.pb")));
  });

  it("handles the None / empty / defaults case the same way", async () => {
    const golden = readMap("exec/typed_task_none/inputs.pb");
    const values = await fromLiteralMap(inputs, golden);
    expect(values).toEqual({
      cfg: { lr: 0.1, epochs: 1, tags: [], inner: { name: "x", weight: 1.0 }, comment: null },
      color: "red",
      maybe: null,
      rows: [],
      // Python wrote 00:00:00.123456; a Date keeps milliseconds, so the microseconds are dropped on read.
      when: new Date(Date.UTC(2020, 1, 29, 0, 0, 0, 123)),
      span: 1500,
    });
    const ours = asJson(await toLiteralMap(inputs, { ...values, cfg: { lr: 0.1, epochs: 1 } as never })) as { literals: Record<string, unknown> };
    const theirs = asJson(golden) as { literals: Record<string, unknown> };
    // Everything but the datetime (see above) is byte-for-byte flytekit's — including the dataclass defaults
    // that the schema fills in before the msgpack is written.
    expect({ ...ours.literals, when: undefined }).toEqual({ ...theirs.literals, when: undefined });
  });

  it("declares the same interface types as flytekit, apart from the JSON schema text", () => {
    const spec = flyteidl.admin.TaskSpec.decode(readFileSync(join(dir, "package/0_examples.types_example.typed_task_1.pb")));
    const golden = spec.template?.interface?.inputs?.variables ?? {};
    for (const [name, descriptor] of Object.entries(inputs)) {
      const theirs = withoutSchemas(toProtoJson(flyteidl.core.LiteralType, flyteidl.core.LiteralType.fromObject(golden[name]?.type as { [k: string]: unknown })));
      const ours = withoutSchemas(toProtoJson(flyteidl.core.LiteralType, flyteidl.core.LiteralType.fromObject(descriptor.literalType as { [k: string]: unknown })));
      // The dataclass's JSON schema comes from mashumaro in Python and from zod here; what the schemas
      // describe is compared by compatibility tests instead.
      expect(ours, name).toEqual(theirs);
    }
  });
});

function withoutSchemas(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(withoutSchemas);
  if (typeof json !== "object" || json === null) return json;
  return Object.fromEntries(
    Object.entries(json)
      .filter(([k]) => k !== "metadata")
      .map(([k, v]) => [k, withoutSchemas(v)]),
  );
}

