import fs from "node:fs";
import path from "node:path";
import * as z from "zod/mini";
import { readIfExists, writeFileAtomic } from "../util/secure-fs.js";

/**
 * How `openclaw dashboard` finds and convinces the running gateway. At start the gateway writes
 * `<state>/control-ui.json` (0600 in the 0700 state dir: only the user who runs it can read it)
 * with the URL it listens on and a random key; the CLI sends the key as a bearer token to ask for a
 * link. A new key at every start means a file left by a crashed gateway opens nothing.
 */
const handoffSchema = z.object({ url: z.string(), key: z.string(), pid: z.number() });

/** What the file holds. */
export type Handoff = z.infer<typeof handoffSchema>;

/** The file's path. */
export function handoffFile(stateDir: string): string {
  return path.join(stateDir, "control-ui.json");
}

/** Writes the file for a gateway listening at `url` (its base, no path) that accepts `key`. */
export function writeHandoff(stateDir: string, url: string, key: string): void {
  const handoff: Handoff = { url, key, pid: process.pid };
  writeFileAtomic(handoffFile(stateDir), `${JSON.stringify(handoff)}\n`);
}

/** Removes the file if this process wrote it (a second gateway on the same state dir keeps its own). */
export function removeHandoff(stateDir: string): void {
  if (readHandoff(stateDir)?.pid === process.pid) fs.rmSync(handoffFile(stateDir), { force: true });
}

/** The file's content, or undefined when there is none or it is not ours. */
export function readHandoff(stateDir: string): Handoff | undefined {
  const text = readIfExists(handoffFile(stateDir));
  if (text === undefined) return undefined;
  try {
    const parsed = handoffSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
