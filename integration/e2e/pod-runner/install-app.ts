/**
 * Lays out the runtime image's /app for this profile's pods, as images/runtime/Dockerfile does: the
 * packed packages (what would be published) installed by npm without optional dependencies, the blob
 * stores' SDKs at the image's pins, and the compile cache filled by the image's own warm-up script on
 * the image's Node.js. Also zod, which the modules this suite registers import (a project's image would
 * have it). Usage: install-app.ts <directory>. Prints the Node.js binary, the app directory and its
 * compile cache, one per line.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { imageNode, imageStorageSdks, warmCompileCache } from "@flytekit-ts/image-node";
import { npm, packPackages } from "../../../test-support/packed-packages.js";

const app = resolve(process.argv[2] ?? "");
if (!process.argv[2]) throw new Error("usage: install-app.ts <directory>");
rmSync(app, { recursive: true, force: true });
mkdirSync(app, { recursive: true });
const tarballs = Object.fromEntries(Object.entries(await packPackages(join(app, ".packs"))).map(([name, path]) => [name, `file:${path}`]));
const own = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { devDependencies: Record<string, string> };
const dependencies = {
  "@flytekit-ts/cli": tarballs["@flytekit-ts/cli"],
  "flytekit-ts": tarballs["flytekit-ts"],
  ...imageStorageSdks(),
  zod: own.devDependencies["zod"],
};
writeFileSync(join(app, "package.json"), JSON.stringify({ name: "flyte-app", private: true, type: "module", dependencies, overrides: tarballs }, null, 2));
await npm(["install", "--omit=optional"], app);
const node = imageNode();
const cache = warmCompileCache(node, app, join(app, ".node-compile-cache"));
console.log([node.path, app, cache].join("\n"));
