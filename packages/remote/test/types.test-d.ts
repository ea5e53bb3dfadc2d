import { flyteidl } from "@flytekit-ts/idl";
import { describe, expectTypeOf, it } from "vitest";
import { createAdminClient, type CallOptions, type RemoteConfig, type ServiceClient, type AdminServiceDefinition } from "../src/index.js";

declare const client: ReturnType<typeof createAdminClient>;

describe("service client types", () => {
  it("type each method's request and response from the IDL", () => {
    expectTypeOf(client.admin.getTask).parameter(0).toEqualTypeOf<flyteidl.admin.IObjectGetRequest>();
    expectTypeOf(client.admin.getTask).returns.resolves.toEqualTypeOf<flyteidl.admin.Task>();
    expectTypeOf(client.dataProxy.createUploadLocation).returns.resolves.toEqualTypeOf<flyteidl.service.CreateUploadLocationResponse>();
    expectTypeOf(client.authMetadata.getPublicClientConfig).returns.resolves.toEqualTypeOf<flyteidl.service.PublicClientAuthConfigResponse>();
    expectTypeOf(client.admin.call("GetExecution", {})).resolves.toEqualTypeOf<flyteidl.admin.Execution>();
    expectTypeOf(client.admin.getTask).parameter(1).toEqualTypeOf<CallOptions | undefined>();
  });

  it("reject unknown methods and wrong requests at compile time", () => {
    // @ts-expect-error: no such method
    void client.admin.getTaks;
    // @ts-expect-error: no such method name
    void client.admin.call("GetTaks", {});
    // @ts-expect-error: `id` is an Identifier, not a string
    void client.admin.getTask({ id: "p/d/n/v" });
  });

  it("expose the resolved configuration read-only in spirit, with the auth type as a union", () => {
    expectTypeOf<RemoteConfig["authType"]>().toEqualTypeOf<"ClientSecret" | "Pkce" | "DeviceFlow" | "ExternalCommand">();
    expectTypeOf(client.admin).toEqualTypeOf<ServiceClient<AdminServiceDefinition>>();
  });
});
