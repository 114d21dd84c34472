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

function primaryOf(setting: ModelSetting | undefined): string | undefined {
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

/** The model allowlist for an agent: its own `modelPolicy.allow` replaces the defaults'; empty means all. */
export function modelAllowlist(config: OpenClawConfig, agentId: string): readonly string[] {
  const own = config.agents?.entries?.[agentId]?.modelPolicy?.allow;
  if (own !== undefined) return own;
  return config.agents?.defaults?.modelPolicy?.allow ?? [];
}
