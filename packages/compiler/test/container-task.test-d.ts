import { describe, expectTypeOf, it } from "vitest";
import { t } from "@flytekit-ts/types";
import { containerTask, workflow, type ContainerTask, type Ref } from "../src/index.js";

describe("containerTask types", () => {
  const area = containerTask({
    name: "x.area",
    image: "alpine:3",
    command: ["sh", "-c", "echo {{.inputs.a}}"],
    inputs: { a: t.float(), note: t.optional(t.string()) },
    outputs: { area: t.float() },
    outputDataDir: "/var/outputs",
  });

  it("is a task of its declared inputs and outputs", () => {
    expectTypeOf(area).toExtend<ContainerTask<{ a: ReturnType<typeof t.float>; note: ReturnType<typeof t.optional<string>> }, { area: ReturnType<typeof t.float> }>>();
    workflow({ name: "x.wf", inputs: { a: t.float() }, outputs: { o0: t.float() } }, ({ a }) => {
      const out = area({ a });
      expectTypeOf(out.area).toExtend<Ref<number>>();
      // @ts-expect-error: a is a float, not a string
      area({ a: "x" });
      return { o0: out.area };
    });
  });

  it("takes the image as `image`, not containerImage", () => {
    // @ts-expect-error: containerImage is not a container task setting
    containerTask({ name: "x.bad", image: "alpine", command: ["true"], containerImage: "other" });
  });
});
