/**
 * References to entities already registered on a cluster, called as nodes in a workflow and in a
 * dynamic workflow. A dynamic must embed the template of every task it calls, so a reference task
 * called there carries its template (here written out; in practice fetched with the remote client).
 */
import { dynamic, referenceLaunchPlan, referenceTask, t, workflow } from "flytekit-ts";

const id = (name: string) => ({ project: "flytesnacks", domain: "development", name, version: "v42" });

export const normalize = referenceTask(id("core.flyte_basics.files.normalize_columns"), { csv_url: t.string(), column_names: t.list(t.string()) }, { o0: t.string() });

export const greetLp = referenceLaunchPlan(id("core.flyte_basics.lp.go_greet"), { day_of_week: t.string(), number: t.int(), am: t.boolean() }, { o0: t.string() });

export const usesReferences = workflow(
  { name: "examples.references.uses_references", inputs: { url: t.string() }, outputs: { o0: t.string(), o1: t.string() } },
  ({ url }) => ({
    o0: normalize({ csv_url: url, column_names: ["a", "b"] }).o0,
    o1: greetLp({ day_of_week: "Friday", number: 1, am: true }).o0,
  }),
);

/** The same task, with the template a dynamic needs to embed it. */
export const normalizeWithTemplate = referenceTask(
  id("core.flyte_basics.files.normalize_columns"),
  { csv_url: t.string(), column_names: t.list(t.string()) },
  { o0: t.string() },
  {
    template: {
      id: { resourceType: 1, ...id("core.flyte_basics.files.normalize_columns") },
      type: "python-task",
      metadata: { runtime: { type: 1, version: "1.16.24", flavor: "python" }, retries: {} },
      interface: {
        inputs: { variables: { csv_url: { type: { simple: 3 }, description: "csv_url" }, column_names: { type: { collectionType: { simple: 3 } }, description: "column_names" } } },
        outputs: { variables: { o0: { type: { simple: 3 }, description: "o0" } } },
      },
      container: { image: "ghcr.io/flyteorg/flytekit:py3.11-1.16.24", args: ["pyflyte-execute", "--inputs", "{{.input}}"] },
    },
  },
);

export const referencesInDynamic = dynamic(
  { name: "examples.references.references_in_dynamic", inputs: { urls: t.list(t.string()) }, outputs: { o0: t.list(t.string()), o1: t.string() } },
  ({ urls }) => ({
    o0: urls.map((csv_url) => normalizeWithTemplate({ csv_url, column_names: ["a"] }).o0),
    o1: greetLp({ day_of_week: "Monday", number: urls.length, am: false }).o0,
  }),
);
