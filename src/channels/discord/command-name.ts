// Discord's rule for chat-input command names (letters must also be lower-case).
const SLASH_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** What Discord's slash command names allow, for messages that say why a command is not registered. */
export const DISCORD_NAME_RULE = "1-32 lower-case letters, digits, - and _";

/** Whether Discord takes `name` as a slash command; one that it does not is left unregistered and works typed. */
export function isDiscordCommandName(name: string): boolean {
  return SLASH_NAME.test(name) && name === name.toLowerCase();
}
