import fs from "node:fs";
import path from "node:path";
import { authProfilesFileSchema, type AuthProfilesFile } from "./profiles.js";
import { detectLayout, watchedFiles, type CredentialLayout } from "./layout.js";
import { sqliteCredentials } from "./sqlite-store.js";
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
    throw new UserFacingError(
      userError("auth_file_syntax", `Invalid credential file ${file}: ${describeJsonSyntaxError(text, err)}.`),
    );
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
 * An agent's credentials, in whichever layout the state directory has (see {@link detectLayout}).
 * Legacy layout: `<state>/agents/<id>/agent/auth-profiles.json`; reads are plain, every write
 * happens under a cross-process lock, re-reads the file inside it (so a concurrent writer's change
 * is not lost) and replaces it atomically with mode 0600 in a 0700 directory. OpenClaw 2026.9
 * layout: its SQLite stores, written in one transaction; no JSON file is ever created there.
 */
export class AuthProfileStore {
  constructor(
    readonly stateDir: string,
    /** The time written with each change (OpenClaw's `updated_at_ms`) and lock ages are measured in. */
    private readonly clock: Clock = systemClock,
  ) {}

  /** Which layout holds the agent's credentials, and where. */
  layout(agentId: string): CredentialLayout {
    return detectLayout(this.stateDir, agentId);
  }

  /** Where the agent's credentials are written: the JSON file, or the SQLite database new profiles go to. */
  pathFor(agentId: string): string {
    const layout = this.layout(agentId);
    if (layout.kind === "json") return layout.file;
    return layout.sharedOwner ? layout.sharedDb : layout.agentDb;
  }

  /** Reads an agent's credentials; a missing store is an empty one. */
  read(agentId: string): AuthProfilesFile {
    const layout = this.layout(agentId);
    if (layout.kind === "sqlite") return sqliteCredentials.read(layout);
    const text = readIfExists(layout.file);
    return text === undefined ? emptyFile() : parseAuthProfiles(layout.file, text);
  }

  /** Applies `mutate` to the freshest content (under the lock, or in the transaction) and writes the result. */
  async update<T>(agentId: string, mutate: (file: AuthProfilesFile) => T): Promise<T> {
    const layout = this.layout(agentId);
    if (layout.kind === "sqlite") return sqliteCredentials.update(layout, agentId, mutate, this.clock());
    const file = layout.file;
    ensurePrivateDir(path.dirname(file));
    // Loaded here, not at start-up: read-only commands (`models status --check`) never lock.
    const { withFileLock } = await import("../util/file-lock.js");
    return withFileLock(
      file,
      () => {
        const text = readIfExists(file);
        const current = text === undefined ? emptyFile() : parseAuthProfiles(file, text);
        const result = mutate(current);
        current.version ??= 1;
        writeFileAtomic(file, `${JSON.stringify(current, null, 2)}\n`);
        return result;
      },
      { clock: this.clock },
    );
  }

  /** Changes whenever anything the agent's credentials are read from may have changed. */
  changeToken(agentId: string): string {
    return watchedFiles(this.stateDir, agentId)
      .map((f) => {
        try {
          const st = fs.statSync(f);
          return `${st.mtimeMs}:${st.size}`;
        } catch {
          return "-";
        }
      })
      .join("|");
  }
}

/** The agents' credentials as a long-running process reads them; it never writes them from memory. */
export interface ProfileReader {
  /** The agent's current credentials; a missing store is an empty one. */
  get(agentId: string): AuthProfilesFile;
}

/**
 * A read-through view for long-running processes: serves the parsed credentials from memory and
 * re-reads them only when a file they come from (JSON file, SQLite database or its WAL) changed
 * mtime or size, checking at most every `checkEveryMs`. The gateway never writes credentials from
 * memory; it only follows what the CLIs (ours and OpenClaw's) write.
 */
export class CachedProfileReader implements ProfileReader {
  private readonly entries = new Map<string, { file: AuthProfilesFile; token: string; checkedAt: number }>();

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
    const token = this.store.changeToken(agentId);
    if (hit && hit.token === token) {
      hit.checkedAt = now;
      return hit.file;
    }
    const file = this.store.read(agentId);
    this.entries.set(agentId, { file, token, checkedAt: now });
    return file;
  }

  /** Forgets cached content, e.g. right after this process wrote the file. */
  invalidate(agentId?: string): void {
    if (agentId === undefined) this.entries.clear();
    else this.entries.delete(agentId);
  }
}
