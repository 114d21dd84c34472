// Telegram's rule for `setMyCommands` names.
const MENU_NAME = /^[a-z0-9_]{1,32}$/;

/** What Telegram's command names allow, for messages that say why a command is not in the menu. */
export const TELEGRAM_NAME_RULE = "1-32 of a-z, 0-9 and _";

/**
 * The name a host command is listed under in Telegram's menu: lower-cased, `-` written `_`
 * (`gpt-mini` → `gpt_mini`). Undefined when even that does not fit (`test.alias`): such a
 * command is left out of the menu and works typed.
 */
export function telegramMenuName(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (MENU_NAME.test(lower)) return lower;
  const underscored = lower.replaceAll("-", "_");
  return MENU_NAME.test(underscored) ? underscored : undefined;
}
