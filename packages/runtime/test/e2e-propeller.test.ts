import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { promiseSources, serializationContext, taskTemplate, type AnyEntity } from "@flytekit-ts/compiler";
import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { fromLiteralMap, t, toLiteralMap, type LiteralMap } from "@flytekit-ts/types";
import { resolveBindings } from "../src/local/bindings.js";
import { add, explode, fan, sum } from "./fixtures/flows.js";

/**
 * Plays FlytePropeller's part with real processes: renders a task template's container args the way
 * propeller does, runs `flyte-ts execute` in a subprocess with files in a temporary directory, and for a
 * futures.pb runs every child node the same way before binding the parent's outputs.
 */
const here = dirname(fileURLToPath(import.meta.url));
const bin = resolve(here, "../../cli/src/bin.ts");
const exec = promisify(execFile);

const exported: Record<string, AnyEntity> = { add, sum, fan, explode };
const ctx = serializationContext({
  project: "flytesnacks",
  domain: "development",
  version: "v1",
  image: "ghcr.io/acme/app:v1",
  locate: (e) => ({ module: "fixtures/flows.ts", name: Object.keys(exported).find((k) => exported[k] === e) ?? "?" }),
  locations: () => Object.fromEntries(Object.entries(exported).map(([name, e]) => [e.name, { module: "fixtures/flows.ts", name }])),
});

function render(arg: string, vars: Record<string, string>): string {
  return arg.replace(/\{\{\s*[.$](\w+)\s*\}\}/gi, (_, name: string) => vars[name.toLowerCase()] ?? `{{.${name}}}`);
}

async function propeller(template: flyteidl.core.TaskTemplate.$Properties, inputs: LiteralMap, dir: string): Promise<LiteralMap> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "inputs.pb"), flyteidl.core.LiteralMap.encode(inputs as flyteidl.core.LiteralMap).finish());
  const out = join(dir, "0");
  const vars = { input: join(dir, "inputs.pb"), outputprefix: out, rawoutputdataprefix: join(dir, "raw"), checkpointoutputprefix: join(dir, "raw", "_flytecheckpoints"), prevcheckpointprefix: '""' };
  const [command, ...args] = (template.container?.args ?? []).map((a) => render(a, vars));
  expect(command).toBe("flyte-ts");
  const env: Record<string, string> = { ...(process.env as Record<string, string>) };
  for (const { key, value } of template.container?.env ?? []) env[key ?? ""] = value ?? "";
  Object.assign(env, {
    FLYTE_INTERNAL_EXECUTION_PROJECT: template.id?.project ?? "",
    FLYTE_INTERNAL_EXECUTION_DOMAIN: template.id?.domain ?? "",
    FLYTE_INTERNAL_TASK_NAME: template.id?.name ?? "",
    FLYTE_INTERNAL_TASK_VERSION: template.id?.version ?? "",
  });
  await exec(process.execPath, ["--conditions=@flytekit-ts/source", "--import", "tsx", bin, ...args], { cwd: here, env });

  if (existsSync(join(out, "futures.pb"))) {
    const spec = flyteidl.core.DynamicJobSpec.decode(readFileSync(join(out, "futures.pb")));
    const results = new Map<string, LiteralMap>();
    const done = new Set<string>();
    // Children in dependency order, each in its own data directory under the parent's output prefix.
    while (done.size < spec.nodes.length) {
      for (const node of spec.nodes) {
        const id = node.id ?? "";
        if (done.has(id) || ![...promiseSources(node.inputs ?? [])].every((d) => results.has(d))) continue;
        const child = spec.tasks.find((x) => x.id?.name === node.taskNode?.referenceId?.name);
        if (!child) throw new Error(`task ${node.taskNode?.referenceId?.name ?? "?"} is not embedded in futures.pb`);
        results.set(id, await propeller(child, resolveBindings(node.inputs ?? [], results), join(out, id)));
        done.add(id);
      }
    }
    return resolveBindings(spec.outputs ?? [], results);
  }
  if (existsSync(join(out, "error.pb"))) {
    const error = flyteidl.core.ErrorDocument.decode(readFileSync(join(out, "error.pb")));
    throw Object.assign(new Error(error.error?.message ?? "task failed"), { document: error });
  }
  return flyteidl.core.LiteralMap.decode(readFileSync(join(out, "outputs.pb")));
}

describe("end to end, with FlytePropeller's part played by the test", () => {
  it("runs a dynamic's futures.pb children as separate processes and binds the final outputs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flyte-ts-e2e-"));
    const inputs = await toLiteralMap(fan.inputs, { n: 3 });
    const outputs = await propeller(taskTemplate(fan, ctx), inputs, join(dir, "n0"));
    expect(await fromLiteralMap(fan.outputs, outputs)).toEqual({ o0: 0 + 2 + 4 });
    // Each child wrote its own outputs.pb where propeller reads it.
    expect(existsSync(join(dir, "n0", "0", "dn3", "0", "outputs.pb"))).toBe(true);
  }, 300_000);

  it("surfaces a child's error document", async () => {
    const dir = mkdtempSync(join(tmpdir(), "flyte-ts-e2e-"));
    const failure = await propeller(taskTemplate(explode, ctx), await toLiteralMap(explode.inputs, { a: 1 }), dir).catch((e: unknown) => e);
    const document = (failure as { document: flyteidl.core.ErrorDocument }).document;
    expect(toProtoJson(flyteidl.core.ErrorDocument, document)).toMatchObject({ error: { code: "USER:RuntimeError", origin: "USER" } });
  }, 300_000);
});

export { t };
