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

/**
 * Prints the device flow's instructions to stderr. The user code is meant to be shown; the device code
 * never is. With a verification URL that carries the code, the code is shown too, for the person to
 * check that the page shows the same one (RFC 8628 §3.3.1) — or to type it when they open the URL
 * elsewhere.
 */
export function printDeviceCode(prompt: DeviceCodePrompt, write: (text: string) => void = (text) => process.stderr.write(text)): void {
  const validity = `valid for ${Math.max(1, Math.round(prompt.expiresInSeconds / 60))} min`;
  write(
    prompt.verificationUriComplete
      ? `To log in to Flyte, visit ${prompt.verificationUriComplete} and check that it shows the code ${prompt.userCode} (${validity}).\n`
      : `To log in to Flyte, visit ${prompt.verificationUri} and enter the code ${prompt.userCode} (${validity}).\n`,
  );
}
