import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { entityKind } from "@flytekit-ts/compiler";
import { findEntities } from "../src/index.js";

const examples = resolve(dirname(fileURLToPath(import.meta.url)), "../../../examples/workflows");

describe("findEntities and references", () => {
  it("lists two references to one registered entity, and a reference beside that entity's definition, without a name clash", async () => {
    // references.ts refers to normalize_columns twice (with and without its template) and to the
    // go_greet launch plan that launch-plans.ts defines.
    const found = await findEntities([join(examples, "src/references.ts"), join(examples, "src/launch-plans.ts")], examples);
    const named = (name: string) => found.filter((f) => f.entity.name === name).map((f) => `${entityKind(f.entity)}:${f.location.name}`);
    expect(named("core.flyte_basics.files.normalize_columns")).toEqual(["reference:normalize", "reference:normalizeWithTemplate"]);
    expect(named("core.flyte_basics.lp.go_greet")).toEqual(expect.arrayContaining(["reference:greetLp", "workflow:goGreet"]));
  });
});
