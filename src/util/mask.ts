/**
 * The one way a secret is shown: `sk-ant-o…Fq1x` (first 8 and last 4 characters) for secrets of
 * 24 characters or more, and nothing but `****` for shorter ones, so a short key never prints whole
 * or mostly whole. Empty or missing secrets show as `(empty)`.
 */
export function maskSecret(secret: string | undefined): string {
  if (!secret) return "(empty)";
  if (secret.length < 24) return "****";
  return `${secret.slice(0, 8)}…${secret.slice(-4)}`;
}

// Values shaped like provider keys (`sk-…`), Telegram bot tokens (`<id>:<35 chars>`) and Discord
// bot tokens (three dot-separated base64url parts), recognised even when this process never
// learnt them: a key pasted where a model or profile name belongs must not be echoed or stored.
// A shape may go on past a line break, spaces, quotes or JSON escapes (`\n`, `\"`) when a run of
// at least 12 key characters follows: a key wrapped by a terminal or an editor is still one key.
// A provider key split early (`sk-ant-api03-Fdkz` + line break + the rest) is one too.
const SPLIT = String.raw`(?:\s|["'\x60]|\\[nrt"'\\]){1,6}`;
const TAIL = `(?:${SPLIT}[A-Za-z0-9_-]{12,})*`;

/**
 * Each shape with a cheap test that text without it cannot hold the shape. Trying every shape at
 * every word was most of the cost of redacting a reply (9 µs of a 1.5 kB `/model status`, 8 of them
 * the Discord shape); a reply is now searched only for the shapes it may hold, in the same order.
 */
const SHAPES: ReadonlyArray<{ readonly source: string; readonly mayBeIn: (text: string) => boolean }> = [
  {
    source: String.raw`\bsk-[A-Za-z0-9_-]{20,}|\bsk-[A-Za-z0-9_-]{4,}(?=${SPLIT}[A-Za-z0-9_-]{12,})`,
    mayBeIn: (text) => text.includes("sk-"),
  },
  { source: String.raw`\b\d{6,12}:[A-Za-z0-9_-]{30,}`, mayBeIn: (text) => /\d:/.test(text) },
  {
    source: String.raw`\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}`,
    mayBeIn: (text) => mayHoldDiscordToken(text),
  },
];

/** The middle part of a Discord token, between its two dots. */
const DISCORD_MIDDLE = /\.[A-Za-z0-9_-]{6,7}\./g;

function isKeyCharacter(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 45 ||
    code === 95
  );
}

/** Whether `text` has a Discord token's middle part after at least 23 key characters. */
function mayHoldDiscordToken(text: string): boolean {
  DISCORD_MIDDLE.lastIndex = 0;
  for (let m = DISCORD_MIDDLE.exec(text); m; m = DISCORD_MIDDLE.exec(text)) {
    let run = 0;
    while (run < 23 && m.index - run > 0 && isKeyCharacter(text.charCodeAt(m.index - run - 1))) run++;
    if (run === 23) return true;
    DISCORD_MIDDLE.lastIndex = m.index + 1;
  }
  return false;
}
/** The search for each combination of shapes met so far, by a bit per shape. */
const searches = new Map<number, RegExp>();

/** A global search for the shapes `text` may hold, or undefined when it can hold none. */
function searchFor(text: string): RegExp | undefined {
  let which = 0;
  SHAPES.forEach((shape, i) => {
    if (shape.mayBeIn(text)) which |= 1 << i;
  });
  if (which === 0) return undefined;
  let search = searches.get(which);
  if (!search) {
    const sources = SHAPES.filter((_, i) => which & (1 << i)).map((shape) => shape.source);
    search = new RegExp(`(?:${sources.join("|")})${TAIL}`, "g");
    searches.set(which, search);
  }
  return search;
}

/** True when `text` contains something shaped like a credential. */
export function containsSecretShape(text: string): boolean {
  const search = searchFor(text);
  if (!search) return false;
  search.lastIndex = 0;
  return search.test(text);
}

/** Masks everything in `text` shaped like a credential (see {@link containsSecretShape}). */
export function redactSecretShapes(text: string): string {
  const search = searchFor(text);
  return search ? text.replace(search, (m) => maskSecret(m)) : text;
}
