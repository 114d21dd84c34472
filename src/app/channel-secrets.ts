import { secretRefResolver } from "../auth/create-resolver.js";
import type { OpenClawConfig, SecretInput } from "../config/schema.js";
import { UserFacingError, userError } from "../util/user-error.js";

/** A channel token's config key and the variable the channel reads when the key holds no string. */
const TOKENS = [
  {
    key: "channels.telegram.botToken",
    variable: "TELEGRAM_BOT_TOKEN",
    pick: (c: OpenClawConfig) => c.channels?.telegram?.botToken,
  },
  {
    key: "channels.discord.token",
    variable: "DISCORD_BOT_TOKEN",
    pick: (c: OpenClawConfig) => c.channels?.discord?.token,
  },
] as const;

/**
 * The environment the channels see: `env`, with each bot token that the config gives as a SecretRef
 * (`{ source, provider, id }`, OpenClaw's form) resolved into the variable the channel falls back
 * to. A ref that cannot be resolved stops the start with the key and why (never the secret).
 */
export function channelEnvWithTokens(
  config: OpenClawConfig,
  env: Readonly<Record<string, string>>,
  onSecret?: (secret: string) => void,
): Readonly<Record<string, string>> {
  const resolve = secretRefResolver(config, env, onSecret);
  const out: Record<string, string> = { ...env };
  for (const t of TOKENS) {
    const value: SecretInput | undefined = t.pick(config);
    if (value === undefined || typeof value === "string") continue;
    const r = resolve({ ...value, provider: value.provider ?? "default" });
    if (!r.ok)
      throw new UserFacingError(
        userError(
          "channel_token_unresolved",
          `${t.key} cannot be resolved: ${r.why}.`,
          `Fix the SecretRef at ${t.key}.`,
        ),
      );
    out[t.variable] = r.value;
  }
  return out;
}
