import { spawn } from "node:child_process";
import { basename } from "node:path";
import { formatDuration } from "../duration.js";
import { AuthenticationError } from "../errors.js";
import type { FlowContext } from "./oauth.js";
import { jwtExpiry, type TokenSet } from "./token.js";

const MAX_OUTPUT_BYTES = 256 * 1024;

/**
 * Runs `admin.command` (no shell) and uses its standard output, trimmed, as the access token; when it
 * prints several lines, the last non-empty one. Error messages name only the program, never its
 * arguments (which may hold credentials), and are redacted of the token.
 */
export async function externalCommandFlow(ctx: FlowContext): Promise<TokenSet> {
  const [program, ...args] = ctx.config.command ?? [];
  if (!program) throw new AuthenticationError("ExternalCommand", "no command is configured (admin.command)");
  const name = basename(program);
  const { code, stdout, stderr, timedOut, spawnError } = await run(program, args, ctx.config.externalCommandTimeoutMs);
  const lines = stdout.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const token = lines.at(-1);
  if (token) ctx.redactor.add(token);
  if (spawnError) throw new AuthenticationError("ExternalCommand", `cannot run ${name}: ${ctx.redactor.redact(spawnError)}`);
  if (timedOut) throw new AuthenticationError("ExternalCommand", `${name} did not finish within ${formatDuration(ctx.config.externalCommandTimeoutMs)}`);
  if (code !== 0) {
    const tail = stderr.trim().slice(-500);
    throw new AuthenticationError("ExternalCommand", `${name} exited with code ${code}${tail ? `: ${ctx.redactor.redact(tail)}` : ""}`);
  }
  if (!token) throw new AuthenticationError("ExternalCommand", `${name} printed no token on its standard output`);
  const now = ctx.now();
  const expiresAt = jwtExpiry(token);
  return expiresAt === undefined ? { accessToken: token, issuedAt: now } : { accessToken: token, issuedAt: now, expiresAt };
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError: string | undefined;
}

function run(program: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outSize = 0;
    let timedOut = false;
    let spawnError: string | undefined;
    const collect = (into: Buffer[]) => (chunk: Buffer) => {
      outSize += chunk.byteLength;
      if (outSize <= MAX_OUTPUT_BYTES) into.push(chunk);
    };
    child.stdout.on("data", collect(out));
    child.stderr.on("data", collect(err));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    let settled = false;
    const finish = (code: number | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8"), timedOut, spawnError });
    };
    // A program that cannot be started reports "error" and may never report "close".
    child.on("error", (error) => {
      spawnError = error.message;
      finish(null);
    });
    child.on("close", finish);
  });
}
