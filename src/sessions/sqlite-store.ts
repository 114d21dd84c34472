import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import type Database from "better-sqlite3";
import type { CooldownStore, CredentialState } from "../auth/cooldowns.js";
import { systemClock, type Clock } from "../util/clock.js";
import { fsFailure } from "../util/fs-failure.js";
import { makeDirs } from "../util/make-dirs.js";
import { openSqlite } from "../util/sqlite.js";
import { DIR_MODE, ensurePrivateDir, FILE_MODE } from "../util/secure-fs.js";
import { UserFacingError, userError } from "../util/user-error.js";
import { ChangeListeners, type SessionChange, type WatchableSessionStore } from "./backend.js";
import { BackendCooldowns, type CredentialChange, type CredentialStateStorage } from "./backend-cooldowns.js";
import { parseCredentialState } from "./credential-state.js";
import type { LeaseStore } from "../auth/lease.js";
import { storeUnavailable } from "./errors.js";
import { applyPatch, asPinSource, DROP_PIN, makeRecord, makeTimed } from "./record.js";
import { createLedgerTables, SqliteLedger } from "./sqlite-ledger.js";
import type { SessionPatch, SessionRecord } from "./types.js";

/** Options of {@link SqliteSessionStore.open}. */
export interface SqliteStoreOptions {
  /** The database file. Its directory is created 0700 when missing. */
  readonly file: string;
  /**
   * Force the directory to 0700 even when it already exists (true for our own `<state>/state/`;
   * false for a user-chosen `session.store` path, whose directory may be shared).
   */
  readonly privateDir?: boolean;
  /**
   * `normal` (default): an acknowledged write survives the process being killed (SIGKILL, OOM,
   * crash), not a power loss or kernel panic. `full`: also survives those, one fsync per write.
   */
  readonly durability?: "normal" | "full";
  /** How often other processes' writes are looked for, in ms (default 250; 0 = never). */
  readonly pollIntervalMs?: number;
  /** How long a write waits for another process's write lock before failing, in ms (default 5000). */
  readonly busyTimeoutMs?: number;
  /** The time of writes that are not given one (clearing cooldowns) and of leases; the system clock by default. */
  readonly clock?: Clock;
}

interface SessionRow {
  key: string;
  model: string | null;
  profile_id: string | null;
  pin_source: string | null;
  set_by: string | null;
  updated_at: number;
  timed_until: number | null;
  timed_model: string | null;
  timed_profile_id: string | null;
  timed_set_by: string | null;
}
interface ChangeRow {
  seq: number;
  kind: string;
  key: string;
  writer: string;
}

const SCHEMA_VERSION = 1;
/** Change-log rows kept; a reader further behind than this forgets its whole cache instead. */
const CHANGE_LOG_KEEP = 10_000;
/** Change-log rows a poll reads at most before it gives up and forgets everything. */
const POLL_BATCH = 1_000;
/** Kinds in the change log: one session, a key prefix (dropAutoPins), one credential. */
const SESSION = "s";
const PREFIX = "p";
const CREDENTIAL = "c";

function toRecord(row: SessionRow): SessionRecord {
  return makeRecord(row.key, {
    model: row.model ?? undefined,
    profileId: row.profile_id ?? undefined,
    pinSource: asPinSource(row.pin_source),
    setBy: row.set_by ?? undefined,
    updatedAt: row.updated_at,
    timed:
      row.timed_until === null
        ? undefined
        : makeTimed(
            row.timed_until,
            row.timed_model ?? undefined,
            row.timed_profile_id ?? undefined,
            row.timed_set_by ?? undefined,
          ),
  });
}

/** SQLITE_BUSY and friends: another process holds the lock. Anything else is a bug or a broken file. */
function isContention(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === "string" && (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED"));
}

function chmodIfExists(file: string, mode: number): void {
  try {
    fs.chmodSync(file, mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
}

/**
 * The embedded session store: one SQLite file in WAL mode, shared by the gateway and the CLI (and
 * by several gateways on one machine).
 *
 * Durability: WAL with `synchronous=NORMAL`. SQLite appends each committed transaction to the
 * `-wal` file with write(2) before the statement returns, so by the time a promise here resolves
 * the data is in the kernel's page cache, which outlives the process: a SIGKILL, an OOM kill or
 * a crash right after the acknowledgement loses nothing, and the next open replays the WAL. What
 * NORMAL defers is the fsync (done at checkpoints), so only an OS crash or power loss can drop the
 * last few commits; the file is never corrupted either way. `durability: "full"` fsyncs every
 * commit for that case too, at the cost of one fsync per pin write.
 *
 * Other writers are detected cheaply: every write also appends to a `changes` log (AUTOINCREMENT,
 * so sequence numbers only grow) in the same transaction, and a poll compares
 * `PRAGMA data_version` (which changes only when another connection committed) before reading
 * the log past the last sequence it saw.
 */
export class SqliteSessionStore implements WatchableSessionStore, CredentialStateStorage {
  /** Opens (creating when missing) the database file, schema and private file modes. */
  static open(opts: SqliteStoreOptions): SqliteSessionStore {
    const dir = path.dirname(opts.file);
    if (opts.privateDir) ensurePrivateDir(dir);
    else makeDirs(dir, DIR_MODE);
    // Create the file 0600 before SQLite does (it would use 0644); SQLite gives the -wal and -shm
    // files the main file's mode, and they are chmod-ed below as well in case they pre-existed.
    try {
      fs.closeSync(fs.openSync(opts.file, fs.constants.O_RDWR | fs.constants.O_CREAT, FILE_MODE));
      fs.chmodSync(opts.file, FILE_MODE);
    } catch (err) {
      throw fsFailure("file_not_writable", "open the session store", opts.file, err);
    }
    const busyTimeoutMs = opts.busyTimeoutMs ?? 5000;
    let db: Database.Database;
    try {
      db = openSqlite(opts.file, { timeout: busyTimeoutMs });
    } catch (err) {
      throw notADatabase(opts.file, err);
    }
    try {
      // Switching a new file to WAL takes the lock without SQLite's busy handler, so two processes
      // opening one new store at once would fail here: wait for each other as the handler would.
      untilUncontended(busyTimeoutMs, () => {
        const mode = db.pragma("journal_mode = WAL", { simple: true });
        if (mode !== "wal") throw new Error(`SQLite refused WAL mode (got ${String(mode)})`);
      });
      db.pragma(`synchronous = ${opts.durability === "full" ? "FULL" : "NORMAL"}`);
      untilUncontended(busyTimeoutMs, () => migrate(db));
    } catch (err) {
      db.close();
      if (isContention(err)) throw storeUnavailable(err);
      throw notADatabase(opts.file, err);
    }
    chmodIfExists(`${opts.file}-wal`, FILE_MODE);
    chmodIfExists(`${opts.file}-shm`, FILE_MODE);
    return new SqliteSessionStore(db, opts);
  }

  readonly cooldowns: CooldownStore;
  readonly leases: LeaseStore;
  readonly ledger: SqliteLedger;
  /** The database file. */
  readonly file: string;

  private readonly db: Database.Database;
  private readonly writer = crypto.randomBytes(8).toString("hex");
  private readonly listeners = new ChangeListeners();
  private readonly credentials = new Map<string, CredentialState>();
  private readonly timer: NodeJS.Timeout | undefined;
  private lastSeq: number;
  private lastDataVersion: number;
  private writesSincePrune = 0;
  private claimsSincePrune = 0;
  private readonly clock: Clock;
  /** The change-log sequence of our own write in the open transaction, applied after COMMIT. */
  private ownSeq: number | undefined;
  private closed = false;
  private readonly stmt: ReturnType<typeof prepare>;

  private constructor(db: Database.Database, opts: SqliteStoreOptions) {
    this.db = db;
    this.file = opts.file;
    this.stmt = prepare(db);
    this.lastDataVersion = this.dataVersion();
    this.lastSeq = (this.stmt.lastSeq.get() as number | undefined) ?? 0;
    this.reloadCredentials();
    this.clock = opts.clock ?? systemClock;
    this.cooldowns = new BackendCooldowns(this, this.clock);
    this.ledger = new SqliteLedger(db, (step) => this.run(step));
    this.leases = {
      acquire: async (name, owner, ttlMs) =>
        this.run(() =>
          this.db
            .transaction(() => {
              const now = this.clock();
              const cur = this.stmt.getLease.get(name) as { owner: string; until: number } | undefined;
              if (cur && cur.owner !== owner && cur.until > now) return false;
              this.stmt.putLease.run(name, owner, now + ttlMs);
              return true;
            })
            .immediate(),
        ),
      release: async (name, owner) => {
        this.run(() => this.stmt.deleteLease.run(name, owner));
      },
    };
    const interval = opts.pollIntervalMs ?? 250;
    if (interval > 0) {
      this.timer = setInterval(() => this.pollSafely(), interval);
      this.timer.unref();
    }
  }

  async get(key: string): Promise<SessionRecord | undefined> {
    const row = this.run(() => this.stmt.get.get(key) as SessionRow | undefined);
    return row ? toRecord(row) : undefined;
  }

  async update(key: string, patch: SessionPatch, now: number): Promise<SessionRecord | undefined> {
    return this.write(() => {
      const row = this.stmt.get.get(key) as SessionRow | undefined;
      const prev = row ? toRecord(row) : undefined;
      const next = applyPatch(key, prev, patch, now);
      if (next === prev) return next;
      if (next) this.putSession(next);
      else if (row) this.stmt.delete.run(key);
      else return undefined;
      this.logChange(SESSION, key);
      return next;
    });
  }

  async delete(key: string): Promise<boolean> {
    return this.write(() => {
      const existed = this.stmt.delete.run(key).changes > 0;
      if (existed) this.logChange(SESSION, key);
      return existed;
    });
  }

  async list(opts: { limit?: number; prefix?: string } = {}): Promise<SessionRecord[]> {
    const limit = opts.limit ?? -1;
    const rows = this.run(() =>
      opts.prefix === undefined ? this.stmt.list.all(limit) : this.stmt.listPrefix.all({ prefix: opts.prefix, limit }),
    ) as SessionRow[];
    return rows.map(toRecord);
  }

  async dropAutoPins(keyPrefix?: string): Promise<number> {
    return this.write(() => {
      const prefix = keyPrefix ?? "";
      const rows = this.stmt.autoPins.all({ prefix }) as SessionRow[];
      for (const row of rows) {
        // The row is read and rewritten inside this IMMEDIATE transaction, so no writer can slip in.
        const next = applyPatch(row.key, toRecord(row), DROP_PIN, row.updated_at);
        if (next) this.putSession(next);
        else this.stmt.delete.run(row.key);
      }
      if (rows.length > 0) this.logChange(PREFIX, prefix);
      return rows.length;
    });
  }

  watch(listener: (change: SessionChange) => void): () => void {
    return this.listeners.add(listener);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.db.close();
  }

  /**
   * Looks for other processes' writes now (the timer does this every `pollIntervalMs`): refreshes
   * the in-memory credential state, drops the ledger's kept summaries and tells watchers which
   * sessions changed.
   */
  poll(): void {
    if (this.closed) return;
    const version = this.dataVersion();
    if (version === this.lastDataVersion) return;
    this.lastDataVersion = version;
    this.ledger.forgetSummaries();
    const rows = this.stmt.changesSince.all(this.lastSeq, POLL_BATCH + 1) as ChangeRow[];
    const last = rows[rows.length - 1];
    if (!last) return;
    const first = rows[0];
    const missed = rows.length > POLL_BATCH || (first !== undefined && first.seq !== this.lastSeq + 1);
    if (missed) {
      // Too far behind (the log was pruned past us): reload what we hold in memory, tell watchers
      // to forget everything, and continue from the newest change.
      this.lastSeq = (this.stmt.lastSeq.get() as number | undefined) ?? last.seq;
      this.reloadCredentials();
      this.listeners.emit({ kind: "all" });
      return;
    }
    this.lastSeq = last.seq;
    let keys: string[] = [];
    const flush = () => {
      if (keys.length > 0) this.listeners.emit({ kind: "keys", keys });
      keys = [];
    };
    for (const row of rows) {
      if (row.writer === this.writer) continue;
      if (row.kind === SESSION) keys.push(row.key);
      else if (row.kind === CREDENTIAL) this.reloadCredential(row.key);
      else if (row.kind === PREFIX) {
        flush();
        this.listeners.emit({ kind: "prefix", prefix: row.key });
      }
    }
    flush();
  }

  /** Runs a read-modify-write of a credential's state in one transaction; for {@link BackendCooldowns}. */
  async updateCredential<T>(credentialId: string, now: number, change: CredentialChange<T>): Promise<T> {
    return this.write(() => {
      const json = this.stmt.getCredential.get(credentialId) as string | undefined;
      const prev = json === undefined ? undefined : parseCredentialState(json);
      const { state, result } = change(prev);
      if (state) {
        this.stmt.putCredential.run(credentialId, JSON.stringify(state), now);
        this.credentials.set(credentialId, state);
        this.logChange(CREDENTIAL, credentialId);
      }
      return result;
    });
  }

  async claimOnce(key: string, ttlMs: number): Promise<boolean> {
    return this.run(() => {
      const now = this.clock();
      // One statement: a new key is inserted, a lapsed one taken over, a live one left alone.
      const claimed = this.stmt.claim.run(key, now + ttlMs, now).changes === 1;
      if (++this.claimsSincePrune >= 100) {
        this.claimsSincePrune = 0;
        this.stmt.pruneClaims.run(now);
      }
      return claimed;
    });
  }

  /** The in-memory credential view; for {@link BackendCooldowns}. */
  credentialView(): ReadonlyMap<string, CredentialState> {
    return this.credentials;
  }

  private pollSafely(): void {
    try {
      this.poll();
    } catch {
      // A locked or briefly unreadable database: the next tick tries again.
    }
  }

  private dataVersion(): number {
    return this.db.pragma("data_version", { simple: true }) as number;
  }

  private putSession(r: SessionRecord): void {
    const t = r.timed;
    this.stmt.put.run(
      r.key,
      r.model ?? null,
      r.profileId ?? null,
      r.pinSource ?? null,
      r.setBy ?? null,
      r.updatedAt,
      t?.until ?? null,
      t?.model ?? null,
      t?.profileId ?? null,
      t?.setBy ?? null,
    );
  }

  private logChange(kind: string, key: string): void {
    this.ownSeq = Number(this.stmt.logChange.run(kind, key, this.writer).lastInsertRowid);
    if (++this.writesSincePrune >= 500) {
      this.writesSincePrune = 0;
      this.stmt.prune.run(CHANGE_LOG_KEEP);
    }
  }

  private reloadCredentials(): void {
    this.credentials.clear();
    for (const row of this.stmt.allCredentials.all() as Array<{ credential_id: string; state: string }>) {
      const state = parseCredentialState(row.state);
      if (state) this.credentials.set(row.credential_id, state);
    }
  }

  private reloadCredential(id: string): void {
    const json = this.stmt.getCredential.get(id) as string | undefined;
    const state = json === undefined ? undefined : parseCredentialState(json);
    if (state) this.credentials.set(id, state);
    else this.credentials.delete(id);
  }

  private run<T>(fn: () => T): T {
    if (this.closed) throw new Error("session store is closed");
    try {
      return fn();
    } catch (err) {
      if (isContention(err)) throw storeUnavailable(err);
      throw err;
    }
  }

  /** A write transaction taken with BEGIN IMMEDIATE, so a read-modify-write never races another process. */
  private write<T>(fn: () => T): T {
    this.ownSeq = undefined;
    const result = this.run(() => this.db.transaction(fn).immediate());
    // Skip our own entries in the change log while nobody else writes, so a later poll neither
    // re-reads them nor mistakes a long run of them for a gap.
    if (this.ownSeq !== undefined && this.ownSeq === this.lastSeq + 1) this.lastSeq = this.ownSeq;
    return result;
  }
}

function notADatabase(file: string, err: unknown): Error {
  const code = (err as { code?: unknown }).code;
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
    const e = new UserFacingError(
      userError(
        "store_invalid",
        `The session store ${file} is not a SQLite database.`,
        "Point session.store in model-gateway.json at a new file (or remove the setting to use <state>/state/sessions.sqlite).",
      ),
    );
    e.cause = err;
    return e;
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** Runs `step` again while another connection holds the lock it needs, for up to `ms` (blocking, as SQLite's own wait does). */
function untilUncontended(ms: number, step: () => void): void {
  const deadline = performance.now() + ms;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      step();
      return;
    } catch (err) {
      if (!isContention(err) || performance.now() >= deadline) throw err;
      Atomics.wait(pause, 0, 0, 10);
    }
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new UserFacingError(
      userError(
        "store_too_new",
        `The session store was written by a newer version (schema ${version}).`,
        "Upgrade openclaw.",
      ),
    );
  }
  // Leases came after schema 1 without changing it: older versions ignore a table they do not know.
  db.exec(`CREATE TABLE IF NOT EXISTS leases (
      name TEXT PRIMARY KEY NOT NULL,
      owner TEXT NOT NULL,
      until INTEGER NOT NULL
    ) WITHOUT ROWID`);
  // So did one-time claims.
  db.exec(`CREATE TABLE IF NOT EXISTS claims (
      key TEXT PRIMARY KEY NOT NULL,
      until INTEGER NOT NULL
    ) WITHOUT ROWID`);
  // And the usage ledger.
  createLedgerTables(db);
  if (version === SCHEMA_VERSION) {
    addTimedColumns(db);
    return;
  }
  db.exec(`
    BEGIN IMMEDIATE;
    CREATE TABLE IF NOT EXISTS sessions (
      key TEXT PRIMARY KEY NOT NULL,
      model TEXT,
      profile_id TEXT,
      pin_source TEXT,
      set_by TEXT,
      updated_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS sessions_updated_at ON sessions (updated_at, key);
    CREATE INDEX IF NOT EXISTS sessions_auto_pins ON sessions (key) WHERE pin_source = 'auto';
    CREATE TABLE IF NOT EXISTS credential_state (
      credential_id TEXT PRIMARY KEY NOT NULL,
      state TEXT NOT NULL,
      updated_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS changes (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      key TEXT NOT NULL,
      writer TEXT NOT NULL
    );
    PRAGMA user_version = ${SCHEMA_VERSION};
    COMMIT;
  `);
  addTimedColumns(db);
}

const TIMED_COLUMNS = ["timed_until INTEGER", "timed_model TEXT", "timed_profile_id TEXT", "timed_set_by TEXT"];

/**
 * Timed switches came after schema 1 without changing it, as columns an older version ignores
 * (it reads rows with `SELECT *` and writes only the columns it knows). A file written before
 * them gains them here, in one transaction with the check, so two processes opening it at once
 * add them once.
 */
function addTimedColumns(db: Database.Database): void {
  const has = () =>
    (db.pragma("table_info(sessions)") as Array<{ name: string }>).some((c) => c.name === "timed_until");
  if (has()) return;
  db.transaction(() => {
    if (has()) return;
    for (const column of TIMED_COLUMNS) db.exec(`ALTER TABLE sessions ADD COLUMN ${column}`);
  }).immediate();
}

function prepare(db: Database.Database) {
  return {
    get: db.prepare("SELECT * FROM sessions WHERE key = ?"),
    put: db.prepare(
      `INSERT INTO sessions (key, model, profile_id, pin_source, set_by, updated_at,
         timed_until, timed_model, timed_profile_id, timed_set_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET model = excluded.model, profile_id = excluded.profile_id,
         pin_source = excluded.pin_source, set_by = excluded.set_by, updated_at = excluded.updated_at,
         timed_until = excluded.timed_until, timed_model = excluded.timed_model,
         timed_profile_id = excluded.timed_profile_id, timed_set_by = excluded.timed_set_by`,
    ),
    delete: db.prepare("DELETE FROM sessions WHERE key = ?"),
    list: db.prepare("SELECT * FROM sessions ORDER BY updated_at DESC, key DESC LIMIT ?"),
    listPrefix: db.prepare(
      "SELECT * FROM sessions WHERE substr(key, 1, length(:prefix)) = :prefix ORDER BY updated_at DESC, key DESC LIMIT :limit",
    ),
    autoPins: db.prepare(
      "SELECT * FROM sessions WHERE pin_source = 'auto' AND substr(key, 1, length(:prefix)) = :prefix",
    ),
    getCredential: db.prepare("SELECT state FROM credential_state WHERE credential_id = ?").pluck(),
    putCredential: db.prepare(
      `INSERT INTO credential_state (credential_id, state, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (credential_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    ),
    allCredentials: db.prepare("SELECT credential_id, state FROM credential_state"),
    logChange: db.prepare("INSERT INTO changes (kind, key, writer) VALUES (?, ?, ?)"),
    changesSince: db.prepare("SELECT seq, kind, key, writer FROM changes WHERE seq > ? ORDER BY seq LIMIT ?"),
    lastSeq: db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'changes'").pluck(),
    getLease: db.prepare("SELECT owner, until FROM leases WHERE name = ?"),
    putLease: db.prepare(
      "INSERT INTO leases (name, owner, until) VALUES (?, ?, ?) ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until",
    ),
    deleteLease: db.prepare("DELETE FROM leases WHERE name = ? AND owner = ?"),
    claim: db.prepare(
      "INSERT INTO claims (key, until) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET until = excluded.until WHERE claims.until <= ?",
    ),
    pruneClaims: db.prepare("DELETE FROM claims WHERE until <= ?"),
    prune: db.prepare("DELETE FROM changes WHERE seq <= (SELECT max(seq) FROM changes) - ?"),
  };
}
