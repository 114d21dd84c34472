import type { ModelSetting, OpenClawConfig } from "./schema.js";

/** The agent used when none is named: `agents.defaults.systemAgent.agentId`, a legacy `default: true` entry, else `main`. */
export function defaultAgentId(config: OpenClawConfig): string {
  const agents = config.agents;
  return agents?.defaults?.systemAgent?.agentId ?? agents?.list?.find((a) => a.default)?.id ?? "main";
}

/** Every agent the config names (`agents.entries` and the legacy `agents.list`), plus the default one. */
export function agentIds(config: OpenClawConfig): string[] {
  const ids = new Set<string>([defaultAgentId(config)]);
  for (const id of Object.keys(config.agents?.entries ?? {})) ids.add(id);
  for (const a of config.agents?.list ?? []) ids.add(a.id);
  return [...ids];
}

/** The primary a model setting names: the string itself, or the object's `primary`. */
export function primaryOf(setting: ModelSetting | undefined): string | undefined {
  if (setting === undefined) return undefined;
  return typeof setting === "string" ? setting : setting.primary;
}

/** The configured primary model for an agent (its own entry, else the defaults), or undefined. */
export function configuredModel(config: OpenClawConfig, agentId: string): string | undefined {
  const agents = config.agents;
  return (
    primaryOf(agents?.entries?.[agentId]?.model) ??
    primaryOf(agents?.list?.find((a) => a.id === agentId)?.model) ??
    primaryOf(agents?.defaults?.model)
  );
}

/** A fallback list and the config key that holds it (or would hold it), for messages that say what to change. */
export interface ConfiguredFallbacks {
  readonly key: string;
  /** As written: refs or aliases. Empty when none apply. */
  readonly refs: readonly string[];
}

/**
 * The fallbacks of an agent's configured model, by OpenClaw's selection-source policy: the agent's
 * own `model.fallbacks` when its model object has that key (`[]` turns fallbacks off); none when the
 * agent sets its own primary without them (an agent primary is strict); else
 * `agents.defaults.model.fallbacks`.
 */
export function configuredFallbacks(config: OpenClawConfig, agentId: string): ConfiguredFallbacks {
  const agents = config.agents;
  const index = agents?.list?.findIndex((a) => a.id === agentId && a.model !== undefined) ?? -1;
  const own = agents?.entries?.[agentId]?.model;
  const [setting, key] =
    own !== undefined
      ? [own, `agents.entries.${agentId}.model`]
      : [agents?.list?.[index]?.model, `agents.list[${index}].model`];
  if (setting !== undefined) {
    if (typeof setting !== "string" && setting.fallbacks !== undefined)
      return { key: `${key}.fallbacks`, refs: setting.fallbacks };
    if (primaryOf(setting) !== undefined) return { key: `${key}.fallbacks`, refs: [] };
  }
  const defaults = agents?.defaults?.model;
  const refs = defaults !== undefined && typeof defaults !== "string" ? (defaults.fallbacks ?? []) : [];
  return { key: "agents.defaults.model.fallbacks", refs };
}

/** The model allowlist for an agent: its own `modelPolicy.allow` replaces the defaults'; empty means all. */
export function modelAllowlist(config: OpenClawConfig, agentId: string): readonly string[] {
  const own = config.agents?.entries?.[agentId]?.modelPolicy?.allow;
  if (own !== undefined) return own;
  return config.agents?.defaults?.modelPolicy?.allow ?? [];
}

/** The config key whose allowlist applies to an agent, for messages that say what to change. */
export function allowlistKey(config: OpenClawConfig, agentId: string): string {
  return config.agents?.entries?.[agentId]?.modelPolicy?.allow !== undefined
    ? `agents.entries.${agentId}.modelPolicy.allow`
    : "agents.defaults.modelPolicy.allow";
}
