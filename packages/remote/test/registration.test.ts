import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REGISTRATION_CONTEXT_ENV, decodeRegistrationContext, encodeRegistrationContext } from "@flytekit-ts/compiler";
import { flyteidl } from "@flytekit-ts/idl";
import { applyFastRegistration, createTarGz, fastExecuteArgs, hydrate, ignoreMatcher, readBundle, readTar, type RegistrationEntry } from "../src/index.js";

const hasTar = spawnSync("tar", ["--version"]).status === 0;
const coords = { project: "flytesnacks", domain: "development", version: "v9" };

describe("tar", () => {
  const files = [
    { path: "src/flows.ts", data: Buffer.from("export const a = 1;\n") },
    { path: `deep/${"d".repeat(120)}/${"f".repeat(120)}.ts`, data: Buffer.from("long\n") },
    { path: `x/${"n".repeat(130)}.ts`, data: Buffer.from("pax\n"), executable: true },
    { path: "empty.txt", data: Buffer.alloc(0) },
  ];

  it("round-trips files, long paths included, byte-for-byte deterministically", () => {
    const a = createTarGz(files);
    expect(createTarGz([...files].reverse()).equals(a)).toBe(true);
    expect(readTar(a).map((f) => [f.path, Buffer.from(f.data).toString()])).toEqual(
      [...files].sort((x, y) => (x.path < y.path ? -1 : 1)).map((f) => [f.path, f.data.toString()]),
    );
  });

  it("refuses paths that would escape the destination", () => {
    expect(() => createTarGz([{ path: "../etc/passwd", data: Buffer.alloc(1) }])).toThrow(/relative/);
    expect(() => createTarGz([{ path: "/abs", data: Buffer.alloc(1) }])).toThrow(/relative/);
  });

  it.skipIf(!hasTar)("is read by GNU tar, and reads what GNU tar writes", () => {
    const dir = mkdtempSync(join(tmpdir(), "tar-interop-"));
    writeFileSync(join(dir, "ours.tar.gz"), createTarGz(files));
    mkdirSync(join(dir, "out"));
    execFileSync("tar", ["-xzf", join(dir, "ours.tar.gz"), "-C", join(dir, "out")]);
    for (const f of files) expect(readFileSync(join(dir, "out", f.path)).equals(f.data)).toBe(true);
    execFileSync("tar", ["-czf", join(dir, "theirs.tgz"), "-C", join(dir, "out"), "."]);
    const theirs = readTar(readFileSync(join(dir, "theirs.tgz")));
    for (const f of files) expect(Buffer.from(theirs.find((t) => t.path === f.path)?.data ?? []).equals(f.data)).toBe(true);
  });
});

describe("hydration", () => {
  const ref = (name: string) => ({ resourceType: flyteidl.core.ResourceType.TASK, name });
  const entries = (): RegistrationEntry[] => [
    {
      kind: "task",
      name: "t",
      spec: flyteidl.admin.TaskSpec.create({
        template: {
          id: { resourceType: flyteidl.core.ResourceType.TASK, name: "t", project: "{{ registration.project }}" },
          container: {
            image: "i",
            args: ["flyte-ts", "execute", "--inputs", "{{.input}}"],
            env: [{ key: REGISTRATION_CONTEXT_ENV, value: encodeRegistrationContext({ project: "", domain: "", version: "", image: "i" }) }],
          },
        },
      }),
    },
    {
      kind: "workflow",
      name: "wf",
      spec: flyteidl.admin.WorkflowSpec.create({
        template: {
          id: { resourceType: flyteidl.core.ResourceType.WORKFLOW, name: "wf" },
          nodes: [
            { id: "n0", taskNode: { referenceId: ref("t") } },
            {
              id: "n1",
              branchNode: { ifElse: { case: { thenNode: { id: "n1-n0", taskNode: { referenceId: ref("t") } } }, elseNode: { id: "n1-n1", workflowNode: { subWorkflowRef: { resourceType: 2, name: "sub" } } } } },
            },
            { id: "n2", workflowNode: { launchplanRef: { resourceType: 3, name: "lp", project: "other", domain: "production", version: "v1" } } },
          ],
          failureNode: { id: "fn0", taskNode: { referenceId: ref("t") } },
        },
        subWorkflows: [{ id: { resourceType: 2, name: "sub" }, nodes: [{ id: "n0", arrayNode: { node: { id: "n0-n0", taskNode: { referenceId: ref("t") } } } }] }],
      }),
    },
    { kind: "launchPlan", name: "wf", spec: flyteidl.admin.LaunchPlan.create({ id: { resourceType: 3, name: "wf" }, spec: { workflowId: { resourceType: 2, name: "wf" } } }) },
  ];

  it("fills project, domain and version into every id and reference, and into a dynamic's registration context", () => {
    const list = entries();
    hydrate(list, coords);
    const [task, wf, lp] = list as [Extract<RegistrationEntry, { kind: "task" }>, Extract<RegistrationEntry, { kind: "workflow" }>, Extract<RegistrationEntry, { kind: "launchPlan" }>];
    const full = expect.objectContaining(coords);
    expect(task.spec.template?.id).toEqual(full);
    expect(decodeRegistrationContext(task.spec.template?.container?.env?.[0]?.value ?? "")).toMatchObject(coords);
    const nodes = wf.spec.template?.nodes ?? [];
    expect(wf.spec.template?.id).toEqual(full);
    expect(nodes[0]?.taskNode?.referenceId).toEqual(full);
    expect(nodes[1]?.branchNode?.ifElse?.case?.thenNode?.taskNode?.referenceId).toEqual(full);
    expect(nodes[1]?.branchNode?.ifElse?.elseNode?.workflowNode?.subWorkflowRef).toEqual(full);
    // A reference to an entity registered elsewhere keeps its coordinates.
    expect(nodes[2]?.workflowNode?.launchplanRef).toMatchObject({ project: "other", domain: "production", version: "v1" });
    expect(wf.spec.template?.failureNode?.taskNode?.referenceId).toEqual(full);
    expect(wf.spec.subWorkflows[0]?.id).toEqual(full);
    expect(wf.spec.subWorkflows[0]?.nodes?.[0]?.arrayNode?.node?.taskNode?.referenceId).toEqual(full);
    expect([lp.spec.id, lp.spec.spec?.workflowId]).toEqual([full, full]);
  });

  it("rewrites task args for fast registration, substituting pyflyte's placeholders and replacing an older distribution", () => {
    const fast = { distribution: "s3://b/fastX.tar.gz", destDir: "/root" };
    const prefix = ["flyte-ts", "fast-execute", "--additional-distribution", "s3://b/fastX.tar.gz", "--dest-dir", "/root", "--"];
    expect(fastExecuteArgs(["flyte-ts", "execute", "--inputs", "x"], fast)).toEqual([...prefix, "flyte-ts", "execute", "--inputs", "x"]);
    expect(fastExecuteArgs(["flyte-ts", "fast-execute", "--additional-distribution", "s3://old", "--dest-dir", ".", "--", "flyte-ts", "execute"], fast)).toEqual([...prefix, "flyte-ts", "execute"]);
    expect(fastExecuteArgs(["pyflyte-fast-execute", "--additional-distribution", "{{ .remote_package_path }}", "--dest-dir", "{{ .dest_dir }}"], fast)).toEqual([
      "pyflyte-fast-execute", "--additional-distribution", "s3://b/fastX.tar.gz", "--dest-dir", "/root",
    ]);
    expect(fastExecuteArgs(["python", "main.py"], fast)).toEqual(["python", "main.py"]);
    expect(fastExecuteArgs(["flyte-ts", "execute-map", "--inputs", "x"], fast)).toEqual([...prefix, "flyte-ts", "execute-map", "--inputs", "x"]);
    const list = entries();
    applyFastRegistration(list, fast);
    expect((list[0] as Extract<RegistrationEntry, { kind: "task" }>).spec.template?.container?.args?.slice(0, 7)).toEqual(prefix);
  });

  it("reads bundles in index order and refuses files that are not bundle members", async () => {
    const files = [
      { path: "10_b_3.pb", data: flyteidl.admin.LaunchPlan.encode(flyteidl.admin.LaunchPlan.create({ id: { name: "b" } })).finish() },
      { path: "2_a_1.pb", data: flyteidl.admin.TaskSpec.encode(flyteidl.admin.TaskSpec.create({ template: { id: { name: "a" } } })).finish() },
    ];
    expect((await readBundle(createTarGz(files))).map((e) => `${e.kind}:${e.name}`)).toEqual(["task:a", "launchPlan:b"]);
    await expect(readBundle(createTarGz([...files, { path: "notes.pb", data: Buffer.alloc(0) }]))).rejects.toThrow(/notes\.pb is not a bundle member/);
  });

  it("matches .flyteignore patterns like gitignore does (names anywhere, anchored paths, directories)", () => {
    const ignored = ignoreMatcher(["*.log", "build/", "docs/internal", "# comment", ""]);
    expect(ignored("a/b/x.log", false)).toBe(true);
    expect(ignored("build", true)).toBe(true);
    expect(ignored("build", false)).toBe(false);
    expect(ignored("docs/internal", true)).toBe(true);
    expect(ignored("src/docs/internal", true)).toBe(false);
    expect(ignored("src/main.ts", false)).toBe(false);
  });
});
