/** A command found at the start of a message. */
export interface ParsedCommandText {
  /** Lower-cased command name: `/MODEL` and `/model:` both give `model`. */
  readonly command: string;
  /** Everything after the command word (and its `@bot` suffix or `:`), untrimmed. */
  readonly args: string;
  /** The bot named in `/cmd@BotName`, when present. */
  readonly addressedTo?: string;
}

const COMMAND = /^\/([\p{L}\p{N}_-]{1,64})/u;
// Telegram requires bot usernames to end in "bot", which is what tells `/model@OurBot` (an
// address) from `/opus@work` (an alias with a profile, DESIGN section 4 and issue 10).
const BOT_SUFFIX = /^@([A-Za-z0-9_]{0,60}bot)(?=[\s:]|$)/i;

/**
 * Parses a leading slash command out of message text: `/model`, `/MODEL`, `/model:` (OpenClaw's
 * colon form), `/model@OurBot`, and `/opus@work` (args `@work`). Returns undefined for plain text
 * and for a command addressed to another bot when `botUsername` is known.
 */
export function parseCommandText(text: string, botUsername?: string): ParsedCommandText | undefined {
  const m = COMMAND.exec(text);
  if (!m || m[1] === undefined) return undefined;
  let rest = text.slice(m[0].length);
  const bot = BOT_SUFFIX.exec(rest);
  const addressedTo = bot?.[1];
  if (bot) rest = rest.slice(bot[0].length);
  if (rest.startsWith(":")) rest = rest.slice(1);
  else if (rest !== "" && !/^[\s@]/.test(rest)) return undefined;
  if (
    addressedTo !== undefined &&
    botUsername !== undefined &&
    addressedTo.toLowerCase() !== botUsername.toLowerCase()
  ) {
    return undefined;
  }
  const parsed = { command: m[1].toLowerCase(), args: rest };
  return addressedTo === undefined ? parsed : { ...parsed, addressedTo };
}
