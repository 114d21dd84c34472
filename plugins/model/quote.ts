import { userError, type Result } from "../../src/util/user-error.js";

/** A run of characters inside one argument, and whether it was written inside quotes. */
export interface Segment {
  readonly text: string;
  readonly quoted: boolean;
}

/**
 * One whitespace-separated argument as typed. `"openai/gpt-5"@"me+work@example.com"` is one token
 * of three segments: quoted, a bare `@`, quoted. Offsets index the source string.
 */
export interface Token {
  readonly segments: readonly Segment[];
  /** The text with quotes removed and escapes applied. */
  readonly value: string;
  /** True when any part of the token was quoted. */
  readonly quoted: boolean;
  readonly start: number;
  readonly end: number;
}

// Straight quotes, and the curly pair phone keyboards substitute for them ("smart punctuation").
const CLOSER: ReadonlyMap<string, string> = new Map([
  ['"', '"'],
  ["\u201c", "\u201d"],
]);
const ESCAPABLE = new Set(['"', "\\", "\u201c", "\u201d"]);
const SPACE = /\s/;

/**
 * Reads the token starting at or after `pos`. Undefined at the end of input. Inside quotes any
 * character is literal except the closing quote and a backslash before a quote or a backslash;
 * outside quotes a backslash is an ordinary character. An unclosed quote is an error naming where
 * it opened.
 */
export function readToken(input: string, pos: number): Result<Token> | undefined {
  let i = pos;
  while (i < input.length && SPACE.test(input.charAt(i))) i++;
  if (i >= input.length) return undefined;
  const start = i;
  const segments: Segment[] = [];
  let bare = "";
  while (i < input.length) {
    const ch = input.charAt(i);
    if (SPACE.test(ch)) break;
    const closer = CLOSER.get(ch);
    if (closer === undefined) {
      bare += ch;
      i++;
      continue;
    }
    if (bare !== "") segments.push({ text: bare, quoted: false });
    bare = "";
    const opened = i;
    let text = "";
    i++;
    for (;;) {
      if (i >= input.length) {
        return {
          ok: false,
          error: userError(
            "unbalanced_quote",
            `The quote opened at character ${opened + 1} is never closed.`,
            `Close it with ${closer}; inside quotes write \\" for a quote and \\\\ for a backslash.`,
          ),
        };
      }
      const c = input.charAt(i);
      if (c === closer) break;
      const next = input.charAt(i + 1);
      if (c === "\\" && ESCAPABLE.has(next)) {
        text += next;
        i += 2;
      } else {
        text += c;
        i++;
      }
    }
    i++; // the closing quote
    segments.push({ text, quoted: true });
  }
  if (bare !== "") segments.push({ text: bare, quoted: false });
  return {
    ok: true,
    value: {
      segments,
      value: segments.map((s) => s.text).join(""),
      quoted: segments.some((s) => s.quoted),
      start,
      end: i,
    },
  };
}

/** Splits all of `input` into tokens, or the first quoting error. */
export function tokenize(input: string): Result<Token[]> {
  const out: Token[] = [];
  let pos = 0;
  for (;;) {
    const t = readToken(input, pos);
    if (t === undefined) return { ok: true, value: out };
    if (!t.ok) return t;
    out.push(t.value);
    pos = t.value.end;
  }
}

/** Quotes a value so {@link readToken} gives it back exactly: `"a \"b\" c"`. */
export function quote(value: string): string {
  let out = '"';
  for (const ch of value) out += ch === '"' || ch === "\\" ? `\\${ch}` : ch;
  return `${out}"`;
}

// What may stay unquoted when a command is shown back to people: no spaces, quotes, `@` or backslash.
const PLAIN = /^[^\s"\\@\u201c\u201d]+$/;

/** Shows a ref or profile as typed: bare when that parses back the same, quoted otherwise. */
export function quoteIfNeeded(value: string): string {
  return PLAIN.test(value) ? value : quote(value);
}
