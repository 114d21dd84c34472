import type { OpenClawConfig } from "../../src/config/schema.js";
import type { CommandContext } from "../../src/gateway/types.js";
import type { Catalog, CatalogModel } from "../../src/models/catalog.js";
import { isModelAllowed } from "../../src/models/ref.js";
import { allowlistKey, configuredModel, modelAllowlist } from "../../src/config/agents.js";
import { userError, type UserError } from "../../src/util/user-error.js";

/** A provider with the models an agent may use, in catalog order. */
export interface AllowedProvider {
  readonly id: string;
  readonly models: readonly CatalogModel[];
}

/** What lists and pickers offer an agent: providers with at least one allowed model. */
export interface AllowedModels {
  readonly providers: readonly AllowedProvider[];
  /** Hash of every offered ref in order; picker payloads carry it so a changed list is detected. */
  readonly version: string;
}

/**
 * Memoises `build` per catalog (held weakly: a config change brings a new catalog) and allowlist.
 * Lists, pickers and the command list are asked for on every message; they change only with the config.
 */
export function memoPerCatalog<T>(
  cache: WeakMap<Catalog, Map<string, T>>,
  catalog: Catalog,
  allow: readonly string[],
  build: () => T,
): T {
  let perCatalog = cache.get(catalog);
  if (!perCatalog) {
    perCatalog = new Map();
    cache.set(catalog, perCatalog);
  }
  const key = allow.join("\n");
  let hit = perCatalog.get(key);
  if (hit === undefined) {
    hit = build();
    perCatalog.set(key, hit);
  }
  return hit;
}

const cache = new WeakMap<Catalog, Map<string, AllowedModels>>();

/** FNV-1a, 32 bits, base 36: short, stable, not a secret. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/** The allowed view of a catalog, computed once per catalog and allowlist. */
export function allowedModels(catalog: Catalog, allow: readonly string[]): AllowedModels {
  return memoPerCatalog(cache, catalog, allow, () => {
    const providers: AllowedProvider[] = [];
    for (const p of catalog.providers.values()) {
      const models = p.models.filter((m) => isModelAllowed(catalog, allow, m.ref));
      if (models.length) providers.push({ id: p.id, models });
    }
    return { providers, version: hash(providers.map((p) => p.models.map((m) => m.ref).join("\n")).join("\n\n")) };
  });
}

/** What lists and pickers offer the context's agent. */
export function offeredModels(ctx: CommandContext): AllowedModels {
  return allowedModels(ctx.services.catalog(), modelAllowlist(ctx.services.config().config, ctx.agentId));
}

/** The refusal for a model outside the allowlist, naming the key and how to change it. */
export function notAllowedError(config: OpenClawConfig, agentId: string, ref: string, provider: string): UserError {
  const key = allowlistKey(config, agentId);
  return userError(
    "model_not_allowed",
    `${ref} is not allowed here: it is not in ${key}.`,
    `To allow it, add "${ref}" (or "${provider}/*") to ${key} in openclaw.json. Allowed models: /models.`,
  );
}

/** True when the agent may use `ref`. */
export function allowedFor(config: OpenClawConfig, catalog: Catalog, agentId: string, ref: string): boolean {
  return isModelAllowed(catalog, modelAllowlist(config, agentId), ref);
}

/**
 * Refs an agent's config names: its allowlist, the configured models (`agents.defaults.models`)
 * and its default model. A bare model id typed in `/model` may select one the catalog lacks.
 */
export function configuredRefs(config: OpenClawConfig, agentId: string): string[] {
  const primary = configuredModel(config, agentId);
  return [
    ...modelAllowlist(config, agentId),
    ...Object.keys(config.agents?.defaults?.models ?? {}),
    ...(primary !== undefined ? [primary] : []),
  ];
}
