import type { CommandDefinition } from "./types.js";

/** The name of the host's own command; a plugin that defines `help` itself wins. */
export const HELP_COMMAND = "help";

/**
 * `/help`: one line per command of every plugin (name, argument hint, description), built from the
 * definitions the host already holds, so adapters need no knowledge of any plugin. It also says
 * what happens to everything else, since an unknown `/word` is not an error.
 */
export function helpText(commands: readonly CommandDefinition[]): string {
  const lines = commands.map((c) => `/${c.name}${c.argsHint ? ` ${c.argsHint}` : ""} — ${c.description}`);
  return [
    "Commands:",
    ...lines,
    `/${HELP_COMMAND} — this list`,
    "Anything else, including a /word that is not listed here, goes to the model as a message.",
  ].join("\n");
}
