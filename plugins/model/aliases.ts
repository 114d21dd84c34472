import type { Catalog } from "../../src/models/catalog.js";
import { isCommandName } from "../../src/gateway/command-text.js";

/** Command names the plugin owns; an alias spelled like one gets no command of its own. */
export const RESERVED_COMMANDS: ReadonlySet<string> = new Set(["model", "models", "new", "reset"]);

const cache = new WeakMap<Catalog, ReadonlyMap<string, string>>();

/**
 * Aliases that work as commands (`/opus`), alias → ref: built-in and user aliases (user wins, as
 * the catalog merges them), minus those that collide with the plugin's commands or cannot be typed
 * as a command name. Computed once per catalog.
 */
export function aliasNames(catalog: Catalog): ReadonlyMap<string, string> {
  let names = cache.get(catalog);
  if (!names) {
    names = new Map([...catalog.aliases].filter(([alias]) => !RESERVED_COMMANDS.has(alias) && isCommandName(alias)));
    cache.set(catalog, names);
  }
  return names;
}
