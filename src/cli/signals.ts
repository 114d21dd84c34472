import os from "node:os";
import type { Log } from "../gateway/log.js";

/** How long the gateway may drain (stop channels, close the store) after SIGINT or SIGTERM. */
export const GATEWAY_DRAIN_MS = 1_000;

function exitCodeOf(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 15);
}

// Until the gateway has its log (format and level known), a plain line on stderr.
let drainLog: Log = (level, message) => void process.stderr.write(`[${level}] ${message}\n`);

/** Makes the forced exit after a drain that took too long write its line through the gateway's own log. */
export function logDrainTo(log: Log): void {
  drainLog = log;
}

/**
 * Makes SIGINT and SIGTERM end the process promptly, whatever it is waiting for (a lock, stdin, a
 * slow network). A one-shot command exits at once; nothing it writes can be cut in half, because
 * every write is a synchronous temp-file-and-rename and locks are released by an exit hook. The
 * gateway shuts down gracefully on its own (it cancels answers in flight and exits 0); this gives
 * it {@link GATEWAY_DRAIN_MS}, and a second signal ends it immediately. Installed by the binary
 * only, never by in-process test runs.
 */
export function exitPromptlyOnSignals(command: string | undefined): void {
  const drains = command === "gateway";
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!drains || received) process.exit(exitCodeOf(signal));
    received = true;
    setTimeout(() => {
      drainLog("warn", `gateway: shutdown took longer than ${GATEWAY_DRAIN_MS} ms; exiting now`);
      process.exit(exitCodeOf(signal));
    }, GATEWAY_DRAIN_MS).unref();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}
