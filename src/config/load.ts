import type * as z from "zod";
import { configSchema, type OpenClawConfig } from "./schema.js";
import { readIfExists } from "../util/secure-fs.js";
import { UserFacingError, userError } from "../util/user-error.js";
import { parseJson5 } from "../util/json5.js";

/** A config file as loaded: where it is, whether it exists, and its validated content. */
export interface LoadedConfig {
  readonly path: string;
  readonly exists: boolean;
  readonly config: OpenClawConfig;
}

/** Formats a zod issue path the way people write config keys: `channels.telegram.botToken`, `list[0].id`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out || "(top level)";
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return `${formatKeyPath(issue.path)}: ${issue.message}`;
}

/**
 * Parses and validates config text. Throws {@link UserFacingError} naming the file, the key path
 * and what was expected; never a stack trace for bad input.
 */
export function parseConfig(file: string, text: string): OpenClawConfig {
  let raw: unknown;
  try {
    raw = text.trim() === "" ? {} : parseJson5(text);
  } catch (err) {
    const e = err as SyntaxError & { lineNumber?: number; columnNumber?: number };
    const what = e.message.replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "");
    const detail = e.lineNumber !== undefined ? `line ${e.lineNumber}, column ${e.columnNumber ?? 0}: ${what}` : what;
    throw new UserFacingError(userError("config_syntax", `Invalid config ${file}: ${detail}`));
  }
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.slice(0, 5).map(describeIssue);
    throw new UserFacingError(
      userError(
        "config_invalid",
        `Invalid config ${file}: ${lines.join("; ")}`,
        "Fix the key named above, then run the command again.",
      ),
    );
  }
  return parsed.data;
}

/** Loads `openclaw.json` from `file`; a missing file is an empty config. */
export function loadConfig(file: string): LoadedConfig {
  const text = readIfExists(file);
  if (text === undefined) return { path: file, exists: false, config: {} };
  return { path: file, exists: true, config: parseConfig(file, text) };
}
