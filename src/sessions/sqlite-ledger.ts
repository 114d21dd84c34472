import type Database from "better-sqlite3";
import type {
  LedgerEntry,
  UsageFilter,
  UsageFooter,
  UsageGroup,
  UsageLedger,
  UsageRow,
  UsageTotals,
} from "./ledger.js";
import { asFooter, checkEntry, entryDimensions, NO_USAGE, sortRows, splitRange } from "./ledger-sums.js";
import { dayStart, utcDay } from "../util/utc-period.js";

/**
 * The ledger's tables, created beside the sessions in the same file. `ledger_entries` holds each
 * call once (its id is the primary key, so a retried write is ignored); `ledger_days` holds one
 * row per UTC day and dimension set, updated in the same transaction as a new entry, so it always
 * covers every entry and a roll-up only has to delete old raw entries.
 */
export function createLedgerTables(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS ledger_entries (
      id TEXT PRIMARY KEY NOT NULL,
      at INTEGER NOT NULL,
      channel TEXT NOT NULL,
      session_key TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      provider TEXT NOT NULL,
      model TEXT NOT NULL,
      profile_id TEXT NOT NULL,
      input INTEGER NOT NULL,
      output INTEGER NOT NULL,
      cache_read INTEGER NOT NULL,
      cache_write INTEGER NOT NULL,
      cost_usd REAL,
      outcome TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ledger_entries_at ON ledger_entries (at);
    CREATE TABLE IF NOT EXISTS ledger_days (
      day TEXT NOT NULL,
      channel TEXT NOT NULL,
      session_key TEXT NOT NULL,
      agent_id TEXT NOT NULL,
      provider TEXT NOT NULL,
      model TEXT NOT NULL,
      profile_id TEXT NOT NULL,
      turns INTEGER NOT NULL,
      input INTEGER NOT NULL,
      output INTEGER NOT NULL,
      cache_read INTEGER NOT NULL,
      cache_write INTEGER NOT NULL,
      cost_usd REAL NOT NULL,
      unpriced INTEGER NOT NULL,
      PRIMARY KEY (day, channel, session_key, agent_id, provider, model, profile_id)
    ) WITHOUT ROWID;
    CREATE TABLE IF NOT EXISTS ledger_footers (
      session_key TEXT PRIMARY KEY NOT NULL,
      footer TEXT NOT NULL
    ) WITHOUT ROWID;
  `);
}

/** A summary's key column in each table. */
const GROUP_COLUMNS: Record<UsageGroup, { days: string; entries: string }> = {
  day: { days: "day", entries: "strftime('%Y-%m-%d', at / 1000, 'unixepoch')" },
  provider: { days: "provider", entries: "provider" },
  model: { days: "model", entries: "model" },
  profile: { days: "profile_id", entries: "profile_id" },
  chat: { days: "session_key", entries: "session_key" },
  agent: { days: "agent_id", entries: "agent_id" },
  channel: { days: "channel", entries: "channel" },
};

const NARROWING = `(:sessionKey IS NULL OR session_key = :sessionKey)
  AND (:agentId IS NULL OR agent_id = :agentId)
  AND (:profileId IS NULL OR profile_id = :profileId)
  AND (:provider IS NULL OR provider = :provider)`;

/**
 * Sums per key over the whole days (daily sums) and the partial days at the edges (raw entries).
 * `total()` is 0 over no rows, where `sum()` would be NULL.
 */
function sumsQuery(key: { days: string; entries: string }): string {
  return `SELECT key, total(turns) AS turns, total(input) AS inputTokens, total(output) AS outputTokens,
      total(cache_read) AS cacheReadTokens, total(cache_write) AS cacheWriteTokens,
      total(cost_usd) AS costUsd, total(unpriced) AS unpricedTurns
    FROM (
      SELECT ${key.days} AS key, turns, input, output, cache_read, cache_write, cost_usd, unpriced
        FROM ledger_days WHERE day >= :firstDay AND day < :endDay AND ${NARROWING}
      UNION ALL
      SELECT ${key.entries} AS key, 1, input, output, cache_read, cache_write, coalesce(cost_usd, 0), cost_usd IS NULL
        FROM ledger_entries
        WHERE ((at >= :headFrom AND at < :headTo) OR (at >= :tailFrom AND at < :tailTo)) AND ${NARROWING}
    ) GROUP BY key`;
}

/** Runs a step against the database, mapping lock contention and a closed store as the store does. */
export type SqliteRunner = <T>(step: () => T) => T;

/** Summaries kept at most; a status view asks for the same one or two again and again. */
const SUMMARY_CACHE_SIZE = 32;

/**
 * The usage ledger in the SQLite session store's file. `record` is one prepared INSERT and, for a
 * new id, one prepared UPSERT, in one IMMEDIATE transaction: it resolves once committed to the WAL,
 * with the store's durability.
 *
 * Summaries are kept until the ledger changes: every `/model status` asks for today's spend per
 * profile, and the query costs more than the rest of the status. A write through this ledger
 * drops them at once; another connection's commit drops them when the store's poll sees it
 * ({@link SqliteLedger.forgetSummaries}), the same delay after which a pin set elsewhere shows.
 * Checking on every summary instead was a read transaction per status, two lock syscalls and a
 * tenth of a webhook update's cost. `totals`, which budgets check, always reads the file.
 */
export class SqliteLedger implements UsageLedger {
  private readonly stmt: ReturnType<typeof prepare>;
  private readonly recordTx: Database.Transaction<(entry: LedgerEntry) => void>;
  private readonly summaries = new Map<string, readonly UsageRow[]>();

  /** `db` must hold the tables of {@link createLedgerTables}. */
  constructor(
    db: Database.Database,
    private readonly run: SqliteRunner,
  ) {
    const stmt = prepare(db);
    this.stmt = stmt;
    this.recordTx = db.transaction((e: LedgerEntry) => {
      const row = {
        ...entryDimensions(e),
        id: e.id,
        at: e.at,
        ...e.tokens,
        costUsd: e.costUsd ?? null,
        unpriced: e.costUsd === undefined ? 1 : 0,
        outcome: e.outcome,
      };
      if (stmt.insertEntry.run(row).changes === 1) stmt.addToDay.run(row);
    });
  }

  async record(entry: LedgerEntry): Promise<void> {
    checkEntry(entry);
    this.summaries.clear();
    this.run(() => this.recordTx.immediate(entry));
  }

  async totals(filter: UsageFilter): Promise<UsageTotals> {
    const row = this.run(() => this.stmt.totals.get(params(filter))) as UsageRow | undefined;
    if (!row) return NO_USAGE;
    const { key: _key, ...totals } = row;
    return totals;
  }

  async summarize(filter: UsageFilter, by: UsageGroup): Promise<UsageRow[]> {
    const { from, to, sessionKey, agentId, profileId, provider } = filter;
    const key = JSON.stringify([by, from, to, sessionKey, agentId, profileId, provider]);
    let rows = this.summaries.get(key);
    if (!rows) {
      const query = params(filter);
      rows = this.run(() => sortRows(this.stmt.summaries[by].all(query) as UsageRow[], by));
      if (this.summaries.size >= SUMMARY_CACHE_SIZE) this.summaries.clear();
      this.summaries.set(key, rows);
    }
    // A copy: callers own the array they get.
    return [...rows];
  }

  /** Drops the kept summaries: the store saw another connection commit. */
  forgetSummaries(): void {
    this.summaries.clear();
  }

  async rollUp(before: number): Promise<number> {
    this.summaries.clear();
    // Whole days only: a day is either still raw or rolled up, never half of each.
    return this.run(() => this.stmt.dropEntriesBefore.run(dayStart(before)).changes);
  }

  async footer(sessionKey: string): Promise<UsageFooter> {
    return asFooter(this.run(() => this.stmt.getFooter.get(sessionKey) as string | undefined));
  }

  async setFooter(sessionKey: string, footer: UsageFooter): Promise<void> {
    // `off` is what a chat without a row reads, so it needs no row.
    this.run(() =>
      footer === "off" ? this.stmt.deleteFooter.run(sessionKey) : this.stmt.putFooter.run(sessionKey, footer),
    );
  }
}

function params(filter: UsageFilter): Record<string, string | number | null> {
  const split = splitRange(filter.from, filter.to);
  return {
    // An empty whole-day range gives `firstDay = endDay`, which matches no day.
    firstDay: utcDay(split.wholeDays.from),
    endDay: utcDay(split.wholeDays.to),
    headFrom: split.head.from,
    headTo: split.head.to,
    tailFrom: split.tail.from,
    tailTo: split.tail.to,
    sessionKey: filter.sessionKey ?? null,
    agentId: filter.agentId ?? null,
    profileId: filter.profileId ?? null,
    provider: filter.provider ?? null,
  };
}

function prepare(db: Database.Database) {
  const summaries = {} as Record<UsageGroup, Database.Statement>;
  for (const by of Object.keys(GROUP_COLUMNS) as UsageGroup[]) summaries[by] = db.prepare(sumsQuery(GROUP_COLUMNS[by]));
  return {
    insertEntry: db.prepare(
      `INSERT INTO ledger_entries (id, at, channel, session_key, agent_id, provider, model, profile_id,
         input, output, cache_read, cache_write, cost_usd, outcome)
       VALUES (:id, :at, :channel, :sessionKey, :agentId, :provider, :model, :profileId,
         :input, :output, :cacheRead, :cacheWrite, :costUsd, :outcome)
       ON CONFLICT (id) DO NOTHING`,
    ),
    addToDay: db.prepare(
      `INSERT INTO ledger_days (day, channel, session_key, agent_id, provider, model, profile_id,
         turns, input, output, cache_read, cache_write, cost_usd, unpriced)
       VALUES (:day, :channel, :sessionKey, :agentId, :provider, :model, :profileId,
         1, :input, :output, :cacheRead, :cacheWrite, coalesce(:costUsd, 0), :unpriced)
       ON CONFLICT (day, channel, session_key, agent_id, provider, model, profile_id) DO UPDATE SET
         turns = turns + 1, input = input + excluded.input, output = output + excluded.output,
         cache_read = cache_read + excluded.cache_read, cache_write = cache_write + excluded.cache_write,
         cost_usd = cost_usd + excluded.cost_usd, unpriced = unpriced + excluded.unpriced`,
    ),
    // One group for everything: the totals are the single row's sums.
    totals: db.prepare(sumsQuery({ days: "''", entries: "''" })),
    summaries,
    dropEntriesBefore: db.prepare("DELETE FROM ledger_entries WHERE at < ?"),
    getFooter: db.prepare("SELECT footer FROM ledger_footers WHERE session_key = ?").pluck(),
    putFooter: db.prepare(
      "INSERT INTO ledger_footers (session_key, footer) VALUES (?, ?) ON CONFLICT (session_key) DO UPDATE SET footer = excluded.footer",
    ),
    deleteFooter: db.prepare("DELETE FROM ledger_footers WHERE session_key = ?"),
  };
}
