import { describe, expect, it } from "vitest";
import { imageName, taskTemplateParts, type TaskSettings } from "../src/index.js";
import { context, problemLines, templateJson } from "./helpers.js";

describe("secret requests", () => {
  it("become SecurityContext.secrets, one per request, with the mount requirement", () => {
    expect(
      templateJson({
        secretRequests: [
          { group: "db", key: "password", mountRequirement: "ENV_VAR" },
          { group: "aws", key: "token", mountRequirement: "FILE" },
          { group: "vault", key: "api-key", groupVersion: "v2", envVar: "API_KEY", mountRequirement: "ANY" },
          { group: "whole-group" },
        ],
      })["securityContext"],
    ).toEqual({
      secrets: [
        { group: "db", key: "password", mountRequirement: "ENV_VAR" },
        { group: "aws", key: "token", mountRequirement: "FILE" },
        { group: "vault", groupVersion: "v2", key: "api-key", envVar: "API_KEY" },
        { group: "whole-group" },
      ],
    });
  });

  it("leave SecurityContext unset when there are none", () => {
    expect(templateJson({})).not.toHaveProperty("securityContext");
    expect(taskTemplateParts({ secretRequests: [] }, context)).not.toHaveProperty("securityContext");
  });

  it("are validated, environment variable names included", () => {
    const settings = {
      secretRequests: [
        { group: "db", key: "password", envVar: "api-key" },
        { group: "", key: "k" },
        { group: "g", mountRequirement: "ENV_VAR" },
        { group: "g", key: "k", mountRequirement: "ENVVAR" },
        "db/password",
      ],
    } as unknown as TaskSettings;
    expect(problemLines(settings)).toEqual([
      'secretRequests[0].envVar: "api-key" is not a valid environment variable name (must match ^[A-Z_][A-Z0-9_]*$)',
      "secretRequests[1].group: is required: the secret's group (non-empty string)",
      'secretRequests[2].key: is required when mountRequirement is "ENV_VAR"',
      'secretRequests[3].mountRequirement: "ENVVAR" must be one of "ANY", "ENV_VAR", "FILE"',
      'secretRequests[4]: must be an object { group, key?, ... }, got "db/password"',
    ]);
    expect(problemLines({ secretRequests: [{ group: "g", key: "k", envVar: "_OK_1" }] })).toEqual([]);
  });
});

describe("container image", () => {
  const imageOf = (settings: TaskSettings, defaultImage = context.defaultImage) =>
    (templateJson(settings, { defaultImage })["container"] as { image: string }).image;

  it("defaults to the project's default image", () => {
    expect(imageOf({})).toBe("ghcr.io/acme/app:v1");
  });

  it("takes a full name as given (placeholders included) or a reference", () => {
    expect(imageOf({ containerImage: "python:3.12-slim" })).toBe("python:3.12-slim");
    expect(imageOf({ containerImage: "{{.image.trainer.fqn}}:{{.image.trainer.version}}" })).toBe("{{.image.trainer.fqn}}:{{.image.trainer.version}}");
    expect(imageOf({ containerImage: { registry: "ghcr.io/acme/", name: "trainer", tag: "abc123" } })).toBe("ghcr.io/acme/trainer:abc123");
    const digest = `sha256:${"a".repeat(64)}`;
    expect(imageName({ name: "team/app", digest })).toBe(`team/app@${digest}`);
    expect(imageName({ registry: "r.io", name: "app", tag: "1", digest })).toBe(`r.io/app:1@${digest}`);
    expect(imageName({ name: "app" })).toBe("app");
  });

  it("is required: from the task or the project", () => {
    expect(problemLines({}, { defaultImage: "" })).toEqual(["containerImage: is required: the task sets no image and the project has no default image"]);
    expect(problemLines({ containerImage: "app:1" }, { defaultImage: "" })).toEqual([]);
  });

  it("is validated", () => {
    expect(problemLines({ containerImage: "my image" })).toEqual(['containerImage: "my image" is not an image name (empty or contains whitespace)']);
    expect(problemLines({ containerImage: { name: "App", tag: "-x", digest: "md5:1", registry: " " } })).toEqual([
      'containerImage.name: "App" is not a repository name (lower-case letters, digits, separators . _ - and /)',
      'containerImage.registry: " " is not a registry (non-empty, no whitespace)',
      'containerImage.tag: "-x" is not an image tag (letters, digits, _ . -, at most 128, not starting with . or -)',
      'containerImage.digest: "md5:1" is not a digest such as "sha256:<64 hex digits>"',
    ]);
  });
});

describe("environment", () => {
  const envOf = (settings: TaskSettings, env?: Record<string, string>) =>
    (templateJson(settings, env ? { env } : {})["container"] as { env?: unknown }).env;

  it("becomes the container's env, in order", () => {
    expect(envOf({ environment: { FOO: "bar", LOG_LEVEL: "debug" } })).toEqual([
      { key: "FOO", value: "bar" },
      { key: "LOG_LEVEL", value: "debug" },
    ]);
    expect(envOf({})).toBeUndefined();
  });

  it("comes after the compiler's env, replacing equal names in place (as flytekit's dict update)", () => {
    expect(envOf({ environment: { B: "task", C: "3" } }, { _F_SS_C: "blob", B: "compiler" })).toEqual([
      { key: "_F_SS_C", value: "blob" },
      { key: "B", value: "task" },
      { key: "C", value: "3" },
    ]);
  });

  it("is validated", () => {
    expect(problemLines({ environment: { "A=B": "x", "": "y", N: 1 } } as unknown as TaskSettings)).toEqual([
      'environment.A=B: "A=B" is not a usable environment variable name (empty, or contains "=" or control characters)',
      'environment.: "" is not a usable environment variable name (empty, or contains "=" or control characters)',
      "environment.N: must be a string, got 1",
    ]);
  });
});
