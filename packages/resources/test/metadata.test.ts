import { flyteidl, toProtoJson } from "@flytekit-ts/idl";
import { describe, expect, it } from "vitest";
import {
  runtimeMetadata,
  runtimeVersion,
  SDK_FLAVOR,
  TASK_SETTING_KEYS,
  taskDescription,
  taskTemplateParts,
  validateTaskSettings,
  type TaskSettings,
} from "../src/index.js";
import { context, metadataJson, problemLines, thrownBy } from "./helpers.js";

describe("TaskMetadata defaults", () => {
  it("are what flytekit writes for a bare @task", () => {
    const parts = taskTemplateParts({}, context);
    const m = parts.metadata;
    expect(m.discoverable).toBe(false);
    expect(m.retries?.retries).toBe(0);
    expect(m.timeout ?? undefined).toBeUndefined(); // protobufjs reads unset message fields as null
    expect(m.interruptibleValue).toBeUndefined();
    expect(m.discoveryVersion).toBe("");
    expect(m.deprecatedErrorMessage).toBe("");
    expect(m.cacheSerializable).toBe(false);
    expect(m.podTemplateName).toBe("");
    expect(m.cacheIgnoreInputVars).toEqual([]);
    expect(m.isEager).toBe(false);
    expect(m.generatesDeck?.value).toBe(false);
    expect(m.metadata).toBeDefined();
    // As proto3 JSON: always-present messages show up, defaults do not.
    expect(metadataJson({})).toEqual({
      runtime: { type: "FLYTE_SDK", version: "1.16.5+flytekit-ts.0.1.0", flavor: "typescript" },
      retries: {},
      generatesDeck: false,
      metadata: {},
    });
    expect(parts.config).toEqual({});
  });
});

describe("retries", () => {
  it("set RetryStrategy.retries", () => {
    expect(metadataJson({ retries: 3 })["retries"]).toEqual({ retries: 3 });
  });

  it("must be a whole number, 0 or more", () => {
    for (const retries of [-1, 1.5, Number.NaN, 2 ** 32]) {
      expect(problemLines({ retries })).toEqual([`retries: ${retries} must be a whole number of retries, 0 or more`]);
    }
    expect(problemLines({ retries: "3" } as unknown as TaskSettings)).toEqual(['retries: "3" must be a whole number of retries, 0 or more']);
  });
});

describe("timeout", () => {
  it("takes seconds or duration parts, and is set only when non-zero", () => {
    expect(metadataJson({ timeout: 120 })["timeout"]).toBe("120s");
    expect(metadataJson({ timeout: { minutes: 30 } })["timeout"]).toBe("1800s");
    expect(metadataJson({ timeout: { days: 1, hours: 2, minutes: 3, seconds: 4, milliseconds: 500 } })["timeout"]).toBe("93784.500s");
    expect(metadataJson({ timeout: 0.25 })["timeout"]).toBe("0.250s");
    expect(metadataJson({ timeout: 0 })).not.toHaveProperty("timeout");
    expect(metadataJson({ timeout: {} })).not.toHaveProperty("timeout");
  });

  it("is validated", () => {
    expect(problemLines({ timeout: -5 })).toEqual(["timeout: -5 must be a finite number of seconds, zero or more"]);
    expect(problemLines({ timeout: { minute: 30, hours: -1 } } as unknown as TaskSettings)).toEqual([
      'timeout.minute: unknown duration part "minute" (did you mean "minutes"?); expected one of "days", "hours", "minutes", "seconds", "milliseconds"',
      "timeout.hours: -1 must be a finite number, zero or more",
    ]);
    expect(problemLines({ timeout: "30m" } as unknown as TaskSettings)).toEqual([
      'timeout: must be seconds or { days?, hours?, minutes?, seconds?, milliseconds? }, got "30m"',
    ]);
  });
});

describe("interruptible", () => {
  it("is set only when given (an unset oneof inherits the workflow's default)", () => {
    expect(metadataJson({ interruptible: true })["interruptible"]).toBe(true);
    expect(metadataJson({ interruptible: false })["interruptible"]).toBe(false);
    expect(taskTemplateParts({ interruptible: false }, context).metadata.interruptibleValue).toBe("interruptible");
    expect(metadataJson({})).not.toHaveProperty("interruptible");
  });

  it("is validated", () => {
    expect(problemLines({ interruptible: "yes" } as unknown as TaskSettings)).toEqual(['interruptible: "yes" must be true or false']);
  });
});

describe("cache", () => {
  const cacheFields = (settings: TaskSettings, extra = {}) => {
    const m = taskTemplateParts(settings, { ...context, ...extra }).metadata;
    return { discoverable: m.discoverable, version: m.discoveryVersion, serializable: m.cacheSerializable, ignored: m.cacheIgnoreInputVars };
  };

  it("is off by default", () => {
    expect(cacheFields({})).toEqual({ discoverable: false, version: "", serializable: false, ignored: [] });
    expect(cacheFields({ cache: false })).toEqual({ discoverable: false, version: "", serializable: false, ignored: [] });
  });

  it("takes the seed's flat parameters", () => {
    expect(cacheFields({ cache: true, cacheVersion: "1.0", cacheSerialize: true, cacheIgnoredInputs: ["note"] })).toEqual({
      discoverable: true,
      version: "1.0",
      serializable: true,
      ignored: ["note"],
    });
  });

  it("takes a policy object, as flytekit's Cache(...)", () => {
    expect(cacheFields({ cache: { version: "v2" } })).toEqual({ discoverable: true, version: "v2", serializable: false, ignored: [] });
    expect(cacheFields({ cache: { version: "v3", serialize: true, ignoredInputs: ["a", "b"] } })).toEqual({
      discoverable: true,
      version: "v3",
      serializable: true,
      ignored: ["a", "b"],
    });
  });

  it("needs a version: given, or computed by the compiler", () => {
    expect(problemLines({ cache: true })).toEqual([
      "cacheVersion: is required when caching is on: flytekit hashes the function body when it is missing, flytekit-ts needs it given (change it whenever the task's behaviour changes)",
    ]);
    expect(problemLines({ cache: { serialize: true } })).toEqual([expect.stringMatching(/^cache\.version: is required when caching is on/)]);
    expect(cacheFields({ cache: true }, { cacheVersion: "sha-123" }).version).toBe("sha-123");
    expect(cacheFields({ cache: { version: "explicit" } }, { cacheVersion: "sha-123" }).version).toBe("explicit");
    expect(problemLines({ cache: true, cacheVersion: "" })).toEqual(['cacheVersion: "" must be a non-empty string']);
  });

  it("refuses serialize, ignored inputs and a version without caching (clear errors)", () => {
    expect(problemLines({ cacheSerialize: true, cacheIgnoredInputs: ["x"], cacheVersion: "1" })).toEqual([
      "cacheVersion: has no effect unless caching is on; add cache: true",
      "cacheSerialize: has no effect unless caching is on; add cache: true",
      "cacheIgnoredInputs: has no effect unless caching is on; add cache: true",
    ]);
    expect(problemLines({ cache: false, cacheSerialize: true })).toEqual(["cacheSerialize: has no effect unless caching is on; add cache: true"]);
  });

  it("refuses flat parameters beside a policy object", () => {
    expect(problemLines({ cache: { version: "1" }, cacheSerialize: true, cacheVersion: "2" })).toEqual([
      "cacheVersion: cannot be combined with a cache object; put it in cache: { version: ... }",
      "cacheSerialize: cannot be combined with a cache object; put it in cache: { serialize: ... }",
    ]);
  });

  it("checks ignored inputs against the task's inputs when the compiler names them", () => {
    expect(problemLines({ cache: { version: "1", ignoredInputs: ["note", "nope", "note", ""] } }, { inputNames: ["x", "note"] })).toEqual([
      'cache.ignoredInputs[1]: the task has no input "nope"; its inputs are "x", "note"',
      'cache.ignoredInputs[2]: input "note" is listed twice',
      'cache.ignoredInputs[3]: "" must be an input name',
    ]);
    expect(problemLines({ cache: true, cacheVersion: "1", cacheIgnoredInputs: "note" } as unknown as TaskSettings)).toEqual([
      'cacheIgnoredInputs: must be a list of input names, got "note"',
    ]);
  });
});

describe("deprecated", () => {
  it("sets the deprecation message", () => {
    expect(metadataJson({ deprecated: "use t2 instead" })["deprecatedErrorMessage"]).toBe("use t2 instead");
    expect(problemLines({ deprecated: true } as unknown as TaskSettings)).toEqual(["deprecated: must be the deprecation message (a string), got true"]);
  });
});

describe("decks", () => {
  it("generates_deck is always present, false unless enabled", () => {
    expect(metadataJson({})["generatesDeck"]).toBe(false);
    expect(metadataJson({ enableDeck: true })["generatesDeck"]).toBe(true);
    expect(metadataJson({ enableDeck: false })["generatesDeck"]).toBe(false);
    expect(metadataJson({ disableDeck: false })["generatesDeck"]).toBe(true);
    expect(metadataJson({ disableDeck: true })["generatesDeck"]).toBe(false);
  });

  it("enableDeck and disableDeck cannot both be given", () => {
    expect(problemLines({ enableDeck: true, disableDeck: false })).toEqual(["disableDeck: cannot be combined with enableDeck; use enableDeck alone"]);
  });
});

describe("labels and annotations", () => {
  it("go into TaskMetadata.metadata", () => {
    expect(metadataJson({ labels: { team: "ml" }, annotations: { "example.com/owner": "Alice <alice@example.com>" } })["metadata"]).toEqual({
      labels: { team: "ml" },
      annotations: { "example.com/owner": "Alice <alice@example.com>" },
    });
  });

  it("are validated with Kubernetes' rules", () => {
    expect(problemLines({ labels: { team: "m l", ["x".repeat(64)]: "v" }, annotations: { "/x": "v" } })).toEqual([
      'labels.team: label value "m l" is invalid: at most 63 characters of letters, digits, - _ . beginning and ending with a letter or digit',
      `labels.${"x".repeat(64)}: label key "${"x".repeat(64)}" is invalid: its name must be at most 63 characters of letters, digits, - _ . beginning and ending with a letter or digit`,
      'annotations./x: annotation key "/x" is invalid: its prefix must be a lower-case DNS subdomain (at most 253 characters)',
    ]);
  });
});

describe("docs → TaskSpec.description", () => {
  const json = (docs: TaskSettings["docs"]) => toProtoJson(flyteidl.admin.DescriptionEntity, taskDescription(docs === undefined ? {} : { docs }));

  it("always has a long description with at least its format (flytekit's RST by default)", () => {
    expect(json(undefined)).toEqual({ longDescription: { format: "DESCRIPTION_FORMAT_RST" } });
    expect(json("Does a thing.")).toEqual({ shortDescription: "Does a thing.", longDescription: { format: "DESCRIPTION_FORMAT_RST" } });
  });

  it("carries every field of flytekit's Documentation", () => {
    expect(
      json({
        shortDescription: "Trains the model.",
        longDescription: "# Training\nUses **all** the data.",
        format: "markdown",
        iconLink: "https://example.com/icon.png",
        sourceCodeLink: "https://github.com/acme/flows/blob/main/train.ts",
      }),
    ).toEqual({
      shortDescription: "Trains the model.",
      longDescription: { value: "# Training\nUses **all** the data.", format: "DESCRIPTION_FORMAT_MARKDOWN", iconLink: "https://example.com/icon.png" },
      sourceCode: { link: "https://github.com/acme/flows/blob/main/train.ts" },
    });
    expect(json({ longDescriptionUri: "https://example.com/README.html", format: "html" })).toEqual({
      longDescription: { uri: "https://example.com/README.html", format: "DESCRIPTION_FORMAT_HTML" },
    });
  });

  it("is validated", () => {
    const error = thrownBy(() => taskDescription({ docs: { longDescription: "x", longDescriptionUri: "y", format: "md" } } as unknown as TaskSettings));
    expect(error.problems.map((p) => `${p.setting}: ${p.message}`)).toEqual([
      "docs.longDescriptionUri: cannot be combined with longDescription; give the text or a link to it",
      'docs.format: "md" must be one of "rst", "markdown", "html", "unknown"',
    ]);
    expect(problemLines({ docs: { format: "constructor" } } as unknown as TaskSettings)).toEqual([
      'docs.format: "constructor" must be one of "rst", "markdown", "html", "unknown"',
    ]);
    expect(problemLines({ docs: { short: "x" } } as unknown as TaskSettings)).toEqual([
      expect.stringMatching(/^docs\.short: unknown docs field "short"/),
    ]);
  });
});

describe("runtime metadata", () => {
  it("names this SDK: FLYTE_SDK, flavor typescript, a version propeller's semver gate accepts", () => {
    expect(toProtoJson(flyteidl.core.RuntimeMetadata, runtimeMetadata("0.3.1"))).toEqual({
      type: "FLYTE_SDK",
      version: "1.16.5+flytekit-ts.0.3.1",
      flavor: SDK_FLAVOR,
    });
    expect(runtimeVersion("1.0.0-beta.2+build.7")).toBe("1.16.5+flytekit-ts.1.0.0-beta.2.build.7");
  });

  it("passes the literal-offloading gate (FLYTE_SDK >= 1.13.14, build metadata ignored, no pre-release)", () => {
    for (const sdk of ["0.0.1", "0.1.0", "2.0.0-rc.1", "0.1.0+sha.abc"]) {
      const version = runtimeVersion(sdk);
      const match = /^(\d+)\.(\d+)\.(\d+)\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*$/.exec(version);
      expect(match, version).not.toBeNull();
      const [major, minor, patch] = (match ?? []).slice(1, 4).map(Number) as [number, number, number];
      expect(major * 1e6 + minor * 1e3 + patch).toBeGreaterThanOrEqual(1 * 1e6 + 13 * 1e3 + 14);
    }
  });

  it("refuses an SDK version that is not semver (a compiler bug, so a TypeError)", () => {
    expect(() => runtimeVersion("dev")).toThrow(new TypeError('sdkVersion must be a semantic version such as "0.1.0", got "dev"'));
    expect(() => taskTemplateParts({}, { ...context, sdkVersion: "v1" })).toThrow(TypeError);
  });
});

describe("settings as a whole", () => {
  it("reject unknown settings, with a hint for flytekit's spellings", () => {
    const settings = { retires: 3, cache_version: "1", name: "t1" } as unknown as TaskSettings;
    expect(problemLines(settings)).toEqual([
      expect.stringMatching(/^retires: unknown task setting "retires" \(did you mean "retries"\?\); expected one of "requests", /),
      expect.stringMatching(/^cache_version: unknown task setting "cache_version" \(did you mean "cacheVersion"\?\)/),
      expect.stringMatching(/^name: unknown task setting "name"; expected one of/),
    ]);
  });

  it("TASK_SETTING_KEYS lists every setting (for the compiler to pick them out)", () => {
    expect(TASK_SETTING_KEYS).toHaveLength(23);
    expect(new Set(TASK_SETTING_KEYS).size).toBe(TASK_SETTING_KEYS.length);
  });

  it("must be an object", () => {
    expect(validateTaskSettings(null as unknown as TaskSettings)).toEqual([{ setting: "", value: null, message: "task settings must be an object, got null" }]);
  });

  it("report every problem at once, each with the setting and the value", () => {
    const problems = validateTaskSettings(
      { retries: -1, timeout: -1, requests: { cpu: "x" }, secretRequests: [{ group: "g", envVar: "bad" }] } as unknown as TaskSettings,
      context,
    );
    expect(problems.map((p) => [p.setting, p.value])).toEqual([
      ["requests.cpu", "x"],
      ["retries", -1],
      ["timeout", -1],
      ["secretRequests[0].envVar", "bad"],
    ]);
  });

  it("context errors are the compiler's bugs: TypeErrors", () => {
    expect(() => taskTemplateParts({}, { ...context, args: "run" as unknown as string[] })).toThrow("TaskTemplateContext.args must be a list of strings");
    expect(() => taskTemplateParts({}, { ...context, command: [1] as unknown as string[] })).toThrow("TaskTemplateContext.command must be a list of strings");
    expect(() => taskTemplateParts({}, { ...context, env: { "": "x" } })).toThrow(/TaskTemplateContext\.env is invalid/);
  });
});
