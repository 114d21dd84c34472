import type { CommandDefinition, CommandOption } from "./types.js";
import { isCommandName } from "./command-text.js";

/** Discord's rule for option names, the strictest of our channels. */
const NAME = /^[a-z0-9_-]{1,32}$/;
const MAX_DESCRIPTION = 100;
const MAX_OPTIONS = 25;
const OPTION_TYPES: ReadonlySet<CommandOption["type"]> = new Set(["string", "integer", "boolean", "choice"]);

/** A command declaration that breaks the contract; `path` says where (`/auth.options[0].name`). */
export class CommandSpecError extends Error {
  constructor(
    readonly path: string,
    why: string,
  ) {
    super(`${path}: ${why}`);
    this.name = "CommandSpecError";
  }
}

function checkDescription(path: string, text: string): void {
  if (text.trim() === "") throw new CommandSpecError(`${path}.description`, "must not be empty");
  if (text.length > MAX_DESCRIPTION)
    throw new CommandSpecError(
      `${path}.description`,
      `must be at most ${MAX_DESCRIPTION} characters (has ${text.length})`,
    );
}

function checkOption(path: string, o: CommandOption, def: CommandDefinition): void {
  if (!NAME.test(o.name)) throw new CommandSpecError(`${path}.name`, `"${o.name}" must be 1-32 of a-z, 0-9, - and _`);
  if (!OPTION_TYPES.has(o.type))
    throw new CommandSpecError(`${path}.type`, `"${String(o.type)}" is not one of string, integer, boolean, choice`);
  checkDescription(path, o.description);
  if (o.type === "choice" && (o.choices === undefined || o.choices.length === 0 || o.choices.length > MAX_OPTIONS)) {
    throw new CommandSpecError(`${path}.choices`, `a choice option needs 1-${MAX_OPTIONS} choices`);
  }
  if (o.type !== "choice" && o.choices !== undefined)
    throw new CommandSpecError(`${path}.choices`, `only a choice option has choices`);
  if (o.min !== undefined && o.type !== "integer")
    throw new CommandSpecError(`${path}.min`, "only an integer option has a minimum");
  if (o.completes && o.type !== "string")
    throw new CommandSpecError(`${path}.completes`, "only a string option completes");
  if (o.completes && def.complete === undefined)
    throw new CommandSpecError(`${path}.completes`, `/${def.name} declares no complete function`);
}

/**
 * Checks one declaration the way discord.js builders check theirs, but for every channel at once:
 * names, descriptions, option types and order. Throws a {@link CommandSpecError} that names the
 * field, so a plugin author sees the mistake at start-up rather than as a channel's API error.
 */
export function validateCommand(def: CommandDefinition): void {
  const path = `/${def.name}`;
  if (!isCommandName(def.name) || def.name !== def.name.toLowerCase()) {
    throw new CommandSpecError(
      `${path}.name`,
      "must be 1-32 lower-case letters, digits, - or _, and dots between them",
    );
  }
  checkDescription(path, def.description);
  const options = def.options ?? [];
  if (options.length > MAX_OPTIONS) throw new CommandSpecError(`${path}.options`, `at most ${MAX_OPTIONS} options`);
  const names = new Set<string>();
  let optionalSeen = false;
  options.forEach((o, i) => {
    const at = `${path}.options[${i}]`;
    checkOption(at, o, def);
    if (names.has(o.name)) throw new CommandSpecError(`${at}.name`, `"${o.name}" is declared twice`);
    names.add(o.name);
    if (o.required && optionalSeen)
      throw new CommandSpecError(`${at}.required`, "required options come before optional ones");
    if (!o.required) optionalSeen = true;
  });
  for (const a of def.aliases ?? []) {
    if (!isCommandName(a) || a !== a.toLowerCase())
      throw new CommandSpecError(
        `${path}.aliases`,
        `"${a}" must be 1-32 lower-case letters, digits, - or _, and dots between them`,
      );
  }
}
