import type { Log } from "../gateway/log.js";

/** A {@link Log} for a command: `warning: ...` and `error: ...` lines on its error stream, as its own warnings read. */
export function cliLog(write: (line: string) => void): Log {
  return (level, message) =>
    write(level === "info" ? message : `${level === "warn" ? "warning" : "error"}: ${message}`);
}
