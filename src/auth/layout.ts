import fs from "node:fs";
import path from "node:path";
import type Database from "better-sqlite3";
import { agentDir, authProfilesPath } from "../config/paths.js";
import { openSqlite } from "../util/sqlite.js";
import { UserFacingError, userError } from "../util/user-error.js";

/** OpenClaw waits this long for another writer's lock; so do we. */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

/** The agent whose credentials OpenClaw 2026.9 keeps in the shared store. */
export const SHARED_OWNER_AGENT = "main";

/**
 * Where one agent's credentials live.
 * - `json`: the legacy `<agentDir>/auth-profiles.json` (profiles and order in one file).
 * - `sqlite`: OpenClaw 2026.9. A shared store, read through by every agent, and the agent's own
 *   `openclaw-agent.sqlite` (local profiles that override shared ones, order and usage state).
 *   The shared store is `config_machine_state` in `<state>/state/openclaw.sqlite` once OpenClaw has
 *   relocated it (`auth.sharedStore = {"location":"state-db"}`), else the main agent's database.
 */
export type CredentialLayout =
  | { readonly kind: "json"; readonly file: string }
  | {
      readonly kind: "sqlite";
      /** The database that holds the shared store. */
      readonly sharedDb: string;
      /** True when the shared store is rows of `config_machine_state`, not `auth_profile_*` tables. */
      readonly sharedInStateDb: boolean;
      /** The agent's own database; it may not exist yet. */
      readonly agentDb: string;
      /** The agent owns the shared store (the main agent): its new profiles go there, as OpenClaw's do. */
      readonly sharedOwner: boolean;
      /** A retired `auth-profiles.json` beside the database: never read, never written. */
      readonly ignoredFile?: string;
    };

/** `<state>/state/openclaw.sqlite`, OpenClaw's shared state database. */
export function stateDbPath(state: string): string {
  return path.join(state, "state", "openclaw.sqlite");
}

/** `<agentDir>/openclaw-agent.sqlite`, an agent's own OpenClaw database. */
export function agentDbPath(state: string, agentId: string): string {
  return path.join(agentDir(state, agentId), "openclaw-agent.sqlite");
}

/** Opens an existing OpenClaw database without ever creating one; a bad file is a clear error. */
export function openExistingDb(file: string, readonly: boolean): Database.Database {
  try {
    return openSqlite(file, { readonly, fileMustExist: true, timeout: SQLITE_BUSY_TIMEOUT_MS });
  } catch (err) {
    throw new UserFacingError(
      userError(
        "credential_db_unreadable",
        `Cannot open the OpenClaw database ${file}: ${(err as Error).message}.`,
        "Run `openclaw doctor` to see which credential store is in use.",
      ),
    );
  }
}

/** True when `table` exists in schema `schema` of `db`. */
export function hasTable(db: Database.Database, table: string, schema = "main"): boolean {
  return db.prepare(`SELECT 1 FROM ${schema}.sqlite_master WHERE type = 'table' AND name = ?`).get(table) !== undefined;
}

/** Whether the state database says OpenClaw moved credentials there (marker row or store row). */
function stateDbHoldsCredentials(file: string): boolean {
  if (!fs.existsSync(file)) return false;
  const db = openExistingDb(file, true);
  try {
    if (!hasTable(db, "config_machine_state")) return false;
    const row = db
      .prepare(
        "SELECT 1 FROM config_machine_state WHERE state_key IN ('auth.sharedStore', 'authProfiles.store') LIMIT 1",
      )
      .get();
    return row !== undefined;
  } finally {
    db.close();
  }
}

/**
 * Detects the credential layout of a state directory for one agent. OpenClaw 2026.9's SQLite
 * stores win over a JSON file beside them (OpenClaw itself never reads a retired file once SQLite
 * holds credentials); without SQLite credential stores the legacy file is used, as before.
 */
export function detectLayout(state: string, agentId: string): CredentialLayout {
  const file = authProfilesPath(state, agentId);
  const hasFile = fs.existsSync(file);
  const agentDb = agentDbPath(state, agentId);
  const ignored = hasFile ? { ignoredFile: file } : {};
  const sharedOwner = agentId === SHARED_OWNER_AGENT;
  const stateDb = stateDbPath(state);
  if (stateDbHoldsCredentials(stateDb))
    return { kind: "sqlite", sharedDb: stateDb, sharedInStateDb: true, agentDb, sharedOwner, ...ignored };
  if (hasFile) return { kind: "json", file };
  const mainDb = agentDbPath(state, SHARED_OWNER_AGENT);
  if (fs.existsSync(mainDb) || fs.existsSync(agentDb))
    return { kind: "sqlite", sharedDb: mainDb, sharedInStateDb: false, agentDb, sharedOwner };
  return { kind: "json", file };
}

/** The files whose change means the layout or the credentials may have changed, for followers. */
export function watchedFiles(state: string, agentId: string): string[] {
  const dbs = [stateDbPath(state), agentDbPath(state, SHARED_OWNER_AGENT), agentDbPath(state, agentId)];
  return [authProfilesPath(state, agentId), ...dbs.flatMap((d) => [d, `${d}-wal`])];
}

/** What `models status --json` and `doctor` say about a layout: which store, and its files. */
export interface LayoutSummary {
  readonly layout: "json" | "sqlite";
  /** Where new profiles of this agent are written. */
  readonly path: string;
  /** SQLite only: the shared store's database, and whether it is the state database. */
  readonly shared?: string;
  readonly sharedLocation?: "state-db" | "main-agent-db";
  /** SQLite only: the agent's own database (order, local profiles), and whether it exists yet. */
  readonly agentDb?: string;
  readonly agentDbExists?: boolean;
  /** A retired `auth-profiles.json` that is present but not used. */
  readonly ignoredFile?: string;
  /** One line for people. */
  readonly text: string;
}

/** Summarises a layout for status views. */
export function summarizeLayout(layout: CredentialLayout): LayoutSummary {
  if (layout.kind === "json")
    return { layout: "json", path: layout.file, text: `auth-profiles.json (legacy layout): ${layout.file}` };
  const agentDbExists = fs.existsSync(layout.agentDb);
  const where = layout.sharedInStateDb ? "state-db" : "main-agent-db";
  const agentText =
    layout.agentDb === layout.sharedDb ? "" : `; agent ${layout.agentDb}${agentDbExists ? "" : " (not created yet)"}`;
  return {
    layout: "sqlite",
    path: layout.sharedOwner ? layout.sharedDb : layout.agentDb,
    shared: layout.sharedDb,
    sharedLocation: where,
    agentDb: layout.agentDb,
    agentDbExists,
    ...(layout.ignoredFile !== undefined ? { ignoredFile: layout.ignoredFile } : {}),
    text: `OpenClaw 2026.9 SQLite: shared ${layout.sharedDb}${agentText}`,
  };
}
