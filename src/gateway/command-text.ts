/** A command found at the start of a message. */
export interface ParsedCommandText {
  /** Lower-cased command name: `/MODEL` and `/model:` both give `model`. */
  readonly command: string;
  /** Everything after the command word (and its `@bot` suffix or `:`), untrimmed. */
  readonly args: string;
  /** The bot named in `/cmd@BotName`, when present. */
  readonly addressedTo?: string;
}

// Letters of any script, digits, `_` and `-`, and dots between them (`/test.alias`): a dot at the
// end is punctuation (`try /opus.`), not part of the name.
const NAME = "[\\p{L}\\p{N}_-]+(?:\\.[\\p{L}\\p{N}_-]+)*";
const HEAD = new RegExp(`^/(${NAME})`, "u");
const WHOLE_NAME = new RegExp(`^${NAME}$`, "u");
const MAX_TYPED = 64;

/** The longest name a command may be declared with: Telegram's and Discord's limit. */
export const MAX_COMMAND_NAME = 32;

/**
 * Whether `/name` can be typed as a command here: 1-32 letters, digits, `_`, `-` and dots between
 * them. Each channel has its own, often stricter, rule for its menu or slash commands; a name that
 * fails it is left out there and still works typed.
 */
export function isCommandName(name: string): boolean {
  return name.length <= MAX_COMMAND_NAME && WHOLE_NAME.test(name);
}

/** The command name a message starts with (`/Opus.Fast hi` → `Opus.Fast`), as typed; undefined when it starts with none. */
export function commandHead(text: string): string | undefined {
  const name = HEAD.exec(text)?.[1];
  return name !== undefined && name.length <= MAX_TYPED ? name : undefined;
}
// Telegram requires bot usernames to end in "bot", which is what tells `/model@OurBot` (an
// address) from `/opus@work` (an alias with a profile, DESIGN section 4 and issue 10).
const BOT_SUFFIX = /^@([A-Za-z0-9_]{0,60}bot)(?=[\s:]|$)/i;

/**
 * Parses a leading slash command out of message text: `/model`, `/MODEL`, `/model:` (OpenClaw's
 * colon form), `/model@OurBot`, `/opus@work` (args `@work`) and `/test.alias`. Returns undefined for plain text
 * and for a command addressed to another bot when `botUsername` is known.
 */
export function parseCommandText(text: string, botUsername?: string): ParsedCommandText | undefined {
  const name = commandHead(text);
  if (name === undefined) return undefined;
  let rest = text.slice(name.length + 1);
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
  const parsed = { command: name.toLowerCase(), args: rest };
  return addressedTo === undefined ? parsed : { ...parsed, addressedTo };
}
