import Long from "long";
import { describe, expect, it } from "vitest";
import {
  durationFromMillis,
  durationFromSeconds,
  durationToMillis,
  flyteidl,
  formatIdentifier,
  grpcServiceDefinition,
  launchPlanId,
  literal,
  literalMap,
  taskId,
  timestampFromDate,
  timestampFromEpochNanos,
  timestampToDate,
  timestampToEpochNanos,
  toBigInt,
  toLong,
  toProtoJson,
  toSafeNumber,
  workflowId,
  FLYTEIDL_VERSION,
  google,
  root,
  messageTypeForFile,
  FlytekitError,
  isFlytekitError,
} from "../src/index.js";
import idlPackage from "../package.json" with { type: "json" };

describe("identifiers", () => {
  const coords = { project: "flytesnacks", domain: "development", name: "my_pkg.flows.t1", version: "v1" };

  it("build the ids flytekit builds", () => {
    expect(toProtoJson(flyteidl.core.Identifier, taskId(coords))).toEqual({ resourceType: "TASK", ...coords });
    expect(workflowId(coords).resourceType).toBe(flyteidl.core.ResourceType.WORKFLOW);
    expect(launchPlanId({ ...coords, org: "acme" }).org).toBe("acme");
  });

  it("format readably for messages", () => {
    expect(formatIdentifier(taskId(coords))).toBe("TASK flytesnacks/development/my_pkg.flows.t1@v1");
    expect(formatIdentifier(launchPlanId({ ...coords, org: "acme" }))).toBe("LAUNCH_PLAN acme:flytesnacks/development/my_pkg.flows.t1@v1");
  });
});

describe("64-bit integers", () => {
  it("convert exactly or refuse", () => {
    expect(toLong("9223372036854775807").toString()).toBe("9223372036854775807");
    expect(toLong(12n).toNumber()).toBe(12);
    expect(() => toLong(2 ** 53 + 2)).toThrow(/not a safe integer/);
    expect(() => toLong("9223372036854775808")).toThrow(/does not fit in a int64/);
    expect(() => toLong("1e3")).toThrow(/not a decimal integer/);
    expect(toBigInt(Long.fromString("-9223372036854775808"))).toBe(-9223372036854775808n);
    expect(toSafeNumber(Long.fromNumber(42))).toBe(42);
    expect(() => toSafeNumber("9007199254740993")).toThrow(/losing precision/);
  });
});

describe("durations and timestamps", () => {
  it("make Durations as proto3 JSON prints them", () => {
    expect(toProtoJson(google.protobuf.Duration, durationFromSeconds(90))).toBe("90s");
    expect(toProtoJson(google.protobuf.Duration, durationFromMillis(1500.25))).toBe("1.500250s");
    expect(toProtoJson(google.protobuf.Duration, durationFromMillis(-1500))).toBe("-1.500s");
    expect(durationToMillis(durationFromMillis(86_400_123))).toBe(86_400_123);
    expect(() => durationFromMillis(Number.NaN)).toThrow(/finite/);
  });

  it("make Timestamps, before and after the epoch, exactly", () => {
    const date = new Date("2024-03-01T12:34:56.789Z");
    const ts = timestampFromDate(date);
    expect(toProtoJson(google.protobuf.Timestamp, ts)).toBe("2024-03-01T12:34:56.789Z");
    expect(timestampToDate(ts).toISOString()).toBe(date.toISOString());
    const before = timestampFromEpochNanos(-1_500_000_001n);
    expect(before.nanos).toBeGreaterThanOrEqual(0);
    expect(timestampToEpochNanos(before)).toBe(-1_500_000_001n);
    expect(timestampToDate(before).getTime()).toBe(-1501);
    expect(() => timestampFromDate(new Date("nope"))).toThrow(/invalid Date/);
  });
});

describe("literal constructors", () => {
  it("build the literal shapes flytekit writes", () => {
    const map = literalMap({
      a: literal.integer(5),
      b: literal.float(1.5),
      c: literal.string("x"),
      d: literal.boolean(true),
      e: literal.none(),
      f: literal.collection([literal.integer("9007199254740993")]),
      g: literal.map({ k: literal.duration(2000) }),
      h: literal.datetime(new Date("2020-01-01T00:00:00Z")),
    });
    expect(toProtoJson(flyteidl.core.LiteralMap, map)).toEqual({
      literals: {
        a: { scalar: { primitive: { integer: "5" } } },
        b: { scalar: { primitive: { floatValue: 1.5 } } },
        c: { scalar: { primitive: { stringValue: "x" } } },
        d: { scalar: { primitive: { boolean: true } } },
        e: { scalar: { noneType: {} } },
        f: { collection: { literals: [{ scalar: { primitive: { integer: "9007199254740993" } } }] } },
        g: { map: { literals: { k: { scalar: { primitive: { duration: "2s" } } } } } },
        h: { scalar: { primitive: { datetime: "2020-01-01T00:00:00Z" } } },
      },
    });
  });
});

describe("gRPC service definitions", () => {
  it("describe every AdminService method with working serialisers", () => {
    const admin = grpcServiceDefinition(flyteidl.service.AdminService);
    const create = admin.CreateTask;
    expect(create.path).toBe("/flyteidl.service.AdminService/CreateTask");
    expect(create.originalName).toBe("createTask");
    expect([create.requestStream, create.responseStream]).toEqual([false, false]);
    const request = flyteidl.admin.TaskCreateRequest.create({ id: taskId({ project: "p", domain: "d", name: "n", version: "v" }) });
    const bytes = create.requestSerialize(request);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(create.requestDeserialize(bytes).id?.name).toBe("n");
    expect(Object.keys(admin).length).toBe(root.lookupService("flyteidl.service.AdminService").methodsArray.length);
  });

  it("covers the data proxy and auth metadata services too", () => {
    expect(grpcServiceDefinition(flyteidl.service.DataProxyService).CreateUploadLocation.responseType).toBe(
      flyteidl.service.CreateUploadLocationResponse,
    );
    expect(grpcServiceDefinition(flyteidl.service.AuthMetadataService).GetOAuth2Metadata.path).toBe(
      "/flyteidl.service.AuthMetadataService/GetOAuth2Metadata",
    );
  });

  it("refuses what is not a generated service", () => {
    expect(() => grpcServiceDefinition(flyteidl.admin.TaskSpec as never)).toThrow(/expected a generated service/);
  });
});

it("reports the flyteidl version it was generated from, matching the pinned dependency", () => {
  expect(idlPackage.devDependencies["@flyteorg/flyteidl"]).toBe(FLYTEIDL_VERSION);
});


describe("messageTypeForFile", () => {
  it("knows the container contract's files and pyflyte package's suffixes", () => {
    expect(messageTypeForFile("/tmp/out/futures.pb")).toBe("flyteidl.core.DynamicJobSpec");
    expect(messageTypeForFile("inputs.pb")).toBe("flyteidl.core.LiteralMap");
    expect(messageTypeForFile("error.pb")).toBe("flyteidl.core.ErrorDocument");
    expect(messageTypeForFile("0_examples.plain_task.heavy_task_1.pb")).toBe("flyteidl.admin.TaskSpec");
    expect(messageTypeForFile("12_wf_2.pb")).toBe("flyteidl.admin.WorkflowSpec");
    expect(messageTypeForFile("3_wf_3.pb")).toBe("flyteidl.admin.LaunchPlan");
    expect(messageTypeForFile("notes.pb")).toBeUndefined();
    expect(messageTypeForFile("x_4.pb")).toBeUndefined();
  });
});

describe("FlytekitError", () => {
  it("carries a code and is recognised by brand, not by instanceof", () => {
    class Custom extends FlytekitError {}
    const error = new Custom("E_TEST", "went wrong", { cause: new Error("root") });
    expect(error.code).toBe("E_TEST");
    expect(error.name).toBe("Custom");
    expect(isFlytekitError(error)).toBe(true);
    expect(isFlytekitError(new Error("plain"))).toBe(false);
    expect(isFlytekitError(Object.assign(new Error("copy"), { [Symbol.for("flytekit-ts.error")]: true }))).toBe(true);
  });
});

describe("long durations", () => {
  it("keep every millisecond beyond 2^53 nanoseconds", () => {
    const ms = 578_040_550_897; // ~18 years
    expect(durationToMillis(durationFromMillis(ms))).toBe(ms);
    expect(toProtoJson(google.protobuf.Duration, durationFromMillis(ms))).toBe("578040550.897s");
  });
});
