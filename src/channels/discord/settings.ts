import type { OpenClawConfig } from "../../config/schema.js";

/** Where the interactions endpoint listens when `channels.discord.interactions.path` is not set. */
export const DEFAULT_INTERACTIONS_PATH = "/discord/interactions";

/** `channels.discord` with defaults applied and the token taken from config or env. */
export interface DiscordSettings {
  /** Bot token: `channels.discord.token`, else env `DISCORD_BOT_TOKEN` (also where a SecretRef token arrives). Never log it. */
  readonly token?: string;
  /** `channels.discord.applicationId`; otherwise learnt from Discord at start. */
  readonly applicationId?: string;
  /** Register commands per guild (instant) instead of globally. Empty = global. */
  readonly guildIds: readonly string[];
  /** REST root override (`channels.discord.apiBase`), e.g. a proxy or a loopback fake. */
  readonly apiBase?: string;
  /** Replies visible only to the caller (`channels.discord.slashCommand.ephemeral`, default true). */
  readonly ephemeral: boolean;
  /** Hex Ed25519 key; when set, interactions arrive over HTTP instead of the gateway WebSocket. */
  readonly publicKey?: string;
  /** Route of the HTTP interactions endpoint. */
  readonly interactionsPath: string;
}

/** Reads the Discord channel settings from a validated config and the merged environment. */
export function discordSettings(config: OpenClawConfig, env: Readonly<Record<string, string>>): DiscordSettings {
  const d = config.channels?.discord;
  // A SecretRef token reaches us resolved, as DISCORD_BOT_TOKEN (the app resolves it before channels start).
  const token = (typeof d?.token === "string" ? d.token : "") || env.DISCORD_BOT_TOKEN || undefined;
  return {
    ...(token ? { token } : {}),
    ...(d?.applicationId ? { applicationId: d.applicationId } : {}),
    guildIds: d?.guildIds ?? [],
    ...(d?.apiBase ? { apiBase: d.apiBase } : {}),
    ephemeral: d?.slashCommand?.ephemeral ?? true,
    ...(d?.interactions?.publicKey ? { publicKey: d.interactions.publicKey } : {}),
    interactionsPath: d?.interactions?.path ?? DEFAULT_INTERACTIONS_PATH,
  };
}
