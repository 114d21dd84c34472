import { createRequire } from "node:module";

/**
 * The json5 library, loaded on first use: it was a sixth of the CLI bundle, and most config files
 * are plain JSON, which `JSON.parse` reads.
 */
export function json5(): typeof import("json5") {
  return createRequire(import.meta.url)("json5") as typeof import("json5");
}

/**
 * Parses OpenClaw's config format, JSON5. Plain JSON (most files) goes through `JSON.parse`; anything
 * else, and every syntax error with its line and column, through json5.
 */
export function parseJson5(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return json5().parse(text);
  }
}
