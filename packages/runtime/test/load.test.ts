import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findEntities, loadEntity, useTypeScriptLoader } from "../src/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

describe("loading modules", () => {
  it("names an unnamed export <module path>.<export> when it loads its module", async () => {
    const entity = await loadEntity("test/fixtures/unnamed.ts", "double", root);
    expect(entity.name).toBe("test.fixtures.unnamed.double");
  });

  it("refuses two entities with one name, naming both exports", async () => {
    await expect(findEntities(["test/fixtures/unnamed.ts"], root)).rejects.toThrow(
      /two entities are named "unnamed\.same": export (same|alsoSame) of test\/fixtures\/unnamed\.ts and export (alsoSame|same) of test\/fixtures\/unnamed\.ts; give one a name/,
    );
  });

  it("says which module could not be loaded when the TypeScript loader fails", async () => {
    useTypeScriptLoader(() => Promise.reject(new Error("tsx is not installed")));
    await expect(loadEntity("test/fixtures/local.ts", "x", root)).rejects.toThrow(/cannot load test\/fixtures\/local\.ts: tsx is not installed/);
  });
});
