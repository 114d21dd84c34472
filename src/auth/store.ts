import fs from "node:fs";
import path from "node:path";
import { authProfilesFileSchema, type AuthProfilesFile } from "./profiles.js";
import { authProfilesPath } from "../config/paths.js";
import { formatKeyPath } from "../config/load.js";
import { ensurePrivateDir, readIfExists, writeFileAtomic } from "../util/secure-fs.js";
import { UserFacingError, userError } from "../util/user-error.js";
import { describeJsonSyntaxError } from "../util/json-syntax.js";
import { systemClock, type Clock } from "../util/clock.js";

function emptyFile(): AuthProfilesFile {
  return { version: 1, profiles: {} };
}

/** Parses `auth-profiles.json` text; bad content is a clear error naming the file, never the secrets. */
export function parseAuthProfiles(file: string, text: string): AuthProfilesFile {
  let raw: unknown;
  try {
    raw = text.trim() === "" ? {} : JSON.parse(text);
  } catch (err) {
    throw new UserFacingError(userError("auth_file_syntax", `Invalid credential file ${file}: ${describeJsonSyntaxError(text, err)}.`));
  }
  const parsed = authProfilesFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${formatKeyPath(issue.path)}: ${issue.message}` : "unexpected shape";
    throw new UserFacingError(userError("auth_file_invalid", `Invalid credential file ${file}: ${where}`));
  }
  return parsed.data;
}

/**
 * Per-agent credential files under `<state>/agents/<id>/agent/auth-profiles.json`. Reads are plain;
 * every write happens under a cross-process lock, re-reads the file inside it (so a concurrent
 * writer's change is not lost), and replaces it atomically with mode 0600 in a 0700 directory.
 */
export class AuthProfileStore {
  constructor(readonly stateDir: string) {}

  /** The file path for an agent. */
  pathFor(agentId: string): string {
    return authProfilesPath(this.stateDir, agentId);
  }

  /** Reads an agent's file; a missing file is an empty store. */
  read(agentId: string): AuthProfilesFile {
    const file = this.pathFor(agentId);
    const text = readIfExists(file);
    return text === undefined ? emptyFile() : parseAuthProfiles(file, text);
  }

  /** Applies `mutate` to the freshest content under the lock and writes the result. */
  async update<T>(agentId: string, mutate: (file: AuthProfilesFile) => T): Promise<T> {
    const file = this.pathFor(agentId);
    ensurePrivateDir(path.dirname(file));
    // Loaded here, not at start-up: read-only commands (`models status --check`) never lock.
    const { withFileLock } = await import("../util/file-lock.js");
    return withFileLock(file, () => {
      const current = this.read(agentId);
      const result = mutate(current);
      current.version ??= 1;
      writeFileAtomic(file, JSON.stringify(current, null, 2) + "\n");
      return result;
    });
  }
}

/**
 * A read-through view for long-running processes: serves the parsed file from memory and re-reads
 * it only when its mtime or size changed, checking at most every `checkEveryMs`. The gateway never
 * writes this file from memory; it only follows what the CLI writes.
 */
export class CachedProfileReader {
  private readonly entries = new Map<string, { file: AuthProfilesFile; mtimeMs: number; size: number; checkedAt: number }>();

  constructor(
    private readonly store: AuthProfileStore,
    private readonly clock: Clock = systemClock,
    private readonly checkEveryMs = 500,
  ) {}

  /** The agent's current file content. */
  get(agentId: string): AuthProfilesFile {
    const now = this.clock();
    const hit = this.entries.get(agentId);
    if (hit && now - hit.checkedAt < this.checkEveryMs) return hit.file;
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(this.store.pathFor(agentId));
    } catch {
      stat = undefined;
    }
    const mtimeMs = stat?.mtimeMs ?? 0;
    const size = stat?.size ?? -1;
    if (hit && hit.mtimeMs === mtimeMs && hit.size === size) {
      hit.checkedAt = now;
      return hit.file;
    }
    const file = this.store.read(agentId);
    this.entries.set(agentId, { file, mtimeMs, size, checkedAt: now });
    return file;
  }

  /** Forgets cached content, e.g. right after this process wrote the file. */
  invalidate(agentId?: string): void {
    if (agentId === undefined) this.entries.clear();
    else this.entries.delete(agentId);
  }
}
