import type { APIApplicationCommandOptionChoice } from "discord.js";
import type { PluginHost } from "../../gateway/host.js";
import type { CommandInvocation } from "../../gateway/types.js";
import { clip } from "./messages.js";
import { DISCORD_CAPABILITIES } from "./invocation.js";

/** The option being typed in, as Discord sends it with an autocomplete interaction. */
export interface FocusedOption {
  readonly name: string;
  readonly value: string;
}

type OptionChoice = APIApplicationCommandOptionChoice<string>;

/** Discord shows at most 25 suggestions, each name and value at most 100 characters. */
export const MAX_CHOICES = 25;
const MAX_VALUE = 100;

/**
 * Discord's autocomplete answer: the command's own suggestions (the host decides who may see
 * them), the first 25 whose value Discord can take, labels clipped to 100 characters.
 */
export function autocompleteChoices(host: PluginHost, inv: CommandInvocation, focused: FocusedOption): OptionChoice[] {
  const out: OptionChoice[] = [];
  for (const s of host.complete(inv, DISCORD_CAPABILITIES, focused.name, focused.value)) {
    if (s.value.length > MAX_VALUE) continue;
    out.push({ name: clip(s.label, 100), value: s.value });
    if (out.length === MAX_CHOICES) break;
  }
  return out;
}
