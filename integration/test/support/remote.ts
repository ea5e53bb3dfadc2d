import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { randomBytes } from "node:crypto";
import { launchPlan, t, task, workflow } from "flytekit-ts";
import { registrationBundle, serializationContext, type BundleEntry } from "@flytekit-ts/compiler";
import { findEntities, locator } from "@flytekit-ts/runtime";
import { createAdminClient, FlyteRemote, type AdminClient } from "@flytekit-ts/remote";
import { Summary } from "../../../examples/workflows/src/mixed-language.js";
import { sandbox } from "./sandbox.js";

const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = resolve(here, "../../..");
export const examplesDir = join(repoRoot, "examples/workflows");
export const IMAGE = "ghcr.io/example/flytekit-ts-examples:1";

/** A version no earlier run used (the database may outlive one run: `up` is idempotent). */
export const uniqueVersion = (label: string): string => `${label}-${Date.now().toString(36)}-${randomBytes(3).toString("hex")}`;

/** A client of the local FlyteAdmin through the config file `up` wrote, as a user's would be. */
export function adminClient(): AdminClient {
  return createAdminClient({ configFile: sandbox().configFile, env: {}, tokenCachePath: false });
}

export function remote(client: AdminClient): FlyteRemote {
  return new FlyteRemote({ adminClient: client, project: sandbox().project, domain: "development" });
}

/**
 * The registration entries of each module of examples/workflows (every entity it exports, with
 * everything they call), compiled as `flyte-ts register <module>` does but without its local pre-check
 * (which types references by their declarations only): here the real FlyteAdmin is the judge. Module by module, as a user registers them: references.ts refers to a
 * launch plan that launch-plans.ts also defines (under another version).
 */
export async function exampleModules(): Promise<{ module: string; entries: BundleEntry[] }[]> {
  const src = join(examplesDir, "src");
  const modules = readdirSync(src)
    .filter((f) => f.endsWith(".ts"))
    .sort()
    .map((f) => join(src, f));
  const compiled: { module: string; entries: BundleEntry[] }[] = [];
  for (const module of modules) {
    const found = await findEntities([module], examplesDir);
    const context = serializationContext({ image: IMAGE, locate: locator(found) });
    compiled.push({ module, entries: await registrationBundle(found.map((f) => f.entity), context) });
  }
  return compiled;
}

/**
 * What examples/workflows/src/references.ts refers to as already on the cluster (flytesnacks /
 * development, version v42): a task and a launch plan with the referenced names and interfaces.
 */
const greeting = task(
  { name: "core.flyte_basics.lp.greet", inputs: { day_of_week: t.string(), number: t.int(), am: t.boolean() }, outputs: { o0: t.string() } },
  ({ day_of_week, number, am }) => ({ o0: `${am ? "Good morning" : "Good evening"}, ${day_of_week} ${number}` }),
);
export const referenced = {
  normalize: task(
    { name: "core.flyte_basics.files.normalize_columns", inputs: { csv_url: t.string(), column_names: t.list(t.string()) }, outputs: { o0: t.string() } },
    ({ csv_url }) => ({ o0: csv_url }),
  ),
  greet: workflow(
    { name: "core.flyte_basics.lp.go_greet", inputs: { day_of_week: t.string(), number: t.int(), am: t.boolean() }, outputs: { o0: t.string() } },
    ({ day_of_week, number, am }) => ({ o0: greeting({ day_of_week, number, am }).o0 }),
  ),
};
export const referencedGreetLp = launchPlan(referenced.greet, { name: "core.flyte_basics.lp.go_greet" });

/**
 * Stand-ins, with the same names and interfaces, for the Python tasks examples/workflows/src/mixed-language.ts
 * refers to (flytesnacks / development, version v1; on a cluster `pyflyte register` puts them there).
 */
export const referencedPython = [
  task({ name: "mixed_lang.tasks.summarize", inputs: { name: t.string(), scores: t.list(t.float()) }, outputs: { o0: Summary } }, ({ name, scores }) => ({
    o0: { name, total: scores.reduce((a, b) => a + b, 0), count: scores.length },
  })),
  task({ name: "mixed_lang.tasks.double", inputs: { x: t.int() }, outputs: { o0: t.int() } }, ({ x }) => ({ o0: 2 * x })),
];

/** A small workflow to launch (with a default and a list input): its inputs are read back typed. */
export const echo = task({ name: "integration.echo", inputs: { n: t.int(), s: t.string(), xs: t.list(t.float()) }, outputs: { o0: t.string() } }, ({ n, s }) => ({
  o0: `${s}${n}`,
}));
export const echoWf = workflow(
  { name: "integration.echo_wf", inputs: { n: t.int(), s: t.string(), xs: t.list(t.float()) }, outputs: { o0: t.string() }, defaults: { s: "x" } },
  ({ n, s, xs }) => ({ o0: echo({ n, s, xs }).o0 }),
);
