import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { inspectFile } from "./inspect.js";

/**
 * `pnpm main [file.pb] [--type flyteidl.x.Y] [--json]`. With no file it reads the futures.pb that
 * Python flytekit wrote for a dynamic fan-out (shared/golden), the project's reference run.
 */
const args = process.argv.slice(2);
const typeIndex = args.indexOf("--type");
const type = typeIndex >= 0 ? args[typeIndex + 1] : undefined;
const showJson = args.includes("--json") || !args.some((a) => !a.startsWith("--"));
// pnpm runs this script from the package directory; a relative path means the caller's directory.
const given = args.find((a, i) => !a.startsWith("--") && i !== typeIndex + 1);
const file = given
  ? resolve(process.env.INIT_CWD ?? process.cwd(), given)
  :
  resolve(dirname(fileURLToPath(import.meta.url)), "../../../../shared/golden/flytekit/dynamic_fanout/exec/my_dynamic_subwf_a3/futures.pb");

if (!existsSync(file)) {
  console.error(`no such file: ${file}\nusage: pnpm main <file.pb> [--type flyteidl.core.LiteralMap] [--json]`);
  process.exit(2);
}
try {
  const result = inspectFile(file, type);
  console.log(`${file}\n  ${result.messageType}, ${result.size} bytes`);
  for (const line of result.summary) console.log(`  ${line}`);
  if (showJson) console.log(JSON.stringify(JSON.parse(result.json), null, 2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
