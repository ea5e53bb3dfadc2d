import { createRequire } from "node:module";
import type { Hash } from "node:crypto";

type NodeCrypto = typeof import("node:crypto");
let nodeCrypto: NodeCrypto | undefined;

/**
 * `node:crypto`'s createHash, with the module loaded on first use. Importing node:crypto pulls in
 * Node's streams and costs every task process ~6 ms and 1.5 MB at start-up, while the compiler hashes
 * only when it names a long node id, a map task or a bundle version.
 */
export function createHash(algorithm: string): Hash {
  nodeCrypto ??= createRequire(import.meta.url)("node:crypto") as NodeCrypto;
  return nodeCrypto.createHash(algorithm);
}
