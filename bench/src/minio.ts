import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** A MinIO server of this run: an S3-compatible store on loopback, as a pod's blob store. */
export interface Minio {
  endpoint: string;
  /** What a pod gets to reach it: the AWS SDK reads AWS_*, flytekit FLYTE_AWS_*. */
  env: Record<string, string>;
  /** Stops the server and removes its data once it has exited (it writes until then). */
  stop(): Promise<void>;
}

const repoDir = fileURLToPath(new URL("../..", import.meta.url));
const USER = "flytekit-ts-bench";
const SECRET = "flytekit-ts-bench-secret";

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });

const accepts = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => {
      socket.end();
      resolve(true);
    });
    socket.on("error", () => resolve(false));
  });

/**
 * Starts MinIO, the binary the integration suite builds (integration/flyte/build.sh: cached after its
 * first build), or says why it cannot and returns undefined.
 */
export async function startMinio(): Promise<Minio | undefined> {
  let binary: string;
  try {
    const printed = execFileSync("bash", [join(repoDir, "integration", "flyte", "build.sh"), "minio"], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    binary = printed.trim().split("\n").at(-1) ?? "";
  } catch (error) {
    console.warn(`no MinIO for the S3 rows (integration/flyte/build.sh minio failed): ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), "flyte-ts-bench-minio-"));
  const server = spawn(binary, ["server", data, "--address", `127.0.0.1:${port}`, "--quiet"], {
    env: { ...process.env, MINIO_ROOT_USER: USER, MINIO_ROOT_PASSWORD: SECRET },
    stdio: "ignore",
  });
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  const stop = async () => {
    server.kill();
    await exited;
    rmSync(data, { recursive: true, force: true });
  };
  const endpoint = `http://127.0.0.1:${port}`;
  // Bounded: MinIO starts in a second or two; a loaded machine gets a minute.
  let ready = false;
  for (let i = 0; i < 600 && !ready; i++) {
    ready = (await accepts(port)) && (await fetch(`${endpoint}/minio/health/ready`).then((r) => r.ok, () => false));
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) {
    await stop();
    console.warn(`MinIO did not become ready on ${endpoint}: no S3 rows`);
    return undefined;
  }
  const env = {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ACCESS_KEY_ID: USER,
    AWS_SECRET_ACCESS_KEY: SECRET,
    AWS_REGION: "us-east-1",
    FLYTE_AWS_ENDPOINT: endpoint,
    FLYTE_AWS_ACCESS_KEY_ID: USER,
    FLYTE_AWS_SECRET_ACCESS_KEY: SECRET,
  };
  return { endpoint, env, stop };
}
