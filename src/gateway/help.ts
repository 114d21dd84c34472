import type { CommandDefinition } from "./types.js";

/** The name of the host's own command; a plugin that defines `help` itself wins. */
export const HELP_COMMAND = "help";

function inlineNote(c: CommandDefinition): string | undefined {
  if (c.inline === "shortcut") return "also inside a message";
  return c.inline ? "may lead a message" : undefined;
}

/**
 * `/help`: one line per command of every plugin (name, usage from its hint or declared options,
 * description, owner-only and inline use), built from the declarations the host already holds, so
 * adapters need no knowledge of any plugin. It also says
 * what happens to everything else, since an unknown `/word` is not an error.
 */
export function helpText(commands: readonly CommandDefinition[]): string {
  const lines = commands.map((c) => {
    const usage = c.argsHint ?? c.options?.map((o) => (o.required ? `<${o.name}>` : `[${o.name}]`)).join(" ");
    const notes = [c.ownerOnly ? "owners only" : undefined, inlineNote(c)].filter(Boolean);
    return `/${c.name}${usage ? ` ${usage}` : ""} — ${c.description}${notes.length ? ` (${notes.join("; ")})` : ""}`;
  });
  return [
    "Commands:",
    ...lines,
    `/${HELP_COMMAND} — this list (also inside a message)`,
    "Anything else, including a /word that is not listed here, goes to the model as a message.",
  ].join("\n");
}
