/** A command found at the start of a message. */
export interface ParsedCommandText {
  /** Lower-cased command name: `/MODEL` and `/model:` both give `model`. */
  readonly command: string;
  /** Everything after the command word (and its `@bot` suffix or `:`), untrimmed. */
  readonly args: string;
  /** The bot named in `/cmd@BotName`, when present. */
  readonly addressedTo?: string;
}

// `/name`, optional `@BotName`, optional `:` (OpenClaw's `/model: opus` form), then a space or end.
const COMMAND = /^\/([\p{L}\p{N}_-]{1,64})(?:@([A-Za-z0-9_]{1,64}))?:?(?=\s|$)/u;

/**
 * Parses a leading slash command out of message text. Returns undefined for plain text and for a
 * command addressed to another bot (`/model@OtherBot`) when `botUsername` is known.
 */
export function parseCommandText(text: string, botUsername?: string): ParsedCommandText | undefined {
  const m = COMMAND.exec(text);
  if (!m || m[1] === undefined) return undefined;
  const addressedTo = m[2];
  if (addressedTo !== undefined && botUsername !== undefined && addressedTo.toLowerCase() !== botUsername.toLowerCase()) {
    return undefined;
  }
  const parsed = { command: m[1].toLowerCase(), args: text.slice(m[0].length) };
  return addressedTo === undefined ? parsed : { ...parsed, addressedTo };
}
