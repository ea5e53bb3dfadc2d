/**
 * The TypeScript half of the mixed workflow (python/e2e_mixed/flow.py): a task the Python workflow
 * calls by reference, between two Python tasks. It takes flytekit's `Summary` dataclass.
 */
import { z } from "zod";
import { t, task } from "flytekit-ts";

/** flytekit's `Summary` dataclass, declared with the same fields. */
export const Summary = t.struct(z.object({ name: z.string(), total: z.number(), count: z.int() }), { title: "Summary" });

export const grade = task({ name: "e2e.mixed.grade", inputs: { s: Summary }, outputs: { o0: t.string(), o1: t.int() } }, ({ s }) => {
  const mean = s.count ? s.total / s.count : 0;
  return { o0: `${s.name}: ${mean >= 8 ? "A" : mean >= 5 ? "B" : "C"}`, o1: s.count };
});
