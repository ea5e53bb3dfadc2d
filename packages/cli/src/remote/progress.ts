import { formatIdentifier } from "@flytekit-ts/idl";
import type { ExecutionProgress, RegisterProgressEvent } from "@flytekit-ts/remote";

/** `[#########...........]` for `done` of `total`. */
export function bar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * width) : 0;
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
}

const KIB = 1024;
export function formatBytes(bytes: number): string {
  if (bytes < KIB) return `${bytes} B`;
  if (bytes < KIB * KIB) return `${(bytes / KIB).toFixed(1)} KiB`;
  return `${(bytes / KIB / KIB).toFixed(1)} MiB`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
}

/** Progress lines for registration: packaging, the upload, and a bar per entity. */
export function registrationProgress(line: (text: string) => void): (event: RegisterProgressEvent) => void {
  return (event) => {
    switch (event.stage) {
      case "package":
        line(`packaged ${event.files} file${event.files === 1 ? "" : "s"} into ${event.fileName} (${formatBytes(event.bytes)})`);
        break;
      case "upload":
        if (event.done) line(`uploaded ${event.fileName} → ${event.nativeUrl ?? ""}`);
        else line(`uploading ${event.fileName} (${formatBytes(event.bytes)}) …`);
        break;
      case "register":
        if (event.status === "registering") return;
        line(`${bar(event.index, event.total)} ${event.index}/${event.total} ${event.status.padEnd(9)} ${formatIdentifier(event.id)}`);
        break;
    }
  };
}

/** Progress lines while watching: one when the phase or the node counts change. */
export function watchProgress(line: (text: string) => void): (progress: ExecutionProgress) => void {
  let last = "";
  return (p) => {
    const nodes = p.nodes && p.nodes.total > 0 ? ` ${bar(p.nodes.done, p.nodes.total)} ${p.nodes.done}/${p.nodes.total} nodes${p.nodes.failed ? `, ${p.nodes.failed} failed` : ""}` : "";
    const key = `${p.phase}${nodes}`;
    if (key === last) return;
    last = key;
    line(`${p.phase.padEnd(10)}${nodes} (${formatDuration(p.elapsedMs)})`);
  };
}
