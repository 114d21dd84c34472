import type { UsageFilter, UsageRow, UsageTotals } from "../sessions/ledger.js";
import { lastDays } from "../sessions/usage-window.js";
import { NO_USAGE } from "../sessions/ledger-sums.js";
import { costText, microUsd, turnCount } from "../sessions/usage-text.js";
import { userError, UserFacingError } from "../util/user-error.js";
import { cliAssembly } from "./cli-context.js";
import { selectAgent } from "./agent.js";
import { columns, toJson } from "./format.js";
import { EXIT } from "./errors.js";
import type { CliIo } from "./io.js";

/** Flags of `openclaw gateway usage-cost`, as commander hands them over. */
export interface UsageCostOptions {
  readonly days?: string;
  readonly agent?: string;
  readonly allAgents?: boolean;
  readonly by?: string;
  readonly json?: boolean;
}

/** The groups `--by` takes, in the order its help lists them. */
const USAGE_COST_GROUPS = ["day", "provider", "model", "profile", "chat", "agent"] as const;
type CostGroup = (typeof USAGE_COST_GROUPS)[number];

/** What `--json` prints, exactly the shape issue #30 names (scripts read it); a row's unpriced turns show in the text table. */
interface UsageCostReport {
  readonly days: number;
  readonly from: string;
  readonly to: string;
  readonly totals: UsageTotals;
  readonly rows: readonly Omit<UsageRow, "unpricedTurns">[];
}

function badFlag(message: string): never {
  throw new UserFacingError(userError("bad_flag", message));
}

/** The most `--days` takes: a century covers any ledger, and far larger counts reach back past the last valid date. */
const MAX_DAYS = 36_500;

/** `--days`: a whole number from 1 to {@link MAX_DAYS}, worded in the shape of OpenClaw's own check. */
function parseDays(raw: string | undefined): number {
  if (raw === undefined) return 30;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < 1 || n > MAX_DAYS)
    badFlag(`Invalid --days. Use an integer from 1 to ${MAX_DAYS}, e.g. --days 30. Received: "${raw}".`);
  return n;
}

function parseGroup(raw: string | undefined): CostGroup {
  const by = raw ?? "day";
  const found = USAGE_COST_GROUPS.find((g) => g === by);
  if (found === undefined) badFlag(`Invalid --by. Use one of ${USAGE_COST_GROUPS.join(", ")}. Received: "${by}".`);
  return found;
}

/** The totals as `--json` prints them: these fields in this order, whatever else a backend returns. */
function totalsJson(t: UsageTotals): UsageTotals {
  return {
    turns: t.turns,
    inputTokens: t.inputTokens,
    outputTokens: t.outputTokens,
    cacheReadTokens: t.cacheReadTokens,
    cacheWriteTokens: t.cacheWriteTokens,
    costUsd: microUsd(t.costUsd),
    unpricedTurns: t.unpricedTurns,
  };
}

/** A row as `--json` prints it: its key and sums, without the per-row unpriced count. */
function rowJson(r: UsageRow): Omit<UsageRow, "unpricedTurns"> {
  const { unpricedTurns: _left, ...sums } = totalsJson(r);
  return { key: r.key, ...sums };
}

const HEADINGS: Readonly<Record<CostGroup, string>> = {
  day: "DAY",
  provider: "PROVIDER",
  model: "MODEL",
  profile: "PROFILE",
  chat: "CHAT",
  agent: "AGENT",
};

function cells(key: string, t: UsageTotals): string[] {
  return [
    key,
    String(t.turns),
    String(t.inputTokens),
    String(t.outputTokens),
    String(t.cacheReadTokens),
    String(t.cacheWriteTokens),
    costText(t),
  ];
}

/** The text view: what was read, an aligned table, a totals line, and the word on unpriced turns. */
function renderText(r: UsageCostReport, rows: readonly UsageRow[], by: CostGroup, scope: string): string[] {
  const lines = [`Usage cost: ${r.days} day${r.days === 1 ? "" : "s"}, ${r.from} to ${r.to} (UTC), ${scope}, by ${by}`];
  if (r.totals.turns === 0) return [...lines, "No model turns recorded."];
  lines.push(
    ...columns([
      [HEADINGS[by], "TURNS", "INPUT", "OUTPUT", "CACHE READ", "CACHE WRITE", "COST"],
      ...rows.map((row) => cells(row.key, row)),
      cells("TOTAL", r.totals),
    ]),
  );
  if (r.totals.unpricedTurns > 0)
    lines.push(
      `${turnCount(r.totals.unpricedTurns)} used a model without a price: counted in TURNS and tokens, never as free.`,
    );
  return lines;
}

/**
 * `openclaw gateway usage-cost`: the usage ledger read straight from the session store (SQLite or
 * Redis), so the gateway need not run; with no store yet, an empty report. `--days N` covers the
 * last N UTC days, today among them; `--agent`/`--all-agents` choose whose turns; `--by` groups.
 */
export async function runUsageCost(io: CliIo, opts: UsageCostOptions): Promise<number> {
  const days = parseDays(opts.days);
  const by = parseGroup(opts.by);
  if (opts.agent !== undefined && opts.allAgents) badFlag("Use --agent or --all-agents, not both.");
  const app = cliAssembly(io);
  try {
    for (const w of app.context.loaded.warnings) io.err(`warning: ${w}`);
    const agentId = opts.allAgents ? undefined : selectAgent(app.context, opts.agent);
    const window = lastDays(days, io.clock());
    const filter: UsageFilter = { from: window.from, to: window.to, ...(agentId ? { agentId } : {}) };
    const ledger = (await app.existingSessions())?.ledger;
    const [totals, rows] = ledger
      ? await Promise.all([ledger.totals(filter), ledger.summarize(filter, by)])
      : [NO_USAGE, []];
    const report: UsageCostReport = {
      days,
      from: window.firstDay,
      to: window.lastDay,
      totals: totalsJson(totals),
      rows: rows.map(rowJson),
    };
    if (opts.json) io.out(toJson(report));
    else io.out(renderText(report, rows, by, agentId ? `agent ${agentId}` : "all agents").join("\n"));
    return EXIT.ok;
  } finally {
    await app.close();
  }
}
