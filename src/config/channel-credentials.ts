import type { OpenClawConfig } from "./schema.js";

/** A chat channel the gateway can serve without a terminal. */
export type NetworkChannel = "telegram" | "discord";

/** The variable that carries each channel's bot token when the config does not. */
export const CHANNEL_TOKEN_VARIABLE: Readonly<Record<NetworkChannel, string>> = {
  telegram: "TELEGRAM_BOT_TOKEN",
  discord: "DISCORD_BOT_TOKEN",
};

/**
 * The network channels the gateway would start with this config and environment: enabled and
 * holding a credential (a bot token, as a value or a SecretRef, in the config or the environment;
 * or Discord's interactions public key). The console channel is
 * not among them: it is what runs when this list is empty.
 */
export function channelsWithCredentials(
  config: OpenClawConfig,
  env: Readonly<Record<string, string | undefined>>,
): NetworkChannel[] {
  const out: NetworkChannel[] = [];
  const t = config.channels?.telegram;
  if (t?.enabled !== false && (t?.botToken || env.TELEGRAM_BOT_TOKEN)) out.push("telegram");
  const d = config.channels?.discord;
  if (d?.enabled !== false && (d?.token || env.DISCORD_BOT_TOKEN || d?.interactions?.publicKey)) out.push("discord");
  return out;
}
