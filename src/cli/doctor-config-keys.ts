import fs from "node:fs";
import type { LoadedContext } from "../config/context.js";
import { parseConfigText } from "../config/load.js";
import { unknownKeys, unknownKeyText } from "../config/known-keys.js";
import { legacyKeys, migrateLegacy, type LegacyContext } from "../config/own-settings.js";
import { updateConfigFile } from "../config/write.js";
import { isRawObject, type RawObject } from "../config/raw-object.js";
import type { AuthProfilesFile } from "../auth/profiles.js";
import { readIfExists, writeFileAtomic } from "../util/secure-fs.js";
import type { Clock } from "../util/clock.js";
import type { Finding } from "./doctor-finding.js";

/**
 * `openclaw.json` as written (no `$include` resolved, no `${VAR}` substituted); undefined when it
 * is missing or does not parse (the config check already names the syntax error).
 */
function rawOf(file: string): RawObject | undefined {
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  try {
    const raw = parseConfigText(file, text);
    return isRawObject(raw) ? raw : undefined;
  } catch {
    return undefined;
  }
}

/** The backup `doctor --fix` leaves beside `openclaw.json` before it rewrites it: one per run, never overwritten. */
function backupPath(file: string, clock: Clock): string {
  const stamp = new Date(clock())
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d+Z$/, "Z");
  let candidate = `${file}.${stamp}.bak`;
  for (let n = 2; fs.existsSync(candidate); n++) candidate = `${file}.${stamp}-${n}.bak`;
  return candidate;
}

/**
 * Keys OpenClaw would refuse in `openclaw.json`, each with why (our settings, and forms OpenClaw
 * reads differently), and keys nobody knows, with the nearest known key. With `fix`, the first
 * kind is rewritten: ours move to `model-gateway.json` (a value already there wins), OpenClaw's
 * forms replace ours, and a backup of `openclaw.json` (0600) is kept. Unknown keys need a person.
 */
export async function configKeyFindings(
  ctx: LoadedContext,
  files: ReadonlyMap<string, AuthProfilesFile>,
  clock: Clock,
  fix: boolean,
): Promise<Finding[]> {
  const file = ctx.loaded.path;
  let raw = rawOf(file);
  if (raw === undefined) return [];
  const legacy: LegacyContext = {
    stateDir: ctx.stateDir,
    profileMode: (id) => {
      for (const f of files.values()) {
        const type = f.profiles[id]?.type;
        if (type !== undefined) return type;
      }
      return undefined;
    },
  };
  const findings: Finding[] = [];
  let found = legacyKeys(raw, legacy);
  if (fix && found.some((k) => k.fix !== undefined)) {
    const ownFile = ctx.loaded.ownPath;
    let done: string[] = [];
    let backup = "";
    await updateConfigFile(file, ctx.stateDir, (current) => {
      const ownText = readIfExists(ownFile);
      const ownRaw = ownText !== undefined ? parseConfigText(ownFile, ownText) : {};
      const own = isRawObject(ownRaw) ? ownRaw : {};
      done = migrateLegacy(current, own, legacy);
      if (done.length === 0) return false;
      backup = backupPath(file, clock);
      writeFileAtomic(backup, fs.readFileSync(file, "utf8"));
      writeFileAtomic(ownFile, `${JSON.stringify(own, null, 2)}\n`);
      return true;
    });
    for (const line of done)
      findings.push({ check: "config-keys", severity: "fixed", message: `${file}: ${line} (backup ${backup})` });
    raw = rawOf(file) ?? {};
    found = legacyKeys(raw, legacy);
  }
  for (const k of found)
    findings.push({
      check: "config-keys",
      severity: "error",
      message: `${file}: OpenClaw refuses ${k.key}: ${k.why}`,
      fix: k.fix !== undefined ? "openclaw doctor --fix" : `change ${k.key} by hand`,
    });
  const refused = new Set(found.map((k) => k.key));
  for (const u of unknownKeys(raw))
    if (!refused.has(u.key))
      findings.push({
        check: "config-keys",
        severity: "error",
        message: unknownKeyText(file, u),
        fix: u.suggestion !== undefined ? `rename it to ${u.suggestion}, or remove it` : "remove it",
      });
  for (const w of ctx.loaded.warnings)
    if (w.startsWith(`${ctx.loaded.ownPath}:`))
      findings.push({ check: "config-keys", severity: "warn", message: w, fix: "remove it from our file" });
  if (findings.length === 0)
    findings.push({ check: "config-keys", severity: "ok", message: `${file} holds only keys OpenClaw accepts` });
  return findings;
}
