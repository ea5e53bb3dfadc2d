/**
 * A workflow mixing TypeScript and Python tasks: TypeScript parses the scores, the Python task
 * `mixed_lang.tasks.summarize` (python/mixed_lang/tasks.py, flytekit) summarizes them into a
 * dataclass, TypeScript grades the summary, and Python doubles its count. The Python tasks are
 * references (registered by `pyflyte register` on a cluster); in a local run with the `python` option
 * (`runLocally(mixedWf, inputs, { python: { sourceRoot: "python", venv } })`) they are executed by the
 * real pyflyte-execute, their outputs feeding the TypeScript tasks and back.
 */
import { z } from "zod";
import { referenceTask, t, task, workflow } from "flytekit-ts";

const M = "examples.mixed_language";
const python = (name: string) => ({ project: "flytesnacks", domain: "development", name, version: "v1" });

/** flytekit's `Summary` dataclass, declared with the same fields. */
export const Summary = t.struct(z.object({ name: z.string(), total: z.number(), count: z.int() }), { title: "Summary" });

export const summarize = referenceTask(python("mixed_lang.tasks.summarize"), { name: t.string(), scores: t.list(t.float()) }, { o0: Summary });
export const double = referenceTask(python("mixed_lang.tasks.double"), { x: t.int() }, { o0: t.int() });

export const parseScores = task({ name: `${M}.parse_scores`, inputs: { csv: t.string() }, outputs: { o0: t.list(t.float()) } }, ({ csv }) => ({
  o0: csv.split(",").map((s) => Number(s.trim())),
}));

export const grade = task({ name: `${M}.grade`, inputs: { s: Summary }, outputs: { o0: t.string(), o1: t.int() } }, ({ s }) => {
  const mean = s.count ? s.total / s.count : 0;
  return { o0: `${s.name}: ${mean >= 8 ? "A" : mean >= 5 ? "B" : "C"}`, o1: s.count };
});

export const mixedWf = workflow(
  { name: `${M}.mixed_wf`, inputs: { name: t.string(), csv: t.string() }, outputs: { grade: t.string(), doubled: t.int(), summary: Summary } },
  ({ name, csv }) => {
    const summary = summarize({ name, scores: parseScores({ csv }).o0 }).o0;
    const graded = grade({ s: summary });
    return { grade: graded.o0, doubled: double({ x: graded.o1 }).o0, summary };
  },
);
