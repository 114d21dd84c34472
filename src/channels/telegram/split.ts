/** Telegram's limit for one message's text (UTF-16 code units, as JavaScript counts). */
export const TELEGRAM_MAX_TEXT = 4096;

/**
 * Splits text into chunks of at most `max` UTF-16 units for separate messages: at the last line
 * break that fits, else the last space, else a hard cut that never halves a surrogate pair. The
 * break itself is dropped; whitespace-only chunks (Telegram rejects empty text) are left out.
 */
export function splitText(text: string, max: number = TELEGRAM_MAX_TEXT): string[] {
  if (max < 2) throw new RangeError("splitText: max must be at least 2");
  const chunks: string[] = [];
  let rest = text;
  while (rest.length > max) {
    let cut = rest.lastIndexOf("\n", max);
    let skip = 1;
    if (cut <= 0) cut = rest.lastIndexOf(" ", max);
    if (cut <= 0) {
      cut = max;
      skip = 0;
      const code = rest.charCodeAt(cut - 1);
      if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
    }
    push(chunks, rest.slice(0, cut));
    rest = rest.slice(cut + skip);
  }
  push(chunks, rest);
  return chunks;
}

function push(chunks: string[], chunk: string): void {
  if (chunk.trim() !== "") chunks.push(chunk);
}
