import { spawn } from "node:child_process";
import type { DeviceCodePrompt } from "./oauth.js";

/**
 * Opens `url` in the default browser (`open`, `xdg-open` or `start`) and prints it to stderr too, for
 * machines where no browser opens. The URL carries no secret: only the PKCE challenge and a state.
 */
export function openInBrowser(url: string): void {
  process.stderr.write(`Log in to Flyte in your browser. If it does not open, visit:\n  ${url}\n`);
  const [command, args] =
    process.platform === "darwin" ? ["open", [url]] : process.platform === "win32" ? ["cmd", ["/c", "start", '""', url.replace(/&/g, "^&")]] : ["xdg-open", [url]];
  try {
    const child = spawn(command, args, { stdio: "ignore", detached: true, windowsHide: true });
    child.on("error", () => {});
    child.unref();
  } catch {
    // The printed URL is the fallback.
  }
}

/** Prints the device flow's instructions to stderr. The user code is meant to be shown; the device code never is. */
export function printDeviceCode(prompt: DeviceCodePrompt): void {
  const where = prompt.verificationUriComplete ?? prompt.verificationUri;
  process.stderr.write(
    `To log in to Flyte, visit ${where}${prompt.verificationUriComplete ? "" : ` and enter the code ${prompt.userCode}`} (valid for ${Math.round(prompt.expiresInSeconds / 60)} min).\n`,
  );
}
