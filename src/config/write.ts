import fs from "node:fs";
import path from "node:path";
import { parseConfig } from "./load.js";
import { assertCanWrite, ensurePrivateDir, readIfExists, writeFileAtomic } from "../util/secure-fs.js";
import { withFileLock } from "../util/file-lock.js";
import { UserFacingError, userError } from "../util/user-error.js";
import { parseJson5 } from "../util/json5.js";
import { legacyKeys } from "./own-settings.js";
import { isRawObject, objectAt, type RawObject } from "./raw-object.js";

function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel !== "" && !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** Config files this process wrote, however many and whichever. */
let ownWrites = 0;

/**
 * How many config files this process has written so far. A reader that caches the config compares
 * it (one number, read on every look at the config) to see its own process's writes at once
 * (`/model x -g` then `/model default`), while writes by other processes are still found by polling.
 */
export function ownWriteCount(): number {
  return ownWrites;
}

/**
 * Fails now, with the error {@link updateConfigFile} would meet later, when `file` cannot be
 * written; a command that changes a credential and then the config calls this first.
 */
export function assertConfigWritable(file: string, stateDir: string): void {
  assertCanWrite(file, { createDir: isInside(file, stateDir) });
}

/**
 * Changes `openclaw.json` under a cross-process lock: reads the freshest content, lets `mutate`
 * edit the raw object (every key the user had is kept), validates the result (a change that would
 * make the file invalid is refused and nothing is written) and replaces the file atomically with
 * mode 0600. `mutate` returns false when it changed nothing; then nothing is written. Comments in
 * a JSON5 file are not kept: JSON5 has no round-trip writer, so the file is written back as JSON.
 * A config outside the state directory (`$OPENCLAW_CONFIG_PATH`) leaves its directory's mode
 * alone: that may be a home or project directory. Resolves to whether the file was written.
 */
export async function updateConfigFile(
  file: string,
  stateDir: string,
  // biome-ignore lint/suspicious/noConfusingVoidType: a mutation that returns nothing means "write"; only false skips the write
  mutate: (raw: RawObject) => boolean | void,
): Promise<boolean> {
  const inState = isInside(file, stateDir);
  if (!inState && !fs.existsSync(path.dirname(file))) {
    throw new UserFacingError(userError("config_dir_missing", `Cannot write ${file}: its directory does not exist.`));
  }
  // The lock lives beside the file, so a first write into a new state directory creates it here.
  if (inState) ensurePrivateDir(path.dirname(file));
  return withFileLock(file, () => {
    const text = readIfExists(file);
    let raw: unknown = {};
    if (text !== undefined && text.trim() !== "") {
      parseConfig(file, text); // a clear error naming the key if the file is already invalid
      raw = parseJson5(text);
    }
    if (!isRawObject(raw))
      throw new UserFacingError(userError("config_invalid", `Invalid config ${file}: (top level): expected an object`));
    const before = new Set(legacyKeys(raw, { stateDir }).map((k) => k.key));
    if (mutate(raw) === false) return false;
    const out = `${JSON.stringify(raw, null, 2)}\n`;
    parseConfig(file, out);
    // Whatever we write must keep OpenClaw running: a change that adds a key it refuses is a bug of ours.
    const added = legacyKeys(raw, { stateDir }).filter((k) => !before.has(k.key));
    if (added.length > 0)
      throw new Error(
        `refusing to write ${file}: OpenClaw would refuse ${added.map((k) => `${k.key} (${k.why})`).join(", ")}`,
      );
    writeFileAtomic(file, out, { privateDir: inState });
    ownWrites++;
    return true;
  });
}

/** The object at `keys` inside `raw` if every step exists and is an object. */
export function existingObjectAt(raw: RawObject, ...keys: string[]): RawObject | undefined {
  let cur: unknown = raw;
  for (const k of keys) {
    if (!isRawObject(cur)) return undefined;
    cur = cur[k];
  }
  return isRawObject(cur) ? cur : undefined;
}

/**
 * Where an agent's settings are written: its `agents.list[]` item in a file that still has only
 * that legacy list (OpenClaw refuses it beside `agents.entries`), else `agents.entries.<id>`. A
 * second entry brings `agents.ownership: "explicit"`, without which OpenClaw refuses the roster.
 */
function agentHolder(raw: RawObject, agentId: string): RawObject {
  const agents = objectAt(raw, "agents");
  if (Array.isArray(agents.list) && agents.entries === undefined) {
    const list = agents.list as unknown[];
    const found = list.find((a): a is RawObject => isRawObject(a) && a.id === agentId);
    if (found) return found;
    const created: RawObject = { id: agentId };
    list.push(created);
    return created;
  }
  const holder = objectAt(agents, "entries", agentId);
  if (Object.keys(objectAt(agents, "entries")).length >= 2) agents.ownership ??= "explicit";
  return holder;
}

/**
 * Sets a configured default model in a raw config: `agent` writes the agent's model (see
 * {@link agentHolder}) as `{ primary }` (keeping its fallbacks), `global` writes
 * `agents.defaults.model` in the form it has (a string stays a string, OpenClaw's object keeps its
 * fallbacks). False when it already was `ref`.
 */
export function setConfiguredModel(
  raw: RawObject,
  target: { scope: "agent"; agentId: string } | { scope: "global" },
  ref: string,
): boolean {
  const holder = target.scope === "agent" ? agentHolder(raw, target.agentId) : objectAt(raw, "agents", "defaults");
  const current = holder.model;
  if (isRawObject(current)) {
    if (current.primary === ref) return false;
    holder.model = { ...current, primary: ref };
  } else {
    if (current === ref && target.scope === "global") return false;
    holder.model = target.scope === "agent" ? { primary: ref } : ref;
  }
  return true;
}
