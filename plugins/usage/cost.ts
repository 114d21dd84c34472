import type { CommandContext, Reply } from "../../src/gateway/types.js";
import type { UsageFilter, UsageGroup, UsageRow, UsageTotals } from "../../src/sessions/ledger.js";
import { lastDays } from "../../src/sessions/usage-window.js";
import { costText, tokenCount, turnCount } from "../../src/sessions/usage-text.js";
import { maySeeCredentials } from "../../src/gateway/access.js";
import { fitSections, type Section } from "./sections.js";

/** The longer span `/usage cost` shows beside today, in UTC days (OpenClaw's "Last 30d"). */
const SPAN_DAYS = 30;

/** What a chat's or the gateway's spend is asked for: one scope, today and the span. */
interface Spend {
  readonly ctx: CommandContext;
  /** Narrows every query (`{ sessionKey }` for this chat, nothing for every chat). */
  readonly scope: Omit<UsageFilter, "from" | "to">;
  readonly today: UsageFilter;
  readonly span: UsageFilter;
}

function spendOf(ctx: CommandContext, scope: Spend["scope"]): Spend {
  const now = ctx.services.clock();
  const today = lastDays(1, now);
  const span = lastDays(SPAN_DAYS, now);
  return {
    ctx,
    scope,
    today: { ...scope, from: today.from, to: today.to },
    span: { ...scope, from: span.from, to: span.to },
  };
}

/** `$0.11 + 1 unpriced · 14 turns · 9.8k in / 2.1k out`, with cache tokens when there were any. */
function figures(t: UsageTotals): string {
  const parts = [
    costText(t),
    turnCount(t.turns),
    `${tokenCount(t.inputTokens)} in / ${tokenCount(t.outputTokens)} out`,
  ];
  if (t.cacheReadTokens > 0 || t.cacheWriteTokens > 0)
    parts.push(`cache ${tokenCount(t.cacheReadTokens)} read / ${tokenCount(t.cacheWriteTokens)} write`);
  return parts.join(" · ");
}

/** One group's lines: each key of the span, largest cost first, with its today beside it. */
async function groupSection(s: Spend, by: UsageGroup, heading: string): Promise<Section> {
  const ledger = s.ctx.services.sessions.ledger;
  const [today, span] = await Promise.all([ledger.summarize(s.today, by), ledger.summarize(s.span, by)]);
  const todayByKey = new Map(today.map((r) => [r.key, r]));
  const line = (r: UsageRow) => {
    const t = todayByKey.get(r.key);
    const todayText = t ? `${costText(t)}, ${turnCount(t.turns)}` : "none";
    return `${r.key}: today ${todayText} · ${SPAN_DAYS}d ${costText(r)}, ${turnCount(r.turns)}`;
  };
  return { heading, rows: span.map(line), more: (n) => `… ${n} more (openclaw gateway usage-cost --by ${by})` };
}

/** The totals at the top, and the word on unpriced turns when there were any. */
async function headLines(s: Spend, title: string): Promise<{ lines: string[]; any: boolean }> {
  const ledger = s.ctx.services.sessions.ledger;
  const [today, span] = await Promise.all([ledger.totals(s.today), ledger.totals(s.span)]);
  const lines = [title, `Today: ${figures(today)}`, `Last ${SPAN_DAYS} days: ${figures(span)}`];
  if (span.unpricedTurns > 0)
    lines.push(
      `${turnCount(span.unpricedTurns)} used a model without a price (cost in the catalog or models.providers): counted, never as free.`,
    );
  return { lines, any: span.turns > 0 };
}

const PROFILES_HIDDEN: Section = {
  heading: "By profile: only owners see which profiles paid in a group; ask me in a direct message.",
  rows: [],
  more: () => "",
};

/**
 * `/usage cost`: this chat's spend today and in the last 30 UTC days, by model and by credential
 * profile. In a group only owners see the profile ids, as in `/model status`. Private where the
 * channel can.
 */
export async function chatCost(ctx: CommandContext): Promise<Reply> {
  const s = spendOf(ctx, { sessionKey: ctx.sessionKey });
  const head = await headLines(s, "Usage cost for this chat (UTC days)");
  if (!head.any) return { text: `${head.lines[0]}\nNo model turns in the last ${SPAN_DAYS} days.`, private: true };
  const sections = [
    await groupSection(s, "model", "By model"),
    maySeeCredentials(ctx) ? await groupSection(s, "profile", "By profile") : PROFILES_HIDDEN,
  ];
  return { text: fitSections(head.lines, sections, ctx.capabilities.maxLength), private: true };
}

/** `/usage cost all`: every chat, agent and profile; owners only (it names every chat and credential). */
export async function allCost(ctx: CommandContext): Promise<Reply> {
  const s = spendOf(ctx, {});
  const head = await headLines(s, "Usage cost, every chat (UTC days)");
  if (!head.any) return { text: `${head.lines[0]}\nNo model turns in the last ${SPAN_DAYS} days.`, private: true };
  const sections = await Promise.all([
    groupSection(s, "agent", "By agent"),
    groupSection(s, "profile", "By profile"),
    groupSection(s, "chat", "By chat"),
  ]);
  return { text: fitSections(head.lines, sections, ctx.capabilities.maxLength), private: true };
}
