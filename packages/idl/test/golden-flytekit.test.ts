import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fromProtoJson, messageClass, messageTypeForFile, toProtoJson } from "../src/index.js";
import { sharedDir } from "./shared.js";

const goldenDir = join(sharedDir, "golden", "flytekit");

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function typeOf(path: string): string {
  const type = messageTypeForFile(path);
  if (!type) throw new Error(`no known message type for ${path}`);
  return type;
}

const pbFiles = walk(goldenDir).filter((p) => p.endsWith(".pb"));

describe("flytekit 1.16.24 goldens", () => {
  it("are present", () => {
    expect(pbFiles.length).toBeGreaterThanOrEqual(30);
  });

  // flytekit's .pb.json is json_format.MessageToJson(preserving_proto_field_name=True): snake_case names,
  // which proto3 JSON parsers must accept. Map order differs between runs, so messages are compared as JSON.
  it.each(pbFiles.map((p) => [p.slice(goldenDir.length + 1), p] as const))(
    "%s decodes to what flytekit's JSON rendering says",
    (_, path) => {
      const cls = messageClass(typeOf(path));
      const decoded = cls.decode(readFileSync(path));
      const fromJson = fromProtoJson(cls, JSON.parse(readFileSync(`${path}.json`, "utf8")));
      expect(toProtoJson(cls, decoded)).toEqual(toProtoJson(cls, fromJson));
    },
  );
});
