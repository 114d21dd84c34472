import { UserFacingError, userError } from "../util/user-error.js";
import type { CliIo } from "./io.js";

/** Exit codes every command shares. `2` is only used by `models status --check` (expiring soon). */
export const EXIT = { ok: 0, problem: 1, expiring: 2 } as const;

/** Throws an expected failure: the CLI prints it as one line (plus a hint) and exits 1. */
export function fail(code: string, message: string, hint?: string): never {
  throw new UserFacingError(userError(code, message, hint));
}

/**
 * Prints a failure and returns the exit code. Expected failures print their message (and hint);
 * anything else prints one line, never a stack trace unless `OPENCLAW_DEBUG` is set. All text goes
 * through the secret redaction of {@link CliIo.err}.
 */
export function reportError(io: CliIo, err: unknown): number {
  if (err instanceof UserFacingError) {
    io.err(`error: ${oneLine(err.detail.message)}`);
    // Config errors already name the file, key and expectation; their generic hint adds nothing.
    if (err.detail.hint && !err.detail.code.startsWith("config_")) io.err(`hint: ${oneLine(err.detail.hint)}`);
    return EXIT.problem;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.err(`error: ${oneLine(message) || "unexpected failure"}`);
  if (io.env.OPENCLAW_DEBUG && err instanceof Error && err.stack) io.err(err.stack);
  return EXIT.problem;
}

/**
 * The failure as the JSON object `--json` commands print on stdout, so a script that parses
 * stdout gets `{ "error": { "code", "message", "hint"? } }` instead of nothing. Redacted like
 * every other output line.
 */
export function errorJson(err: unknown): string {
  const detail =
    err instanceof UserFacingError
      ? {
          code: err.detail.code,
          message: oneLine(err.detail.message),
          ...(err.detail.hint ? { hint: oneLine(err.detail.hint) } : {}),
        }
      : {
          code: "unexpected",
          message: oneLine(err instanceof Error ? err.message : String(err)) || "unexpected failure",
        };
  return JSON.stringify({ error: detail }, null, 2);
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ").trim();
}
