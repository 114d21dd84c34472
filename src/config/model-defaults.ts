import { isRawObject, objectAt, type RawObject } from "./raw-object.js";
import { existingObjectAt } from "./write.js";

/**
 * Edits of the model defaults every agent shares, in a raw `openclaw.json` (see `updateConfigFile`),
 * written in the shapes OpenClaw's own `models set|aliases|fallbacks` write, so a file changed by
 * either program is the same file: `agents.defaults.model` becomes `{ primary, fallbacks }` (a
 * string primary is kept as `primary`), and every model a command names gets its
 * `agents.defaults.models["<ref>"]` entry (`{}` when it has no settings yet).
 */

/** An alias OpenClaw accepts: letters, digits, dots, underscores, colons and dashes. */
export const ALIAS_PATTERN = /^[A-Za-z0-9._:-]+$/;

function defaults(raw: RawObject): RawObject {
  return objectAt(raw, "agents", "defaults");
}

/** `agents.defaults.model` as the object form, converting a string primary; created when absent. */
function modelObject(raw: RawObject): RawObject {
  const holder = defaults(raw);
  const current = holder.model;
  if (isRawObject(current)) return current;
  const created: RawObject = typeof current === "string" ? { primary: current } : {};
  holder.model = created;
  return created;
}

/** Makes sure `agents.defaults.models["<ref>"]` exists and returns it. */
function modelEntry(raw: RawObject, ref: string): RawObject {
  return objectAt(defaults(raw), "models", ref);
}

/** The configured fallback list as written (refs or aliases); empty when none is set. */
export function defaultFallbacks(raw: RawObject): string[] {
  const model = existingObjectAt(raw, "agents", "defaults", "model");
  const list = model?.fallbacks;
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === "string") : [];
}

/** `models set`: the shared primary model. */
export function setDefaultPrimary(raw: RawObject, ref: string): void {
  modelObject(raw).primary = ref;
  modelEntry(raw, ref);
}

/** `models fallbacks add`: appends `ref` unless the list has it already. */
export function addDefaultFallback(raw: RawObject, ref: string): void {
  const list = defaultFallbacks(raw);
  modelObject(raw).fallbacks = list.includes(ref) ? list : [...list, ref];
  modelEntry(raw, ref);
}

/**
 * `models fallbacks remove`: drops every entry `matches` accepts (an entry may be an alias of the
 * model). The emptied list stays as `[]`, as OpenClaw leaves it. Returns the entries removed.
 */
export function removeDefaultFallback(raw: RawObject, matches: (entry: string) => boolean): string[] {
  const list = defaultFallbacks(raw);
  const removed = list.filter(matches);
  if (removed.length > 0) modelObject(raw).fallbacks = list.filter((e) => !matches(e));
  return removed;
}

/** `models fallbacks clear`: an empty list, written even when none was set. */
export function clearDefaultFallbacks(raw: RawObject): void {
  modelObject(raw).fallbacks = [];
}

/** Configured aliases as `{ alias, ref }`, in file order. */
export function configuredAliases(raw: RawObject): { alias: string; ref: string }[] {
  const models = existingObjectAt(raw, "agents", "defaults", "models");
  if (!models) return [];
  const out: { alias: string; ref: string }[] = [];
  for (const [ref, entry] of Object.entries(models))
    if (isRawObject(entry) && typeof entry.alias === "string") out.push({ alias: entry.alias, ref });
  return out;
}

/** `models aliases add`: `alias` on the entry of `ref`, replacing the alias that model had. */
export function setModelAlias(raw: RawObject, alias: string, ref: string): void {
  modelEntry(raw, ref).alias = alias;
}

/**
 * `models aliases remove`: takes the alias (matched case-insensitively, as aliases are read) off
 * its model's entry, which stays with its other settings. Returns the model it named, if any.
 */
export function removeModelAlias(raw: RawObject, alias: string): string | undefined {
  const found = configuredAliases(raw).find((a) => a.alias.toLowerCase() === alias.toLowerCase());
  if (!found) return undefined;
  const entry = existingObjectAt(raw, "agents", "defaults", "models", found.ref);
  if (entry) delete entry.alias;
  return found.ref;
}
