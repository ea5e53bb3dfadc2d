import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { extract } from "tar";
import { compileWorkflowClosure, launchPlanInterface } from "@flytekit-ts/compiler";
import { FlytekitError, flyteidl, messageTypeForFile, toProtoJson } from "@flytekit-ts/idl";

/** The .pb files of a bundle given as a .tgz, a directory, or files. */
async function bundleFiles(paths: readonly string[]): Promise<{ files: string[]; cleanup: () => Promise<void> }> {
  const files: string[] = [];
  const scratch: string[] = [];
  for (const path of paths) {
    if (/\.(tgz|tar\.gz)$/.test(path)) {
      const dir = await mkdtemp(join(tmpdir(), "flyte-ts-compile-"));
      scratch.push(dir);
      await extract({ file: path, cwd: dir });
      files.push(...(await readdir(dir)).map((f) => join(dir, f)));
    } else if ((await stat(path)).isDirectory()) {
      files.push(...(await readdir(path)).map((f) => join(path, f)));
    } else files.push(path);
  }
  return { files: files.filter((f) => f.endsWith(".pb")).sort(), cleanup: async () => void (await Promise.all(scratch.map((d) => rm(d, { recursive: true, force: true })))) };
}

/**
 * `flyte-ts compile`: compiles every workflow of a registration bundle with FlytePropeller's compiler,
 * as FlyteAdmin does when it is registered; prints the compiled closures (`--json`) or a line each.
 */
export async function compileCommand(paths: readonly string[], json: boolean, out: (line: string) => void): Promise<void> {
  const { files, cleanup } = await bundleFiles(paths);
  try {
    const tasks: flyteidl.core.TaskTemplate[] = [];
    const workflows: { file: string; spec: flyteidl.admin.WorkflowSpec }[] = [];
    const launchPlans: flyteidl.admin.LaunchPlan[] = [];
    for (const file of files) {
      const bytes = await readFile(file);
      switch (messageTypeForFile(file)) {
        case "flyteidl.admin.TaskSpec": {
          const template = flyteidl.admin.TaskSpec.decode(bytes).template;
          if (template) tasks.push(template as flyteidl.core.TaskTemplate);
          break;
        }
        case "flyteidl.admin.WorkflowSpec":
          workflows.push({ file, spec: flyteidl.admin.WorkflowSpec.decode(bytes) });
          break;
        case "flyteidl.admin.LaunchPlan":
          launchPlans.push(flyteidl.admin.LaunchPlan.decode(bytes));
          break;
        default:
          throw new FlytekitError("USAGE", `${basename(file)} is not a bundle member (<n>_<name>_1|2|3.pb)`);
      }
    }
    if (workflows.length === 0) throw new FlytekitError("USAGE", "no workflow (_2.pb) found to compile");
    const interfaces = new Map(workflows.map((w) => [w.spec.template?.id?.name ?? "", w.spec.template?.interface ?? null]));
    const lps = launchPlans.map((lp) => launchPlanInterface(lp, interfaces.get(lp.spec?.workflowId?.name ?? "") ?? null));
    for (const { spec } of workflows) {
      const compiled = compileWorkflowClosure(spec, { tasks, launchPlans: lps });
      const name = spec.template?.id?.name ?? "?";
      if (json) out(JSON.stringify(toProtoJson(flyteidl.core.CompiledWorkflowClosure, compiled), null, 2));
      else out(`✓ ${name}: ${(compiled.primary?.template?.nodes?.length ?? 2) - 2} nodes, ${compiled.tasks.length} tasks, ${compiled.subWorkflows.length} sub-workflows`);
    }
  } finally {
    await cleanup();
  }
}
