import {
  type ApplicationCommandOptionBase,
  InteractionContextType,
  Routes,
  SlashCommandBuilder,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { CommandDefinition, CommandOption } from "../../gateway/types.js";
import type { Log } from "../../gateway/log.js";
import { clip } from "./messages.js";
import { DISCORD_NAME_RULE, isDiscordCommandName } from "./command-name.js";

/** Option of every command that declares none: the text after the command, as typed. */
export const ARGS_OPTION = "args";

/** A chat-input option as it arrives, flattened (we register no subcommands). */
export interface OptionValue {
  readonly name: string;
  readonly value: string | number | boolean;
}

function addOption(b: SlashCommandBuilder, o: CommandOption): void {
  const base = <T extends ApplicationCommandOptionBase>(x: T): T => {
    x.setName(o.name).setDescription(clip(o.description, 100));
    if (o.required) x.setRequired(true);
    return x;
  };
  switch (o.type) {
    case "string":
      b.addStringOption((x) => (o.completes ? base(x).setAutocomplete(true) : base(x)));
      return;
    case "choice":
      b.addStringOption((x) =>
        base(x).addChoices(...(o.choices ?? []).map((c) => ({ name: clip(c.label, 100), value: c.value }))),
      );
      return;
    case "integer":
      b.addIntegerOption((x) => (o.min !== undefined ? base(x).setMinValue(o.min) : base(x)));
      return;
    case "boolean":
      b.addBooleanOption((x) => base(x));
  }
}

/**
 * The slash command for one host command, from its declared options (autocomplete where an
 * option completes); a command that declares none gets one optional free `args` string.
 * Descriptions are clipped to Discord's 100 characters.
 */
export function slashCommand(def: CommandDefinition, global: boolean): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const b = new SlashCommandBuilder().setName(def.name).setDescription(clip(def.description.trim() || def.name, 100));
  if (global) b.setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);
  if (def.options) {
    for (const o of def.options) addOption(b, o);
  } else {
    const hint = def.argsHint
      ? clip(`Arguments: ${def.argsHint}`, 100)
      : "Arguments, as you would type them after the text command";
    b.addStringOption((o) => o.setName(ARGS_OPTION).setDescription(hint));
  }
  return b.toJSON();
}

/** The bulk-overwrite body for every host command Discord can take; others are logged and skipped. */
export function commandPayloads(
  defs: readonly CommandDefinition[],
  global: boolean,
  log?: Log,
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const out: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [];
  for (const def of defs) {
    if (!isDiscordCommandName(def.name)) {
      log?.(
        "warn",
        `discord: /${def.name} is not a Discord command name (${DISCORD_NAME_RULE}); not registered, works typed`,
      );
      continue;
    }
    try {
      out.push(slashCommand(def, global));
    } catch (err) {
      log?.("warn", `discord: /${def.name} not registered: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out.slice(0, 100);
}

/**
 * Turns received options back into the argument text the text command would have had: the
 * declared options' values in declared order (a true boolean as `--<name>`), or the free `args`.
 */
export function argsFromOptions(def: CommandDefinition | undefined, options: readonly OptionValue[]): string {
  const get = (name: string) => options.find((o) => o.name === name)?.value;
  if (!def?.options) {
    const v = get(ARGS_OPTION);
    return v === undefined ? "" : String(v);
  }
  const words: string[] = [];
  for (const o of def.options) {
    const v = get(o.name);
    if (v === undefined || v === "" || v === false) continue;
    words.push(v === true ? `--${o.name}` : String(v));
  }
  return words.join(" ");
}

/**
 * Registers the commands with bulk overwrites (`PUT`), so running it again with the same commands
 * changes nothing: per guild when `guildIds` are given (visible at once), else globally.
 */
export async function registerCommands(
  rest: REST,
  applicationId: string,
  guildIds: readonly string[],
  defs: readonly CommandDefinition[],
  log?: Log,
): Promise<void> {
  if (guildIds.length === 0) {
    await rest.put(Routes.applicationCommands(applicationId), { body: commandPayloads(defs, true, log) });
    return;
  }
  const body = commandPayloads(defs, false, log);
  for (const guildId of guildIds) await rest.put(Routes.applicationGuildCommands(applicationId, guildId), { body });
}
