import type { ClientContext, Redis, RedisKey, RedisOptions, Result } from "ioredis";
import type {
  LedgerEntry,
  UsageFilter,
  UsageFooter,
  UsageGroup,
  UsageLedger,
  UsageRow,
  UsageTotals,
} from "./ledger.js";
import {
  addTotals,
  asFooter,
  checkEntry,
  entryDimensions,
  entryTotals,
  groupRows,
  type LedgerDimensions,
  matchesFilter,
  type MsRange,
  NO_USAGE,
  splitRange,
} from "./ledger-sums.js";
import { dayStart, utcDay } from "../util/utc-period.js";

/**
 * Records one entry once: HSETNX of its id in its day's raw hash decides whether it is new; only
 * then are the day's sums for its dimension set incremented and the day indexed. One script, so a
 * retried write (or the same id from two instances) counts once and the sums never lag the entries.
 * Every argument is checked by the caller (`checkEntry`) before the script runs, so no command can
 * fail half-way. KEYS: raw hash, sums hash, days index, raw-days index. ARGV: id, entry JSON,
 * dimensions JSON, day start ms, day, input, output, cacheRead, cacheWrite, cost ('' when unpriced).
 */
const LEDGER_RECORD = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
local d = '|' .. ARGV[3]
redis.call('HINCRBY', KEYS[2], 't' .. d, 1)
redis.call('HINCRBY', KEYS[2], 'i' .. d, ARGV[6])
redis.call('HINCRBY', KEYS[2], 'o' .. d, ARGV[7])
redis.call('HINCRBY', KEYS[2], 'r' .. d, ARGV[8])
redis.call('HINCRBY', KEYS[2], 'w' .. d, ARGV[9])
if ARGV[10] == '' then
  redis.call('HINCRBY', KEYS[2], 'u' .. d, 1)
else
  redis.call('HINCRBYFLOAT', KEYS[2], 'c' .. d, ARGV[10])
end
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[5])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[5])
return 1
`;

/**
 * Folds one day's raw entries: their count, then the raw hash and its index entry go. The sums
 * already hold them. KEYS: raw hash, raw-days index. ARGV: day.
 */
const LEDGER_FOLD_DAY = `
local n = redis.call('HLEN', KEYS[1])
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return n
`;

/** The ledger's scripts, registered on the store's client with its own. */
export const LEDGER_SCRIPTS = {
  openclawLedgerRecord: { lua: LEDGER_RECORD, numberOfKeys: 4 },
  openclawLedgerFoldDay: { lua: LEDGER_FOLD_DAY, numberOfKeys: 2 },
} satisfies RedisOptions["scripts"];

declare module "ioredis" {
  interface RedisCommander<Context extends ClientContext> {
    /** {@link LEDGER_RECORD}: 1 when the entry was new, 0 when its id was recorded already. */
    openclawLedgerRecord(
      raw: RedisKey,
      sums: RedisKey,
      days: RedisKey,
      rawDays: RedisKey,
      ...argv: string[]
    ): Result<number, Context>;
    /** {@link LEDGER_FOLD_DAY}: how many raw entries the day held. */
    openclawLedgerFoldDay(raw: RedisKey, rawDays: RedisKey, day: string): Result<number, Context>;
  }
}

/** A day's sums hash field: `<metric>|<dimensions JSON>`; the metric letters are the script's. */
const METRICS: Record<string, keyof UsageTotals> = {
  t: "turns",
  i: "inputTokens",
  o: "outputTokens",
  r: "cacheReadTokens",
  w: "cacheWriteTokens",
  c: "costUsd",
  u: "unpricedTurns",
};

/** The dimensions of a day's sums, in the order they are encoded. */
type DimensionTuple = [string, string, string, string, string, string];

function encodeDimensions(d: LedgerDimensions): string {
  const tuple: DimensionTuple = [d.channel, d.sessionKey, d.agentId, d.provider, d.model, d.profileId];
  return JSON.stringify(tuple);
}

function decodeDimensions(day: string, json: string): LedgerDimensions | undefined {
  const t = JSON.parse(json) as unknown;
  if (!Array.isArray(t) || t.length !== 6 || !t.every((v) => typeof v === "string")) return undefined;
  const [channel, sessionKey, agentId, provider, model, profileId] = t as DimensionTuple;
  return { day, channel, sessionKey, agentId, provider, model, profileId };
}

/** The entry as its day's raw hash keeps it: the contract's fields only, whatever else the object carries. */
function rawJson(e: LedgerEntry): string {
  const { input, output, cacheRead, cacheWrite } = e.tokens;
  const kept: LedgerEntry = {
    id: e.id,
    at: e.at,
    channel: e.channel,
    sessionKey: e.sessionKey,
    agentId: e.agentId,
    provider: e.provider,
    model: e.model,
    profileId: e.profileId,
    tokens: { input, output, cacheRead, cacheWrite },
    costUsd: e.costUsd,
    outcome: e.outcome,
  };
  return JSON.stringify(kept);
}

interface Part {
  readonly dims: LedgerDimensions;
  readonly totals: UsageTotals;
}

/** A day's sums hash as parts, one per dimension set. */
function dayParts(day: string, hash: Record<string, string>): Part[] {
  const byDims = new Map<string, Record<keyof UsageTotals, number>>();
  for (const [field, value] of Object.entries(hash)) {
    const bar = field.indexOf("|");
    const metric = METRICS[field.slice(0, bar)];
    if (bar < 0 || metric === undefined) continue;
    const dims = field.slice(bar + 1);
    const sums = byDims.get(dims) ?? { ...NO_USAGE };
    sums[metric] = Number(value);
    byDims.set(dims, sums);
  }
  const parts: Part[] = [];
  for (const [json, totals] of byDims) {
    const dims = decodeDimensions(day, json);
    if (dims) parts.push({ dims, totals });
  }
  return parts;
}

/**
 * The usage ledger in Redis, under the store's key prefix `p`: `p ledger:raw:<day>` (a hash of
 * call id → entry JSON, the raw entries of one UTC day), `p ledger:sums:<day>` (a hash of the
 * day's sums per dimension set), `p ledger:days` and `p ledger:raw-days` (sorted sets of the days
 * with sums and with raw entries, scored by the day's start), and `p ledger:footers` (a hash of
 * session key → footer). Every instance increments the same sums, so their turns add up; whole
 * days are read from the sums, the partial days at a range's edges from the raw entries.
 */
export class RedisLedger implements UsageLedger {
  private readonly daysKey: string;
  private readonly rawDaysKey: string;
  private readonly footersKey: string;

  /**
   * `client` must have {@link LEDGER_SCRIPTS} registered; `guard` maps a failure as the store's
   * other calls do.
   */
  constructor(
    private readonly client: Redis,
    private readonly prefix: string,
    private readonly guard: <T>(op: () => Promise<T>) => Promise<T>,
  ) {
    this.daysKey = `${prefix}ledger:days`;
    this.rawDaysKey = `${prefix}ledger:raw-days`;
    this.footersKey = `${prefix}ledger:footers`;
  }

  async record(entry: LedgerEntry): Promise<void> {
    checkEntry(entry);
    const dims = entryDimensions(entry);
    const { input, output, cacheRead, cacheWrite } = entry.tokens;
    await this.guard(() =>
      this.client.openclawLedgerRecord(
        this.rawKey(dims.day),
        this.sumsKey(dims.day),
        this.daysKey,
        this.rawDaysKey,
        entry.id,
        rawJson(entry),
        encodeDimensions(dims),
        String(dayStart(entry.at)),
        dims.day,
        String(input),
        String(output),
        String(cacheRead),
        String(cacheWrite),
        entry.costUsd === undefined ? "" : String(entry.costUsd),
      ),
    );
  }

  async totals(filter: UsageFilter): Promise<UsageTotals> {
    let sums = NO_USAGE;
    for (const part of await this.parts(filter)) sums = addTotals(sums, part.totals);
    return sums;
  }

  async summarize(filter: UsageFilter, by: UsageGroup): Promise<UsageRow[]> {
    return groupRows(await this.parts(filter), by);
  }

  async rollUp(before: number): Promise<number> {
    return this.guard(async () => {
      // Whole days only: a day is either still raw or rolled up, never half of each.
      const days = await this.client.zrangebyscore(this.rawDaysKey, "-inf", `(${dayStart(before)}`);
      let folded = 0;
      for (const day of days) folded += await this.client.openclawLedgerFoldDay(this.rawKey(day), this.rawDaysKey, day);
      return folded;
    });
  }

  async footer(sessionKey: string): Promise<UsageFooter> {
    return asFooter(await this.guard(() => this.client.hget(this.footersKey, sessionKey)));
  }

  async setFooter(sessionKey: string, footer: UsageFooter): Promise<void> {
    // `off` is what a chat without a field reads, so it needs no field.
    await this.guard(() =>
      footer === "off"
        ? this.client.hdel(this.footersKey, sessionKey)
        : this.client.hset(this.footersKey, sessionKey, footer),
    );
  }

  /** The sums the filter covers, per day and dimension set, narrowed by its fields. */
  private async parts(filter: UsageFilter): Promise<Part[]> {
    const split = splitRange(filter.from, filter.to);
    return this.guard(async () => {
      const [whole, head, tail] = await Promise.all([
        this.wholeDayParts(split.wholeDays),
        this.rawParts(split.head),
        this.rawParts(split.tail),
      ]);
      return [...whole, ...head, ...tail].filter((p) => matchesFilter(p.dims, filter));
    });
  }

  private async wholeDayParts(range: MsRange): Promise<Part[]> {
    if (range.to <= range.from) return [];
    const days = await this.client.zrangebyscore(this.daysKey, range.from, `(${range.to}`);
    if (days.length === 0) return [];
    const pipeline = this.client.pipeline();
    for (const day of days) pipeline.hgetall(this.sumsKey(day));
    const results = (await pipeline.exec()) ?? [];
    return days.flatMap((day, i) => {
      const [err, hash] = results[i] ?? [new Error("missing pipeline reply"), null];
      if (err) throw err;
      return dayParts(day, hash as Record<string, string>);
    });
  }

  /** The raw entries inside a partial day (a range within one UTC day, or two adjacent partial days). */
  private async rawParts(range: MsRange): Promise<Part[]> {
    if (range.to <= range.from) return [];
    const days = [...new Set([utcDay(range.from), utcDay(range.to - 1)])];
    const hashes = await Promise.all(days.map((day) => this.client.hvals(this.rawKey(day))));
    const parts: Part[] = [];
    for (const json of hashes.flat()) {
      const entry = JSON.parse(json) as LedgerEntry;
      if (entry.at >= range.from && entry.at < range.to) {
        parts.push({ dims: entryDimensions(entry), totals: entryTotals(entry) });
      }
    }
    return parts;
  }

  private rawKey(day: string): string {
    return `${this.prefix}ledger:raw:${day}`;
  }

  private sumsKey(day: string): string {
    return `${this.prefix}ledger:sums:${day}`;
  }
}
