import type { UsageTotals } from "./ledger.js";

/** `$0.42`; below a cent four places (`$0.0042`), as OpenClaw writes costs. */
export function usd(value: number): string {
  return value >= 0.01 || value === 0 ? `$${value.toFixed(2)}` : `$${value.toFixed(4)}`;
}

/** `980`, `1.2k`, `34k`, `1.5M`: a token count short enough for a chat line. */
export function tokenCount(n: number): string {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0).replace(/\.0$/, "")}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, "")}M`;
}

/** `1 turn`, `14 turns`. */
export function turnCount(n: number): string {
  return `${n} turn${n === 1 ? "" : "s"}`;
}

/**
 * The estimated cost of some turns, never a priced zero for turns without a price: `$0.42`,
 * `$0.42 + 2 unpriced`, or `unpriced` when none had one.
 */
export function costText(t: Pick<UsageTotals, "turns" | "costUsd" | "unpricedTurns">): string {
  if (t.unpricedTurns === 0) return usd(t.costUsd);
  if (t.unpricedTurns === t.turns) return "unpriced";
  return `${usd(t.costUsd)} + ${t.unpricedTurns} unpriced`;
}

/** A cost rounded to micro-dollars, as JSON prints it: a sum of float costs reads 0.30000000000000004 otherwise. */
export function microUsd(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
