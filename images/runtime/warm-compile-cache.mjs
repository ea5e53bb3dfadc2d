// Run once while the image is built, with NODE_COMPILE_CACHE set (Node.js 22.1 or newer): loads what
// task processes load — the SDK always, the S3 SDK in every pod whose cluster stores blobs in S3 or
// MinIO — so that Node.js stores V8's compiled code for those modules in the cache and each pod starts
// from it instead of parsing and compiling them again (docs/decisions/0095). Run from the directory
// whose node_modules holds flytekit-ts.
if (!process.env.NODE_COMPILE_CACHE) throw new Error("warm-compile-cache.mjs: set NODE_COMPILE_CACHE to the cache directory to fill");
await import("flytekit-ts");
// Optional: images without it (or a pod on gs://, which loads the Google SDK only when asked) still work.
await import("@aws-sdk/client-s3").catch((error) => {
  if (error?.code !== "ERR_MODULE_NOT_FOUND") throw error;
});
