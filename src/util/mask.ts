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
const SHAPE = String.raw`\bsk-[A-Za-z0-9_-]{20,}|\bsk-[A-Za-z0-9_-]{4,}(?=${SPLIT}[A-Za-z0-9_-]{12,})|\b\d{6,12}:[A-Za-z0-9_-]{30,}|\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}`;
const SECRET_SHAPES = new RegExp(`(?:${SHAPE})(?:${SPLIT}[A-Za-z0-9_-]{12,})*`, "g");

/** True when `text` contains something shaped like a credential. */
export function containsSecretShape(text: string): boolean {
  SECRET_SHAPES.lastIndex = 0;
  return SECRET_SHAPES.test(text);
}

/** Masks everything in `text` shaped like a credential (see {@link containsSecretShape}). */
export function redactSecretShapes(text: string): string {
  return text.replace(SECRET_SHAPES, (m) => maskSecret(m));
}
