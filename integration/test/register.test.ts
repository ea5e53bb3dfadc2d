import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registrationBundle, serializationContext } from "@flytekit-ts/compiler";
import { flyteidl, formatIdentifier } from "@flytekit-ts/idl";
import { InvalidArgumentError, NotFoundError, RegistrationConflictError, RegistrationError, type AdminClient, type RegisteredEntity, type FlyteRemote } from "@flytekit-ts/remote";
import { IMAGE, adminClient, echoWf, exampleModules, referenced, referencedGreetLp, referencedPython, remote, uniqueVersion } from "./support/remote.js";

let client: AdminClient;
let flyte: FlyteRemote;
beforeAll(async () => {
  client = adminClient();
  flyte = remote(client);
  // What examples/workflows/src/references.ts and mixed-language.ts refer to must be on the cluster first.
  const context = serializationContext({ image: IMAGE });
  await flyte.registerEntries(await registrationBundle([referenced.normalize, referenced.greet, referencedGreetLp], context), { version: "v42" });
  await flyte.registerEntries(await registrationBundle(referencedPython, context), { version: "v1" });
});
afterAll(() => client.close());

const PROJECT = "flytesnacks";
const DOMAIN = "development";

describe("registering on a real FlyteAdmin", () => {
  it("accepts every task, workflow and launch plan examples/ produces — FlyteAdmin compiles each workflow", async () => {
    const modules = await exampleModules();
    expect(modules.length).toBeGreaterThanOrEqual(9);
    const kinds = new Set(modules.flatMap((m) => m.entries.map((e) => e.kind)));
    expect(kinds).toEqual(new Set(["task", "workflow", "launchPlan"]));
    const version = uniqueVersion("examples");
    const registered = new Map<string, RegisteredEntity>();
    for (const { module, entries } of modules) {
      const result = await flyte.registerEntries(entries, { version });
      expect(result.entities, module).toHaveLength(entries.length);
      // A module registers what it calls too, so an entity two modules share is `exists` the second time.
      for (const entity of result.entities) {
        const key = formatIdentifier(entity.id);
        expect(entity.status, `${module}: ${key}`).toBe(registered.has(key) ? "exists" : "created");
        registered.set(key, entity);
      }
    }
    expect(registered.size).toBeGreaterThanOrEqual(40);

    // Read back: each workflow is stored with the closure FlyteAdmin compiled, each task with its template.
    for (const entity of registered.values()) {
      const id = flyteidl.core.Identifier.create(entity.id);
      if (entity.kind === "workflow") {
        const wf = await client.admin.getWorkflow({ id });
        expect(wf.closure?.compiledWorkflow?.primary?.template?.id?.name, formatIdentifier(id)).toBe(id.name);
      } else if (entity.kind === "task") {
        const task = await client.admin.getTask({ id });
        expect(task.closure?.compiledTask?.template?.id?.version).toBe(version);
      } else {
        const lp = await client.admin.getLaunchPlan({ id });
        expect(lp.spec?.workflowId?.version).toBe(version);
      }
    }
  });

  it("is idempotent: the same entities under the same version register again as `exists`", async () => {
    const version = uniqueVersion("again");
    for (const { module, entries } of await exampleModules()) await flyte.registerEntries(entries, { version }).catch((e: unknown) => Promise.reject(new Error(module, { cause: e })));
    for (const { module, entries } of await exampleModules()) {
      const second = await flyte.registerEntries(entries, { version });
      expect(second.entities.map((e) => e.status), module).toEqual(entries.map(() => "exists"));
    }
  });

  it("refuses a changed template under a registered version with a conflict naming where it differs", async () => {
    const version = uniqueVersion("conflict");
    await flyte.register([referenced.normalize], serializationContext({ image: IMAGE }), { version });
    const changed = flyte.register([referenced.normalize], serializationContext({ image: "other/image:2" }), { version });
    const error = await changed.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistrationConflictError);
    const conflict = error as RegistrationConflictError;
    expect(formatIdentifier(conflict.id)).toBe(`TASK ${PROJECT}/${DOMAIN}/core.flyte_basics.files.normalize_columns@${version}`);
    expect(conflict.message).toMatch(/template\.container\.image/);
  });

  it("refuses a workflow whose task is not registered, naming the workflow, with the server's typed error as the cause", async () => {
    const version = uniqueVersion("missing-task");
    const workflowOnly = (await registrationBundle([echoWf], serializationContext({ image: IMAGE }))).filter((e) => e.kind === "workflow");
    expect(workflowOnly).toHaveLength(1);
    const error = await flyte.registerEntries(workflowOnly, { version }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RegistrationError);
    expect(formatIdentifier((error as RegistrationError).id)).toBe(`WORKFLOW ${PROJECT}/${DOMAIN}/integration.echo_wf@${version}`);
    expect((error as RegistrationError).cause).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/integration\.echo/);
  });

  it("answers NOT_FOUND and INVALID_ARGUMENT as typed errors", async () => {
    const missing = await client.admin
      .getTask({ id: { resourceType: flyteidl.core.ResourceType.TASK, project: PROJECT, domain: DOMAIN, name: "no.such.task", version: "v0" } })
      .catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(NotFoundError);
    expect((missing as NotFoundError).code).toBe("NOT_FOUND");

    const invalid = await client.admin.listTasks({ id: { project: PROJECT, domain: DOMAIN, name: "no.such.task" }, limit: 0 }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(InvalidArgumentError);
    expect((invalid as InvalidArgumentError).code).toBe("INVALID_ARGUMENT");
    expect((invalid as InvalidArgumentError).serverMessage).toMatch(/limit/);

    const unknownProject = await flyte
      .register([referenced.normalize], serializationContext({ image: IMAGE }), { project: "no-such-project", version: uniqueVersion("p") })
      .catch((e: unknown) => e);
    expect(unknownProject).toBeInstanceOf(RegistrationError);
    expect((unknownProject as RegistrationError).cause).toBeInstanceOf(InvalidArgumentError);
    expect((unknownProject as Error).message).toMatch(/no-such-project/);

    const unknownDomain = await flyte.register([referenced.normalize], serializationContext({ image: IMAGE }), { domain: "nodomain", version: uniqueVersion("d") }).catch((e: unknown) => e);
    expect((unknownDomain as RegistrationError).cause).toBeInstanceOf(InvalidArgumentError);
    expect((unknownDomain as Error).message).toMatch(/nodomain/);
  });
});
