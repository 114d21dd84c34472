import type { OpenClawConfig } from "../config/schema.js";
import type { Catalog } from "../models/catalog.js";
import { isCommandName } from "../gateway/command-text.js";
import { TELEGRAM_NAME_RULE, telegramMenuName } from "../channels/telegram/command-name.js";
import { DISCORD_NAME_RULE, isDiscordCommandName } from "../channels/discord/command-name.js";

/** A configured channel's own rule for the commands it lists. */
interface MenuRule {
  readonly channel: "telegram" | "discord";
  readonly label: string;
  readonly rule: string;
  readonly lists: (name: string) => boolean;
}

const RULES: readonly MenuRule[] = [
  {
    channel: "telegram",
    label: "Telegram's command menu",
    rule: TELEGRAM_NAME_RULE,
    lists: (name) => telegramMenuName(name) !== undefined,
  },
  { channel: "discord", label: "Discord's slash commands", rule: DISCORD_NAME_RULE, lists: isDiscordCommandName },
];

/**
 * Why a model alias that works as `/alias` on the console is not a menu or slash command on a
 * configured channel (`test.alias`: neither Telegram nor Discord allows a dot), one line per
 * alias, saying how to reach it there. Empty when every alias fits every configured channel.
 */
export function aliasMenuNotes(config: OpenClawConfig, catalog: Catalog): string[] {
  const rules = RULES.filter((r) => {
    const ch = config.channels?.[r.channel];
    return ch !== undefined && ch.enabled !== false;
  });
  const notes: string[] = [];
  for (const alias of catalog.aliases.keys()) {
    if (!isCommandName(alias)) continue;
    const missing = rules.filter((r) => !r.lists(alias));
    if (missing.length === 0) continue;
    const where = missing.map((r) => `${r.label} (names there: ${r.rule})`).join(" or ");
    notes.push(
      `alias ${alias}: /${alias} works on the console and at the start of a message, but is not in ${where}; there choose it with /model ${alias}`,
    );
  }
  return notes;
}
