import { WorkflowCompiler, compileDynamic, entityKind, renderGraph, serializationContext, type GraphFormat, type WorkflowLike } from "@flytekit-ts/compiler";
import { FlytekitError } from "@flytekit-ts/idl";
import { loadEntity } from "@flytekit-ts/runtime";
import { parseInputs } from "./run-command.js";

/**
 * `flyte-ts graph <module> <export>`: the compiled workflow as Mermaid (default) or DOT; for a dynamic,
 * the workflow its body builds for the given inputs.
 */
export async function graphCommand(module: string, exportName: string, args: readonly string[], out: (line: string) => void): Promise<void> {
  const formatIndex = args.indexOf("--format");
  const format = (formatIndex >= 0 ? args[formatIndex + 1] : "mermaid") as GraphFormat;
  if (format !== "mermaid" && format !== "dot") throw new FlytekitError("USAGE", `--format must be mermaid or dot, got ${String(format)}`);
  const inputArgs = formatIndex >= 0 ? [...args.slice(0, formatIndex), ...args.slice(formatIndex + 2)] : [...args];
  const entity = await loadEntity(module, exportName);
  const ctx = serializationContext({ image: "local" });
  switch (entityKind(entity)) {
    case "workflow": {
      const compiled = await new WorkflowCompiler(ctx).compile(entity as WorkflowLike);
      out(renderGraph(compiled.template, format));
      return;
    }
    case "dynamic": {
      const result = await compileDynamic(entity as never, parseInputs(entity, inputArgs) as never, ctx, { warn: () => undefined });
      if (result.kind === "outputs") throw new FlytekitError("USAGE", `${entity.name} makes no node for these inputs, so there is no graph`);
      out(renderGraph(result.spec, format));
      return;
    }
    default:
      throw new FlytekitError("USAGE", `${entity.name} is a task; graphs are drawn for workflows and dynamic workflows`);
  }
}
