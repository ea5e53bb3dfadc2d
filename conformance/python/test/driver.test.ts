import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { flyteidl } from "@flytekit-ts/idl";
import { FlytekitDriver, fromBase64, toBase64, venvForLiveSuite } from "../src/index.js";

const venv = venvForLiveSuite("flytekit driver");

describe.skipIf(!venv)("flytekit driver (live)", () => {
  let driver: FlytekitDriver;
  beforeAll(async () => {
    driver = await FlytekitDriver.start(venv!);
  }, 120_000);
  afterAll(() => driver?.close());

  it("runs the pinned flytekit", async () => {
    expect(await driver.version).toBe("1.16.24");
  });

  it("answers a batch in order, a failing item beside passing ones", async () => {
    const results = await driver.call("to_literal", [
      { type: { kind: "int" }, value: "9223372036854775807" },
      { type: { kind: "int" }, value: "not a number" },
      { type: { kind: "str" }, value: "ü" },
    ]);
    expect(results).toHaveLength(3);
    const first = results[0]!;
    if (!("ok" in first)) throw new Error(first.error);
    expect(String(flyteidl.core.Literal.decode(fromBase64(first.ok)).scalar?.primitive?.integer)).toBe("9223372036854775807");
    expect(results[1]).toHaveProperty("error", expect.stringContaining("ValueError"));
    expect("ok" in results[2]!).toBe(true);
  });

  it("gives flytekit's literal type for a described dataclass", async () => {
    const [bytes] = await driver.callAll("literal_type", [
      { kind: "dataclass", name: "Shape", fields: [{ name: "w", type: { kind: "float" } }, { name: "tags", type: { kind: "list", of: { kind: "str" } }, default: [] }] },
    ]);
    const type = flyteidl.core.LiteralType.decode(fromBase64(bytes!));
    expect(type.simple).toBe(flyteidl.core.SimpleType.STRUCT);
    expect(Object.keys(type.structure?.dataclassType ?? {}).sort()).toEqual(["tags", "w"]);
  });

  it("reads a literal as flytekit does and re-encodes it", async () => {
    const literal = flyteidl.core.Literal.encode({ scalar: { primitive: { datetime: { seconds: 1, nanos: 123456000 } } } }).finish();
    const [read] = await driver.callAll("from_literal", [{ type: { kind: "datetime" }, literal: toBase64(literal) }]);
    expect(read!.value).toBe("1970-01-01T00:00:01.123456+00:00");
    expect(flyteidl.core.Literal.decode(fromBase64(read!.literal)).scalar?.primitive?.datetime?.nanos).toBe(123456000);
  });
});
