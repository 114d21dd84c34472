import { formatDuration, type Health } from "../auth/health.js";

/** `exp 5h`, `expired 2d ago`, or `no expiry` for keys that do not age. */
export function expiryText(expires: number | undefined, now: number): string {
  if (expires === undefined) return "no expiry";
  if (expires <= now) return `expired ${formatDuration(now - expires)} ago`;
  return `exp ${formatDuration(expires - now)}`;
}

/** An ISO timestamp, or null, for JSON output. */
export function isoOrNull(ms: number | undefined): string | null {
  return ms === undefined ? null : new Date(ms).toISOString();
}

/** A short health word for text output: `ok`, `expiring`, `EXPIRED`, `static`. */
export function healthWord(health: Health): string {
  return health === "expired" ? "EXPIRED" : health;
}

/**
 * Lays rows out in columns separated by two spaces; the last column is never padded. Used for every
 * table the CLI prints so they line up the same way.
 */
export function columns(rows: readonly (readonly string[])[], indent = ""): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i < row.length - 1) widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows.map(
    (row) =>
      indent +
      row
        .map((cell, i) => (i < row.length - 1 ? cell.padEnd(widths[i] ?? 0) : cell))
        .join("  ")
        .trimEnd(),
  );
}

/** Prints a value as stable, two-space indented JSON. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Joins items with `, ` into lines of at most `width` characters (an item longer than that gets a line of its own). */
export function wrapList(items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let cur = "";
  for (const item of items) {
    const next = cur === "" ? item : `${cur}, ${item}`;
    if (cur !== "" && next.length > width) {
      lines.push(`${cur},`);
      cur = item;
    } else cur = next;
  }
  if (cur !== "") lines.push(cur);
  return lines;
}
