import type Long from "long";
import { describe, expectTypeOf, it } from "vitest";
import { flyteidl, fromProtoJson, grpcServiceDefinition, messageClass, type MessageClass } from "../src/index.js";

describe("declarations", () => {
  it("type decoded messages by their class", () => {
    const spec = flyteidl.admin.TaskSpec.decode(new Uint8Array());
    expectTypeOf(spec).toMatchTypeOf<flyteidl.admin.TaskSpec>();
    expectTypeOf(spec.template).toMatchTypeOf<flyteidl.core.TaskTemplate.$Properties | null | undefined>();
    expectTypeOf(fromProtoJson(flyteidl.core.DynamicJobSpec, {})).toMatchTypeOf<flyteidl.core.DynamicJobSpec>();
  });

  it("type 64-bit fields as number | Long, never as a plain number", () => {
    expectTypeOf<flyteidl.core.Primitive["integer"]>().toEqualTypeOf<number | Long | null | undefined>();
  });

  it("type enums as numeric enums", () => {
    expectTypeOf(flyteidl.core.ResourceType.TASK).toMatchTypeOf<number>();
    // @ts-expect-error: a misspelt enum member is a compile-time error
    void flyteidl.core.ResourceType.TAKS;
  });

  it("type gRPC definitions per method", () => {
    const admin = grpcServiceDefinition(flyteidl.service.AdminService);
    expectTypeOf(admin.CreateTask.requestDeserialize).returns.toMatchTypeOf<flyteidl.admin.ITaskCreateRequest>();
    expectTypeOf(admin.GetExecution.responseDeserialize).returns.toEqualTypeOf<flyteidl.admin.Execution>();
    // @ts-expect-error: no such method
    void admin.CreateTaskk;
  });

  it("type name lookups as generic message classes", () => {
    expectTypeOf(messageClass("flyteidl.admin.TaskSpec")).toEqualTypeOf<MessageClass>();
  });
});
