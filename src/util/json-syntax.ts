import { json5 } from "./json5.js";

/** 1-based line and column of a 0-based character offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  return { line, column: offset - before.lastIndexOf("\n") };
}

/**
 * Where and why `JSON.parse(text)` failed, as `line 3, column 7: Unexpected number`, for error
 * messages about files that may hold secrets: the reason keeps the parser's words but never the
 * excerpt of the text that newer Node versions quote, so no part of a key reaches the message.
 */
export function describeJsonSyntaxError(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : "";
  const reason = message
    .replace(/, ".*" is not valid JSON$/s, "")
    .replace(/ in JSON at position \d+.*$/s, "")
    .replace(/^Unexpected token '?(.)'?.*$/s, "Unexpected character")
    .trim();
  const position = /at position (\d+)/.exec(message)?.[1];
  let where: { line: number; column: number } | undefined;
  if (position !== undefined) where = lineColumn(text, Number(position));
  else {
    // Node versions that omit the offset: JSON5 reads every JSON text and reports line and column.
    try {
      json5().parse(text);
    } catch (e) {
      const j = e as { lineNumber?: number; columnNumber?: number };
      if (j.lineNumber !== undefined) where = { line: j.lineNumber, column: j.columnNumber ?? 0 };
    }
  }
  const why = reason === "" ? "not valid JSON" : `not valid JSON (${reason})`;
  return where ? `line ${where.line}, column ${where.column}: ${why}` : why;
}
