import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { containerTask, workflow } from "@flytekit-ts/compiler";
import { t, type FlyteFile } from "@flytekit-ts/types";
import { mock, runLocally } from "../src/index.js";

const shell = containerTask({
  name: "tools.shell_math",
  image: "ghcr.io/acme/shell:1",
  command: ["sh", "-c"],
  args: [
    [
      "echo $(( {{.inputs.a}} * {{.inputs.b}} )) > /var/outputs/area",
      "printf '%s\\n' \"{{.inputs.label}} from $GREETING\" > /var/outputs/metadata",
      "wc -c < /var/inputs/text | tr -d ' ' > /var/outputs/size",
      "cat /var/inputs/a > /var/outputs/a_file",
      "cp /var/inputs/text /var/outputs/copy",
      "echo 0:01:30 > /var/outputs/wait",
      "echo false > /var/outputs/ok",
      "echo running >&2",
    ].join(" && "),
  ],
  inputs: { a: t.int(), b: t.int(), label: t.string(), text: t.file() },
  outputs: { area: t.int(), metadata: t.string(), size: t.int(), a_file: t.string(), copy: t.file(), wait: t.duration(), ok: t.boolean() },
  inputDataDir: "/var/inputs",
  outputDataDir: "/var/outputs",
  environment: { GREETING: "the task env" },
});

const wf = workflow(
  { name: "tools.wf", inputs: { text: t.file() }, outputs: { area: t.int(), metadata: t.string(), size: t.int(), a_file: t.string(), copy: t.file(), wait: t.duration(), ok: t.boolean() } },
  ({ text }) => {
    const out = shell({ a: 6, b: 7, label: "hi", text });
    return { area: out.area, metadata: out.metadata, size: out.size, a_file: out.a_file, copy: out.copy, wait: out.wait, ok: out.ok };
  },
);

function textFile(content: string): FlyteFile {
  const path = join(mkdtempSync(join(tmpdir(), "flyte-ts-ct-")), "text.txt");
  writeFileSync(path, content);
  return { path };
}

// Commands run as processes: slow on a loaded machine.
describe("container tasks in local runs", { timeout: 120_000 }, () => {
  it("are an error asking for a mock unless the run allows running their commands", async () => {
    await expect(runLocally(wf, { text: textFile("x") }, { cacheDir: false })).rejects.toThrow(/tools\.shell_math is a container task .*mock it .*containerTasks: "run-command"/);
    const outputs = await runLocally(wf, { text: textFile("x") }, {
      cacheDir: false,
      mocks: [mock(shell, ({ a, b }) => ({ area: a * b, metadata: "mocked", size: 1, a_file: String(a), copy: { path: "/dev/null" }, wait: 0, ok: true }))],
    });
    expect([outputs.area, outputs.metadata]).toEqual([42, "mocked"]);
  });

  it("run their command here with containerTasks: \"run-command\": inputs as files and template values, outputs read by type", async () => {
    const outputs = await runLocally(wf, { text: textFile("hello world") }, { cacheDir: false, containerTasks: "run-command" });
    expect(outputs.area).toBe(42);
    expect(outputs.metadata).toBe("hi from the task env");
    expect(outputs.size).toBe(11);
    expect(outputs.a_file).toBe("6");
    expect(readFileSync(outputs.copy.path, "utf8")).toBe("hello world");
    expect(outputs.wait).toBe(90_000);
    expect(outputs.ok).toBe(false);
  });

  it("fail with the exit code and the end of stderr, or name the output the command did not write", async () => {
    const failing = containerTask({ name: "tools.fail", image: "alpine", command: ["sh", "-c", "echo broken pipe >&2; exit 3"] });
    const one = workflow({ name: "tools.fail_wf" }, () => {
      failing({});
      return {};
    });
    await expect(runLocally(one, {}, { cacheDir: false, containerTasks: "run-command" })).rejects.toThrow(/tools\.fail: .*exited with 3; stderr ends with:\nbroken pipe/);

    const lazy = containerTask({ name: "tools.lazy", image: "alpine", command: ["true"], outputs: { o0: t.int() }, outputDataDir: "/out" });
    const two = workflow({ name: "tools.lazy_wf", outputs: { o0: t.int() } }, () => ({ o0: lazy({}).o0 }));
    await expect(runLocally(two, {}, { cacheDir: false, containerTasks: "run-command" })).rejects.toThrow(/tools\.lazy: output "o0" \(.*\/outputs\/o0\) was not written by the command/);

    const missing = containerTask({ name: "tools.missing", image: "alpine", command: ["no-such-command-here"] });
    const three = workflow({ name: "tools.missing_wf" }, () => {
      missing({});
      return {};
    });
    await expect(runLocally(three, {}, { cacheDir: false, containerTasks: "run-command" })).rejects.toThrow(/command "no-such-command-here" is not on this machine/);
  });
});
