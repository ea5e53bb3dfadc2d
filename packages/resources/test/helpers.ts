import { flyteidl, toProtoJson, type JsonValue } from "@flytekit-ts/idl";
import { expect } from "vitest";
import {
  isInvalidSettingsError,
  taskTemplateParts,
  validateTaskSettings,
  type InvalidSettingsError,
  type SettingProblem,
  type TaskSettings,
  type TaskTemplateContext,
} from "../src/index.js";

export const ARGS = ["flyte-ts-execute", "--inputs", "{{.input}}", "--output-prefix", "{{.outputPrefix}}"];
export const context: TaskTemplateContext = { args: ARGS, defaultImage: "ghcr.io/acme/app:v1", sdkVersion: "0.1.0" };

export type Json = { [key: string]: JsonValue };

/** The template parts as proto3 JSON (camelCase), inside a TaskTemplate so that absent parts are absent. */
export function templateJson(settings: TaskSettings, extra: Partial<TaskTemplateContext> = {}): Json {
  const parts = taskTemplateParts(settings, { ...context, ...extra });
  return toProtoJson(flyteidl.core.TaskTemplate, flyteidl.core.TaskTemplate.create({ ...parts })) as Json;
}

export function metadataJson(settings: TaskSettings, extra: Partial<TaskTemplateContext> = {}): Json {
  return templateJson(settings, extra)["metadata"] as Json;
}

/** The problems validation reports, as `setting: message` lines (easy to match in assertions). */
export function problemLines(settings: TaskSettings, extra: Partial<TaskTemplateContext> = {}): string[] {
  return validateTaskSettings(settings, { ...context, ...extra }).map((p: SettingProblem) => `${p.setting}: ${p.message}`);
}

/** The InvalidSettingsError `fn` throws (fails the test if it throws anything else or nothing). */
export function thrownBy(fn: () => unknown): InvalidSettingsError {
  try {
    fn();
  } catch (error) {
    if (isInvalidSettingsError(error)) return error;
    throw error;
  }
  expect.fail("expected an InvalidSettingsError");
}
