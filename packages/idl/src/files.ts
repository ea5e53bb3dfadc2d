/**
 * The message type of a file Flyte or flytekit writes, from its name alone (a `.pb` carries no type):
 * the container contract's `inputs.pb` / `outputs.pb` / `futures.pb` / `error.pb`, and `pyflyte package`'s
 * `<n>_<name>_1.pb` (TaskSpec), `_2.pb` (WorkflowSpec), `_3.pb` (LaunchPlan). Undefined when unknown.
 */
export function messageTypeForFile(fileName: string): string | undefined {
  const base = fileName.split(/[\\/]/).pop() ?? fileName;
  const byName: Record<string, string> = {
    "inputs.pb": "flyteidl.core.LiteralMap",
    "outputs.pb": "flyteidl.core.LiteralMap",
    "futures.pb": "flyteidl.core.DynamicJobSpec",
    "error.pb": "flyteidl.core.ErrorDocument",
  };
  if (byName[base]) return byName[base];
  const suffix = /_([123])\.pb$/.exec(base)?.[1];
  const bySuffix: Record<string, string> = {
    "1": "flyteidl.admin.TaskSpec",
    "2": "flyteidl.admin.WorkflowSpec",
    "3": "flyteidl.admin.LaunchPlan",
  };
  return suffix ? bySuffix[suffix] : undefined;
}
