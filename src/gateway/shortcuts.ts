// A `/word` standing alone (after a space or the start, before a space or the end), with an optional
// Telegram `@bot` suffix or `:`; never part of a path (`/usr/status`) or of a longer word.
const SHORTCUT_WORD = /(?<!\S)\/([A-Za-z0-9_-]+)(@[A-Za-z0-9_]{1,64})?:?(?=\s|$)/g;
const BLANK_BEFORE = /^[ \t]*$/;
const LINE_END_AFTER = /^[ \t]*(?:\r?\n|$)/;
const SPACE_OR_TAB = /[ \t]/;
const LINE_BREAK = /[\r\n]/;
const NOT_SPACE = /\S/;

/** The inline shortcuts of a message, and the message without them. */
export interface TakenShortcuts {
  /** Lower-cased command names, each once, in the order they first appear. */
  readonly names: readonly string[];
  /** The message with every shortcut removed; empty when nothing else was in it. */
  readonly rest: string;
}

/**
 * Removes `text[start, end)` with one separator, as OpenClaw strips an inline shortcut: its whole
 * line when it stands alone on it, else the space after it, else (at a line's end) the space before
 * it. The rest keeps its spacing and line breaks.
 */
function removeSpan(text: string, start: number, end: number): string {
  let from = start;
  let to = end;
  const lineStart = text.lastIndexOf("\n", start - 1) + 1;
  const before = text.slice(lineStart, start);
  const lineEnd = LINE_END_AFTER.exec(text.slice(end));
  if (BLANK_BEFORE.test(before) && lineEnd) {
    from = lineStart;
    to += lineEnd[0].length;
  } else if (SPACE_OR_TAB.test(text.charAt(end))) to += 1;
  else if (
    (end === text.length || LINE_BREAK.test(text.charAt(end))) &&
    NOT_SPACE.test(before) &&
    SPACE_OR_TAB.test(text.charAt(start - 1))
  )
    from -= 1;
  return text.slice(0, from) + text.slice(to);
}

/**
 * Finds the inline shortcuts in a message (`thanks /status`, `/whoami`, any case, each a word of
 * its own) for which `isShortcut` holds, and strips them before the rest goes to the model. Other
 * `/words` stay as typed.
 */
export function takeShortcuts(text: string, isShortcut: (name: string) => boolean): TakenShortcuts {
  const found: { name: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(SHORTCUT_WORD)) {
    const name = (m[1] ?? "").toLowerCase();
    // `/status@SomeBot` inside a message may be addressed to another bot in the group, and the host
    // does not know this bot's name: such a word stays in the message, as typed.
    if (m[2] !== undefined) continue;
    if (isShortcut(name)) found.push({ name, start: m.index, end: m.index + m[0].length });
  }
  if (found.length === 0) return { names: [], rest: text };
  let rest = text;
  // From the last to the first, so earlier positions still hold.
  for (const f of [...found].reverse()) rest = removeSpan(rest, f.start, f.end);
  return { names: [...new Set(found.map((f) => f.name))], rest: rest.trim() === "" ? "" : rest };
}
