import type { Log } from "./log.js";
import { redactSecretShapes } from "../util/mask.js";
import { UserFacingError, userError } from "../util/user-error.js";
import { systemClock, type Clock } from "../util/clock.js";

/** Severities, least severe first. `debug` is accepted so `--log-level debug` shows everything. */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
/** `text`: one readable line per event; `json`: one JSON object per line (for journald / Loki). */
export type LogFormat = "text" | "json";

/** How the gateway's log is written: `--log-format`, `--log-level` / `OPENCLAW_LOG_LEVEL`. */
export interface LogSettings {
  readonly format: LogFormat;
  readonly level: LogLevel;
}

/** Reads the flags (which win) and `OPENCLAW_LOG_LEVEL`; a bad value is a clear error. */
export function logSettings(flags: { logFormat?: string; logLevel?: string }, env: NodeJS.ProcessEnv): LogSettings {
  const format = flags.logFormat ?? "text";
  if (format !== "text" && format !== "json")
    throw new UserFacingError(userError("bad_flag", `--log-format expects text or json, got "${format}".`));
  const level = (flags.logLevel ?? env.OPENCLAW_LOG_LEVEL ?? "info").toLowerCase();
  const known = LOG_LEVELS.find((l) => l === level);
  if (known === undefined) {
    const from = flags.logLevel !== undefined ? "--log-level" : "OPENCLAW_LOG_LEVEL";
    throw new UserFacingError(
      userError("bad_flag", `${from} expects one of ${LOG_LEVELS.join(", ")}, got "${level}".`),
    );
  }
  return { format, level: known };
}

// Messages name their component first: `telegram: …`, `discord: …`, `chat session=… …`.
const COMPONENT = /^([a-z][a-z0-9_-]*)(?::\s+|\s+(?=[a-z]+=))/;

/** Splits `telegram: ready` into component `telegram` and text `ready`; `gateway` otherwise. */
export function splitComponent(message: string): { component: string; text: string } {
  const m = COMPONENT.exec(message);
  if (!m?.[1]) return { component: "gateway", text: message };
  return { component: m[1], text: message.slice(m[0].length) };
}

/**
 * A log handing one line per event to `write`, each with time, level and component, at or above
 * `settings.level`. Anything shaped like a key or token is masked on the way out, whatever the
 * caller passed.
 */
export function formattedLog(write: (line: string) => void, settings: LogSettings, clock: Clock = systemClock): Log {
  const min = LOG_LEVELS.indexOf(settings.level);
  return (level, message) => {
    if (LOG_LEVELS.indexOf(level) < min) return;
    const time = new Date(clock()).toISOString();
    const { component, text } = splitComponent(redactSecretShapes(message).replace(/\s*\n\s*/g, " "));
    const line =
      settings.format === "json"
        ? JSON.stringify({ time, level, component, msg: text })
        : `${time} ${level.padEnd(5)} ${component}: ${text}`;
    write(line);
  };
}
