import { compileDynamic, serializationContext } from "@flytekit-ts/compiler";
const mu = (l) => { const m = process.memoryUsage(); console.log(l.padEnd(20), `rss ${(m.rss/1e6).toFixed(1)} heapUsed ${(m.heapUsed/1e6).toFixed(1)} heapTotal ${(m.heapTotal/1e6).toFixed(1)} t ${performance.now().toFixed(0)}`); };
mu("start");
const { fanOut } = await import("./fixtures/flows.mjs");
mu("loaded");
const typeContext = { storage: undefined, rawOutputPrefix: "/tmp/raw", workDir: "/tmp/w" };
const ctx = serializationContext({ project: "p", domain: "d", version: "v", image: "img", typeContext, locations: () => ({}), locate: (e) => ({ module: "fixtures/flows.mjs", name: e.name === "bench.t1" ? "t1" : "fanOut" }) });
const r = await compileDynamic(fanOut, { a: 10000 }, ctx);
mu("compiled " + r.bytes.length);
