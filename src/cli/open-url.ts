import { spawn } from "node:child_process";
import type { CliIo } from "./io.js";

/** Opens a URL for the user, or does nothing; never throws and never waits for the browser. */
export type UrlOpener = (url: string) => void;

/**
 * The opener a login uses: the desktop's browser, but only where someone sits at a desktop: an
 * interactive terminal, not under CI, and a display (macOS, Windows, or `DISPLAY` /
 * `WAYLAND_DISPLAY` on Linux). Everywhere else the printed URL is the only way, and nothing runs.
 */
export function desktopOpener(io: CliIo, platform: NodeJS.Platform = process.platform): UrlOpener {
  const desktop = platform === "darwin" || platform === "win32" || Boolean(io.env.DISPLAY || io.env.WAYLAND_DISPLAY);
  if (!io.stdin.isTTY || io.env.CI || !desktop) return () => {};
  // Not `cmd /c start`: cmd reads every `&` of the query as a command separator, cutting the URL
  // (state, PKCE challenge) and running the rest. rundll32 hands the URL to the browser whole.
  const [cmd, pre]: [string, string[]] =
    platform === "darwin"
      ? ["open", []]
      : platform === "win32"
        ? ["rundll32", ["url.dll,FileProtocolHandler"]]
        : ["xdg-open", []];
  return (url) => {
    try {
      const child = spawn(cmd, [...pre, url], { detached: true, stdio: "ignore", env: io.env });
      child.on("error", () => {});
      child.unref();
    } catch {
      // No opener installed: the URL is printed already.
    }
  };
}
