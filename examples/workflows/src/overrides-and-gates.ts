/**
 * Node-level overrides (resources, retries, timeout, interruptible, cache, names, pod template,
 * accelerator, image), explicit ordering and gate nodes (sleep, approve, wait for a signal), in a
 * workflow and in a dynamic workflow.
 */
import { T4, approve, dynamic, runsBefore, sleep, t, task, waitForInput, withOverrides, workflow } from "flytekit-ts";

const M = "examples.overrides";

export const train = task(
  { name: `${M}.train`, inputs: { data: t.string(), epochs: t.int() }, outputs: { o0: t.string() }, requests: { cpu: "1", memory: "1Gi" }, retries: 1 },
  ({ data, epochs }) => ({ o0: `model(${data}, ${epochs})` }),
);
export const report = task({ name: `${M}.report`, inputs: { model: t.string(), title: t.string() }, outputs: { o0: t.string() } }, ({ model, title }) => ({
  o0: `${title}: ${model}`,
}));
export const publish = task({ name: `${M}.publish`, inputs: { report: t.string() } }, ({ report }) => {
  console.log(report);
  return {};
});

export const trainAndPublish = workflow({ name: `${M}.train_and_publish`, inputs: { data: t.string() }, outputs: { o0: t.string() } }, ({ data }) => {
  const model = withOverrides(train({ data, epochs: 10 }), {
    nodeName: "Train_Big_Model",
    name: "train-big",
    requests: { cpu: "4", memory: "16Gi", gpu: 1 },
    limits: { memory: "16Gi" },
    accelerator: T4,
    retries: 3,
    timeout: { hours: 2 },
    interruptible: true,
    cache: { version: "1.0" },
    containerImage: "ghcr.io/acme/trainer:v2",
  }).o0;
  const title = waitForInput("report-title", t.string(), { timeout: { hours: 1 } });
  const draft = report({ model, title }).o0;
  const approved = approve(draft, "approve-report", { timeout: { hours: 4 } });
  const pause = sleep({ minutes: 5 });
  const published = publish({ report: approved });
  runsBefore(pause, published);
  return { o0: approved };
});

/** The same language inside a dynamic: overrides per node, a gate, ordering. */
export const trainEach = dynamic({ name: `${M}.train_each`, inputs: { datasets: t.list(t.string()) }, outputs: { o0: t.list(t.string()) } }, ({ datasets }) => {
  const pause = sleep(30);
  const models = datasets.map((data, i) => {
    const trained = withOverrides(train({ data, epochs: i + 1 }), { retries: 5, requests: { memory: "2Gi" }, nodeName: `train-${i}` });
    runsBefore(pause, trained);
    return trained.o0;
  });
  return { o0: models };
});
