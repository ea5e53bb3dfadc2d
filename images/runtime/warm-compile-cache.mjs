// Run once while the image is built, with NODE_COMPILE_CACHE set (Node.js 22.1 or newer): loads the SDK
// every task process loads, so that Node.js stores V8's compiled code for those modules in the cache and
// each pod starts from it instead of parsing and compiling the SDK again (~10 ms of a trivial task's
// ~70 ms on Node 24; docs/decisions/0095). Run from the directory whose node_modules holds flytekit-ts.
if (!process.env.NODE_COMPILE_CACHE) throw new Error("warm-compile-cache.mjs: set NODE_COMPILE_CACHE to the cache directory to fill");
await import("flytekit-ts");
