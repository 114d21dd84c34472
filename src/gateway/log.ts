import { redactText, registerSecrets } from "../auth/redact.js";

/** One line per event, to stderr by default. Callers pass messages that hold no secrets. */
export type Log = (level: "info" | "warn" | "error", message: string) => void;

/**
 * A logger writing `level message` lines to a stream. Every line goes through the process-wide
 * redactor: a secret in use, or a piece of one, never reaches the log, whatever a caller passed.
 */
export function streamLog(stream: NodeJS.WritableStream = process.stderr): Log {
  return (level, message) => {
    stream.write(`[${level}] ${redactText(message)}\n`);
  };
}

/** The message of an unknown thrown value, without its stack. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Replaces a bot token in text, also in its URL-encoded form (Telegram puts it in request paths). */
export function redactToken(text: string, token: string | undefined): string {
  if (token === undefined || token === "") return text;
  return text.split(token).join("<bot-token>").split(encodeURIComponent(token)).join("<bot-token>");
}

/**
 * A log that never prints the channel's bot token, whatever a library error contains. The token is
 * also registered with the process-wide redactor, so replies and other logs never carry it either.
 */
export function redactingLog(log: Log, token: string | undefined): Log {
  registerSecrets([token]);
  return (level, message) => log(level, redactToken(message, token));
}

/**
 * Reports an uncaught exception or unhandled rejection through `log`, then exits with status 1
 * as Node would. Node's own report prints the error's message and stack as they are; through a log
 * from {@link streamLog}, a secret in them is redacted like in every other line. For the binary
 * only: a test runner keeps its own handlers.
 */
export function logCrashes(log: Log): void {
  const report = (what: string) => (err: unknown) => {
    try {
      log("error", `${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    } finally {
      process.exit(1);
    }
  };
  process.on("uncaughtException", report("uncaught exception"));
  process.on("unhandledRejection", report("unhandled rejection"));
}
