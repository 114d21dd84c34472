import fs from "node:fs";
import type Database from "better-sqlite3";
import { rawProfileSchema, type AuthProfilesFile, type RawAuthProfile } from "./profiles.js";
import { hasTable, openExistingDb, type CredentialLayout } from "./layout.js";
import { UserFacingError, userError } from "../util/user-error.js";

type SqliteLayout = Extract<CredentialLayout, { kind: "sqlite" }>;
type Json = Record<string, unknown>;
type OrderMap = Record<string, string[]>;

/** One JSON cell of OpenClaw's: a row of a key/JSON/timestamp table in an attached database. */
interface Cell {
  readonly schema: "main" | "agent";
  readonly table: string;
  readonly keyColumn: string;
  readonly key: string;
  readonly jsonColumn: string;
  readonly timeColumn: string;
}

const sharedStateCell = (key: string): Cell => ({
  schema: "main",
  table: "config_machine_state",
  keyColumn: "state_key",
  key,
  jsonColumn: "value_json",
  timeColumn: "updated_at_ms",
});
const agentCell = (schema: "main" | "agent", kind: "store" | "state"): Cell => ({
  schema,
  table: `auth_profile_${kind}`,
  keyColumn: `${kind}_key`,
  key: "primary",
  jsonColumn: `${kind}_json`,
  timeColumn: "updated_at",
});

/** The store cell (`{version, profiles}`) and state cell (`{version, order, usageStats…}`) of one owner. */
interface Owner {
  readonly store: Cell;
  readonly state: Cell;
}

interface Loaded {
  store: Json | undefined;
  state: Json | undefined;
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The raw profiles of a row, untouched (entries we cannot read are kept as they are on write). */
function rawProfilesOf(doc: Json | undefined): Json {
  return isObject(doc?.profiles) ? doc.profiles : {};
}

/** The profiles of a row that have a shape we understand; OpenClaw also skips the others. */
function profilesOf(doc: Json | undefined): Record<string, RawAuthProfile> {
  const out: Record<string, RawAuthProfile> = {};
  for (const [id, raw] of Object.entries(rawProfilesOf(doc))) {
    const parsed = rawProfileSchema.safeParse(raw);
    if (parsed.success) out[id] = parsed.data;
  }
  return out;
}

function orderOf(doc: Json | undefined): OrderMap {
  const out: OrderMap = {};
  if (!isObject(doc?.order)) return out;
  for (const [p, ids] of Object.entries(doc.order))
    if (Array.isArray(ids)) out[p] = ids.filter((i): i is string => typeof i === "string");
  return out;
}

/**
 * One open view of an agent's OpenClaw credential stores: the shared owner (`main` schema) and,
 * when it is a different database that exists, the agent's own (attached as `agent`).
 */
class Session {
  readonly shared: Owner;
  readonly local: Owner | undefined;

  constructor(
    readonly db: Database.Database,
    readonly layout: SqliteLayout,
  ) {
    this.shared = layout.sharedInStateDb
      ? { store: sharedStateCell("authProfiles.store"), state: sharedStateCell("authProfiles.state") }
      : { store: agentCell("main", "store"), state: agentCell("main", "state") };
    const separate = layout.agentDb !== layout.sharedDb && fs.existsSync(layout.agentDb);
    if (separate) db.prepare("ATTACH DATABASE ? AS agent").run(layout.agentDb);
    this.local = separate ? { store: agentCell("agent", "store"), state: agentCell("agent", "state") } : undefined;
  }

  read(cell: Cell): Json | undefined {
    if (!hasTable(this.db, cell.table, cell.schema)) return undefined;
    const row = this.db
      .prepare(`SELECT ${cell.jsonColumn} AS v FROM ${cell.schema}.${cell.table} WHERE ${cell.keyColumn} = ?`)
      .get(cell.key) as { v: string } | undefined;
    if (row === undefined) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(row.v);
    } catch {
      parsed = undefined;
    }
    if (!isObject(parsed)) {
      throw new UserFacingError(
        userError(
          "credential_db_invalid",
          `The ${cell.table} row ${cell.key} of ${this.fileOf(cell)} is not a JSON object; nothing was changed.`,
          "Run `openclaw doctor --fix` with OpenClaw to repair its credential store.",
        ),
      );
    }
    return parsed;
  }

  write(cell: Cell, doc: Json, now: number): void {
    if (!hasTable(this.db, cell.table, cell.schema)) {
      throw new UserFacingError(
        userError(
          "credential_db_schema",
          `${this.fileOf(cell)} has no ${cell.table} table; nothing was changed.`,
          "Run any `openclaw models auth` command of OpenClaw 2026.9 once so it creates its schema.",
        ),
      );
    }
    this.db
      .prepare(
        `INSERT INTO ${cell.schema}.${cell.table} (${cell.keyColumn}, ${cell.jsonColumn}, ${cell.timeColumn}) VALUES (?, ?, ?) ON CONFLICT(${cell.keyColumn}) DO UPDATE SET ${cell.jsonColumn} = excluded.${cell.jsonColumn}, ${cell.timeColumn} = excluded.${cell.timeColumn}`,
      )
      .run(cell.key, JSON.stringify(doc), now);
  }

  fileOf(cell: Cell): string {
    return cell.schema === "agent" ? this.layout.agentDb : this.layout.sharedDb;
  }

  load(owner: Owner): Loaded {
    return { store: this.read(owner.store), state: this.read(owner.state) };
  }
}

/**
 * The merged view OpenClaw's runtime uses: agent profiles over shared ones (same id: the agent's
 * wins); per provider, the agent's order over the shared one; when only the shared store has an
 * order but the agent has its own profiles of that provider, those come first.
 */
function mergedView(shared: Loaded, local: Loaded | undefined): AuthProfilesFile {
  const localProfiles = profilesOf(local?.store);
  const profiles = { ...profilesOf(shared.store), ...localProfiles };
  const base = { ...orderOf(shared.store), ...orderOf(shared.state) };
  const over = { ...orderOf(local?.store), ...orderOf(local?.state) };
  const order: OrderMap = { ...base, ...over };
  for (const [p, ids] of Object.entries(base)) {
    if (p in over) continue;
    const own = Object.entries(localProfiles)
      .filter(([, raw]) => raw.provider === p)
      .map(([id]) => id);
    if (own.length > 0) order[p] = [...new Set([...own, ...ids])];
  }
  return { version: 1, profiles, ...(Object.keys(order).length > 0 ? { order } : {}) };
}

function setOrder(doc: Json, provider: string, ids: string[] | undefined): void {
  const order = isObject(doc.order) ? { ...doc.order } : {};
  if (ids === undefined) delete order[provider];
  else order[provider] = ids;
  if (Object.keys(order).length > 0) doc.order = order;
  else delete doc.order;
}

function changed(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

/**
 * OpenClaw 2026.9's SQLite credential stores, read and written the way OpenClaw does: the shared
 * store read through by each agent, agent order in the agent's `auth_profile_state`. Each write is
 * one `BEGIN IMMEDIATE` transaction over every database it touches, with OpenClaw's busy timeout,
 * so a running OpenClaw and this process never lose each other's changes; only the changed keys of
 * a row are replaced, so unknown fields and rows stay as they were.
 */
export const sqliteCredentials = {
  /** The agent's merged credentials. */
  read(layout: SqliteLayout): AuthProfilesFile {
    const session = new Session(openExistingDb(layout.sharedDb, true), layout);
    try {
      return mergedView(session.load(session.shared), session.local && session.load(session.local));
    } finally {
      session.db.close();
    }
  },

  /** Applies `mutate` to the freshest merged view inside one write transaction and stores the differences. */
  update<T>(layout: SqliteLayout, agentId: string, mutate: (file: AuthProfilesFile) => T, now: number): T {
    const session = new Session(openExistingDb(layout.sharedDb, false), layout);
    try {
      session.db.exec("BEGIN IMMEDIATE");
      try {
        const result = applyChanges(session, agentId, mutate, now);
        session.db.exec("COMMIT");
        return result;
      } catch (err) {
        session.db.exec("ROLLBACK");
        throw err;
      }
    } finally {
      session.db.close();
    }
  },
};

function applyChanges<T>(session: Session, agentId: string, mutate: (file: AuthProfilesFile) => T, now: number): T {
  const { layout } = session;
  const shared = session.load(session.shared);
  const local = session.local ? session.load(session.local) : undefined;
  const before = mergedView(shared, local);
  const after = mergedView(shared, local);
  const result = mutate(after);

  const docs = new Map<Cell, Json>();
  const doc = (cell: Cell, loaded: Json | undefined): Json => {
    let d = docs.get(cell);
    if (!d) {
      d = { version: 1, ...(loaded ?? {}) };
      docs.set(cell, d);
    }
    return d;
  };
  const needLocal = (what: string): Owner => {
    if (session.local) return session.local;
    throw new UserFacingError(
      userError(
        "agent_db_missing",
        `Agent ${agentId} has no OpenClaw database (${layout.agentDb}) to hold its ${what}; nothing was changed.`,
        `Run an \`openclaw models auth\` command of OpenClaw for agent ${agentId} once, or use the main agent.`,
      ),
    );
  };

  const ids = new Set([...Object.keys(before.profiles), ...Object.keys(after.profiles)]);
  for (const id of ids) {
    const next = after.profiles[id];
    if (!changed(before.profiles[id], next)) continue;
    const inLocal = id in rawProfilesOf(local?.store);
    const targets: [Owner, Loaded][] = [];
    if (next === undefined) {
      if (inLocal && session.local && local) targets.push([session.local, local]);
      if (layout.sharedOwner && id in rawProfilesOf(shared.store)) targets.push([session.shared, shared]);
    } else if (inLocal || !layout.sharedOwner) {
      targets.push([needLocal("profiles"), local ?? { store: undefined, state: undefined }]);
    } else targets.push([session.shared, shared]);
    for (const [owner, loaded] of targets) {
      const d = doc(owner.store, loaded.store);
      const profiles = { ...rawProfilesOf(d) };
      if (next === undefined) delete profiles[id];
      else profiles[id] = next;
      d.profiles = profiles;
    }
  }

  const providers = new Set([...Object.keys(before.order ?? {}), ...Object.keys(after.order ?? {})]);
  for (const p of providers) {
    const next = after.order?.[p];
    if (!changed(before.order?.[p], next)) continue;
    // Set: where OpenClaw's `order set` writes (the agent's state; the shared state while the main
    // agent has no database of its own). Clear: every place an order for it may come from.
    const owners: [Owner, Loaded][] = [];
    if (session.local && local) owners.push([session.local, local]);
    if (layout.sharedOwner) owners.push([session.shared, shared]);
    if (owners.length === 0) needLocal("auth order");
    const [first] = owners;
    for (const [owner, loaded] of owners) {
      if (next !== undefined) {
        if (owner === first?.[0]) setOrder(doc(owner.state, loaded.state), p, next);
        continue;
      }
      if (p in orderOf(loaded.state)) setOrder(doc(owner.state, loaded.state), p, undefined);
      if (p in orderOf(loaded.store)) setOrder(doc(owner.store, loaded.store), p, undefined);
    }
  }

  for (const [cell, d] of docs) session.write(cell, d, now);
  return result;
}
