/**
 * Lays out the runtime image's /app for this profile's pods, as images/runtime/Dockerfile does: the
 * packed packages (what would be published) installed by npm without optional dependencies, the blob
 * stores' SDKs at the image's pins, and the compile cache filled by the image's own warm-up script on
 * the image's Node.js. Also zod, which the modules this suite registers import (a project's image would
 * have it). Usage: install-app.ts <directory>. Prints the Node.js binary, the app directory and its
 * compile cache, one per line.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { imageNode, installImageApp, warmCompileCache } from "@flytekit-ts/image-node";

if (!process.argv[2]) throw new Error("usage: install-app.ts <directory>");
const app = resolve(process.argv[2]);
const own = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { devDependencies: Record<string, string> };
await installImageApp(app, { zod: own.devDependencies["zod"] as string });
const node = imageNode();
const cache = warmCompileCache(node, app, join(app, ".node-compile-cache"));
console.log([node.path, app, cache].join("\n"));
