import fs from "node:fs";
import path from "node:path";
import type { OpenClawConfig } from "../config/schema.js";
import { packageRoot } from "../util/package-root.js";
import { mergeCost, type CostInput, type ModelCost } from "./price.js";

/** One model a provider serves. */
export interface CatalogModel {
  readonly provider: string;
  readonly id: string;
  /** `provider/id`, the form users type and config stores. */
  readonly ref: string;
  readonly name: string;
  readonly contextWindow?: number | undefined;
  readonly maxTokens?: number | undefined;
  /** ISO date on which the provider retires the model. */
  readonly deprecated?: string | undefined;
  /**
   * USD per million tokens of each kind: the built-in price with the user's `cost` on top.
   * Absent when neither gives one: the model's calls are counted as unpriced.
   */
  readonly cost?: ModelCost | undefined;
  /** Where it came from: our built-in list or the user's `models.providers`. */
  readonly origin: "builtin" | "config";
}

/** A provider: how to reach it and which env keys hold its credentials. */
export interface CatalogProvider {
  readonly id: string;
  readonly name: string;
  readonly baseUrl: string;
  /** Wire protocol: `anthropic-messages` or `openai-completions`. */
  readonly api: string;
  /** Env vars holding API keys, most preferred first. */
  readonly envKeys: readonly string[];
  /** Env vars holding bearer tokens (Anthropic setup-tokens). */
  readonly tokenEnvKeys: readonly string[];
  readonly models: readonly CatalogModel[];
}

interface RawModel {
  id: string;
  name?: string | undefined;
  contextWindow?: number | undefined;
  maxTokens?: number | undefined;
  alias?: string | undefined;
  deprecated?: string | undefined;
  cost?: CostInput | undefined;
}
interface RawProvider {
  name?: string;
  baseUrl?: string;
  api?: string;
  envKeys?: string[];
  tokenEnvKeys?: string[];
  models?: RawModel[];
}
interface RawCatalog {
  defaultModel: string;
  providers: Record<string, RawProvider>;
}

let builtin: RawCatalog | undefined;

/** The built-in catalog from `config/catalog.json`, read once per process. */
export function builtinCatalog(): RawCatalog {
  builtin ??= JSON.parse(fs.readFileSync(path.join(packageRoot(), "config", "catalog.json"), "utf8")) as RawCatalog;
  return builtin;
}

/** Providers, models and aliases: the built-in list extended and overridden by the user's config. */
export class Catalog {
  readonly providers: ReadonlyMap<string, CatalogProvider>;
  /** Every model by `provider/id`. */
  readonly models: ReadonlyMap<string, CatalogModel>;
  /** Lower-cased alias → `provider/id`. User aliases win over built-in ones. */
  readonly aliases: ReadonlyMap<string, string>;
  /** The shipped catalog's own aliases, before the user's: what `models aliases` lists as built-in. */
  readonly builtinAliases: ReadonlyMap<string, string>;
  /** The model used when neither session nor config chose one. */
  readonly defaultModel: string;

  constructor(
    providers: Map<string, CatalogProvider>,
    aliases: Map<string, string>,
    builtinAliases: Map<string, string>,
    defaultModel: string,
  ) {
    this.providers = providers;
    this.aliases = aliases;
    this.builtinAliases = builtinAliases;
    this.defaultModel = defaultModel;
    const models = new Map<string, CatalogModel>();
    for (const p of providers.values()) for (const m of p.models) models.set(m.ref, m);
    this.models = models;
  }

  /** Aliases that point at `ref`, for display. */
  aliasesOf(ref: string): string[] {
    const out: string[] = [];
    for (const [alias, target] of this.aliases) if (target === ref) out.push(alias);
    return out;
  }
}

function envKeyFor(provider: string): string {
  return `${provider.toUpperCase().replace(/[^A-Z0-9]/g, "_")}_API_KEY`;
}

/** Builds the catalog for a config. Cheap enough for start-up; callers keep the result. */
export function buildCatalog(config: OpenClawConfig): Catalog {
  const raw = builtinCatalog();
  const providers = new Map<string, CatalogProvider>();
  const builtinAliases = new Map<string, string>();
  const userAliases = new Map<string, string>();
  const names = new Set([...Object.keys(raw.providers), ...Object.keys(config.models?.providers ?? {})]);
  for (const id of names) {
    const base = raw.providers[id];
    const user = config.models?.providers?.[id];
    const models = new Map<string, CatalogModel>();
    const add = (m: RawModel, origin: CatalogModel["origin"], aliases: Map<string, string>) => {
      const prev = models.get(m.id);
      const cost = mergeCost(prev?.cost, m.cost);
      const model: CatalogModel = {
        provider: id,
        id: m.id,
        ref: `${id}/${m.id}`,
        name: m.name ?? prev?.name ?? m.id,
        ...((m.contextWindow ?? prev?.contextWindow) ? { contextWindow: m.contextWindow ?? prev?.contextWindow } : {}),
        ...((m.maxTokens ?? prev?.maxTokens) ? { maxTokens: m.maxTokens ?? prev?.maxTokens } : {}),
        ...((m.deprecated ?? prev?.deprecated) ? { deprecated: m.deprecated ?? prev?.deprecated } : {}),
        ...(cost ? { cost } : {}),
        origin,
      };
      models.set(m.id, model);
      if (m.alias) aliases.set(m.alias.toLowerCase(), model.ref);
    };
    for (const m of base?.models ?? []) add(m, "builtin", builtinAliases);
    for (const m of user?.models ?? []) add(m, "config", userAliases);
    providers.set(id, {
      id,
      name: base?.name ?? id,
      baseUrl: (user?.baseUrl ?? base?.baseUrl ?? "").replace(/\/+$/, ""),
      api: user?.api ?? base?.api ?? "openai-completions",
      envKeys: base?.envKeys ?? [envKeyFor(id)],
      tokenEnvKeys: base?.tokenEnvKeys ?? [],
      models: [...models.values()],
    });
  }
  for (const [ref, entry] of Object.entries(config.agents?.defaults?.models ?? {})) {
    if (entry.alias) userAliases.set(entry.alias.toLowerCase(), ref);
  }
  const aliases = new Map([...builtinAliases, ...userAliases]);
  return new Catalog(providers, aliases, builtinAliases, raw.defaultModel);
}

/** `anthropic/claude-opus-5-5 (opus)`: a ref with the aliases that name it. */
export function modelLabel(catalog: Catalog, ref: string): string {
  const aliases = catalog.aliasesOf(ref);
  return aliases.length ? `${ref} (${aliases.join(", ")})` : ref;
}
