import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import JSON5 from "json5";
import { parseConfig } from "../config/load.js";
import { ensurePrivateDir, readIfExists, writeFileAtomic, FILE_MODE } from "../util/secure-fs.js";
import { withFileLock } from "../util/file-lock.js";
import { fail } from "./errors.js";

/** A JSON object as read from `openclaw.json`, every key kept. */
export type RawConfig = Record<string, unknown>;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The object at `keys` under `root`, created (as `{}`) along the way. */
export function objectAt(root: RawConfig, ...keys: string[]): Record<string, unknown> {
  let cur: Record<string, unknown> = root;
  for (const k of keys) {
    const next = cur[k];
    if (isObject(next)) cur = next;
    else {
      const created: Record<string, unknown> = {};
      cur[k] = created;
      cur = created;
    }
  }
  return cur;
}

/** The object at `keys` under `root` if every step exists and is an object. */
export function existingObjectAt(root: RawConfig, ...keys: string[]): Record<string, unknown> | undefined {
  let cur: unknown = root;
  for (const k of keys) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return isObject(cur) ? cur : undefined;
}

/**
 * Writes outside the state directory without touching the parent directory's mode: the config may
 * live at `$OPENCLAW_CONFIG_PATH` in a home or project directory, which must not become 0700.
 */
function writeOutsideState(file: string, data: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`);
  const fd = fs.openSync(tmp, "wx", FILE_MODE);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.chmodSync(file, FILE_MODE);
}

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/**
 * Changes `openclaw.json` under a lock: reads the current text (JSON5), lets `mutate` edit the raw
 * object (every key the user had is kept), validates the result with the config schema, and writes
 * it atomically with mode 0600 as two-space JSON. Comments in a JSON5 file do not survive a write.
 * Nothing is written when `mutate` returns false (no change).
 */
export async function updateConfigFile(file: string, stateDir: string, mutate: (raw: RawConfig) => boolean): Promise<boolean> {
  if (isInside(file, stateDir)) ensurePrivateDir(path.dirname(file));
  else if (!fs.existsSync(path.dirname(file))) fail("config_dir_missing", `Cannot write ${file}: its directory does not exist.`);
  return withFileLock(file, () => {
    const text = readIfExists(file);
    let raw: unknown = {};
    if (text !== undefined && text.trim() !== "") {
      parseConfig(file, text); // a clear error naming the key if the file is invalid
      raw = JSON5.parse(text);
    }
    if (!isObject(raw)) fail("config_invalid", `Invalid config ${file}: (top level): expected an object`);
    if (!mutate(raw)) return false;
    const data = JSON.stringify(raw, null, 2) + "\n";
    parseConfig(file, data);
    if (isInside(file, stateDir)) writeFileAtomic(file, data);
    else writeOutsideState(file, data);
    return true;
  });
}
