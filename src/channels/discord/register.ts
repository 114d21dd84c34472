import {
  InteractionContextType,
  Routes,
  SlashCommandBuilder,
  type REST,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { CommandDefinition } from "../../gateway/types.js";
import type { Log } from "../../gateway/log.js";
import { clip } from "./messages.js";

// Discord's rule for chat-input command names (letters must also be lower-case).
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Option of `/model`: the text command's whole grammar in one string, with autocomplete. */
export const REF_OPTION = "ref";
/** Options of `/models`. */
export const PROVIDER_OPTION = "provider";
export const PAGE_OPTION = "page";
/** Option of every other command: the text after the command, as typed. */
export const ARGS_OPTION = "args";

/** A chat-input option as it arrives, flattened (we register no subcommands). */
export interface OptionValue {
  readonly name: string;
  readonly value: string | number | boolean;
}

/**
 * The slash command for one host command. `/model` takes one optional `ref` string (autocomplete)
 * holding the text grammar (`list`, `status`, `default`, `<ref>[@<profile>]`, flags); `/models`
 * takes an optional `provider` (autocomplete) and `page`; every other command (aliases such as
 * `/opus`) one optional free `args` string. Descriptions are clipped to Discord's 100 characters.
 */
export function slashCommand(def: CommandDefinition, global: boolean): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const b = new SlashCommandBuilder().setName(def.name).setDescription(clip(def.description.trim() || def.name, 100));
  if (global) b.setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);
  if (def.name === "model") {
    b.addStringOption((o) =>
      o.setName(REF_OPTION).setDescription("list, status, default, or a model/alias, optionally @profile").setAutocomplete(true),
    );
  } else if (def.name === "models") {
    b.addStringOption((o) => o.setName(PROVIDER_OPTION).setDescription("Provider whose models to list").setAutocomplete(true));
    b.addIntegerOption((o) => o.setName(PAGE_OPTION).setDescription("Page number").setMinValue(1));
  } else {
    const hint = def.argsHint ? clip(`Arguments: ${def.argsHint}`, 100) : "Arguments, as you would type them after the text command";
    b.addStringOption((o) => o.setName(ARGS_OPTION).setDescription(hint));
  }
  return b.toJSON();
}

/** The bulk-overwrite body for every host command Discord can take; others are logged and skipped. */
export function commandPayloads(defs: readonly CommandDefinition[], global: boolean, log?: Log): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  const out: RESTPostAPIChatInputApplicationCommandsJSONBody[] = [];
  for (const def of defs) {
    if (!COMMAND_NAME.test(def.name) || def.name !== def.name.toLowerCase()) {
      log?.("warn", `discord: /${def.name} is not a valid Discord command name; not registered`);
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

/** Turns received options back into the argument text the text command would have had. */
export function argsFromOptions(command: string, options: readonly OptionValue[]): string {
  const get = (name: string) => options.find((o) => o.name === name)?.value;
  if (command === "models") return [get(PROVIDER_OPTION), get(PAGE_OPTION)].filter((v) => v !== undefined && v !== "").join(" ");
  const v = get(command === "model" ? REF_OPTION : ARGS_OPTION);
  return v === undefined ? "" : String(v);
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
