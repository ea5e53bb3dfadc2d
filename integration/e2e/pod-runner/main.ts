/**
 * `tsx pod-runner/main.ts <config.json>`: runs the pod runner until SIGTERM or SIGINT. The JSON file
 * holds the PodRunnerOptions (see runner.ts) but `kubeconfig`, a kubeconfig file's path, in place of
 * `kubeConfig`. up.sh writes it and starts this as a daemon.
 */
import { readFileSync } from "node:fs";
import { KubeConfig } from "@kubernetes/client-node";
import { PodRunner, type PodRunnerOptions } from "./runner.js";

type FileOptions = Omit<PodRunnerOptions, "kubeConfig" | "log" | "baseEnv"> & { kubeconfig: string };

function readOptions(file: string): FileOptions {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as Partial<FileOptions>;
  for (const key of ["kubeconfig", "workRoot", "logDir"] as const) {
    if (typeof parsed[key] !== "string") throw new Error(`${file}: "${key}" must be a string`);
  }
  if (!Array.isArray(parsed.images) || parsed.images.some((m) => typeof m?.image !== "string" || !Array.isArray(m.path))) {
    throw new Error(`${file}: "images" must be a list of { "image": "<prefix>", "path": ["<dir>", …] }`);
  }
  return parsed as FileOptions;
}

const file = process.argv[2];
if (!file) {
  console.error("usage: pod-runner <config.json>");
  process.exit(2);
}
const { kubeconfig, ...options } = readOptions(file);
const kubeConfig = new KubeConfig();
kubeConfig.loadFromFile(kubeconfig);
const runner = new PodRunner({ ...options, kubeConfig, log: (line) => console.log(`${new Date().toISOString()} ${line}`) });
await runner.start();
console.log(`${new Date().toISOString()} pod runner watching ${kubeConfig.getCurrentCluster()?.server ?? "?"}`);
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => void runner.stop().finally(() => process.exit(0)));
}
