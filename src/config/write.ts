import JSON5 from "json5";
import { parseConfig } from "./load.js";
import { readIfExists, writeFileAtomic } from "../util/secure-fs.js";
import { withFileLock } from "../util/file-lock.js";

/** A JSON object as read from the file, before validation, so unknown keys survive a rewrite. */
export type RawConfig = Record<string, unknown>;

/**
 * Changes `openclaw.json` under a cross-process lock: reads the freshest content, lets `mutate`
 * edit the raw object, validates the result (a change that would make the file invalid is refused
 * and nothing is written) and replaces the file atomically with mode 0600. Comments in a JSON5
 * file are not kept: JSON5 has no round-trip writer, so the file is written back as JSON, every
 * key and value kept.
 */
export async function updateConfigFile<T>(file: string, mutate: (raw: RawConfig) => T): Promise<T> {
  return withFileLock(file, () => {
    const text = readIfExists(file);
    const raw = (text === undefined || text.trim() === "" ? {} : JSON5.parse(text)) as RawConfig;
    const result = mutate(raw);
    const out = JSON.stringify(raw, null, 2) + "\n";
    parseConfig(file, out);
    writeFileAtomic(file, out);
    return result;
  });
}

/** Returns the object at `path` inside `raw`, creating empty objects along the way. */
export function objectAt(raw: RawConfig, path: readonly string[]): RawConfig {
  let cur = raw;
  for (const part of path) {
    const next = cur[part];
    if (next === null || typeof next !== "object" || Array.isArray(next)) {
      const created: RawConfig = {};
      cur[part] = created;
      cur = created;
    } else {
      cur = next as RawConfig;
    }
  }
  return cur;
}
