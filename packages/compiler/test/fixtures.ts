import { z } from "zod";
import { t } from "@flytekit-ts/types";
import { dynamic, serializationContext, task, workflow, type AnyEntity, type Ref } from "../src/index.js";

export const ctx = serializationContext({
  project: "p",
  domain: "development",
  version: "v1",
  image: "ghcr.io/acme/app:v1",
  locate: (e: AnyEntity) => ({ module: "dist/flows.js", name: e.name }),
});

export const add = task({ name: "flows.add", inputs: { a: t.int(), b: t.int() }, outputs: { o0: t.int() } }, ({ a, b }) => ({ o0: a + b }));
export const show = task({ name: "flows.show", inputs: { x: t.int() }, outputs: { o0: t.string() } }, ({ x }) => ({ o0: String(x) }));
export const total = task({ name: "flows.total", inputs: { xs: t.list(t.int()) }, outputs: { o0: t.int() } }, ({ xs }) => ({ o0: xs.reduce((s, x) => s + x, 0) }));

export const Stats = z.object({ count: z.int(), mean: z.number(), tags: z.array(z.string()) });
export const stats = task(
  { name: "flows.stats", inputs: { xs: t.list(t.int()) }, outputs: { o0: t.struct(Stats, { title: "Stats" }) } },
  ({ xs }) => ({ o0: { count: xs.length, mean: xs.reduce((s, x) => s + x, 0) / Math.max(xs.length, 1), tags: [] } }),
);

export const inner = workflow({ name: "flows.inner", inputs: { a: t.int() }, outputs: { o0: t.int() } }, ({ a }) => ({ o0: add({ a, b: 1 }).o0 }));

export const outer = workflow({ name: "flows.outer", inputs: { a: t.int() }, outputs: { o0: t.string() } }, ({ a }) => {
  const doubled = inner({ a }).o0;
  return { o0: show({ x: doubled }).o0 };
});

export const fan = dynamic({ name: "flows.fan", inputs: { n: t.int() }, outputs: { o0: t.int() } }, ({ n }) => {
  const parts: Ref<number>[] = [];
  for (let i = 0; i < n; i++) parts.push(add({ a: i, b: i }).o0);
  return { o0: total({ xs: parts }).o0 };
});
