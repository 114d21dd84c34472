import { SecretRefs } from "../auth/secret-refs.js";
import type { LoadedContext } from "../config/context.js";
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
 * The environment the channels see: the loaded env's values, with each bot token that the config
 * gives as a SecretRef (`{ source, provider, id }`, OpenClaw's form) resolved into the variable the
 * channel falls back to, by the same rules as credential refs (an exec ref's program runs here,
 * before any channel starts). A ref that cannot be resolved stops the start with the key and why
 * (never the secret).
 */
export async function channelEnvWithTokens(
  ctx: Pick<LoadedContext, "loaded" | "env">,
  onSecret?: (secret: string) => void,
): Promise<Readonly<Record<string, string>>> {
  const config = ctx.loaded.config;
  const refs = new SecretRefs(ctx.loaded, ctx.env, onSecret ? { onSecret } : {});
  const out: Record<string, string> = { ...ctx.env.values };
  for (const t of TOKENS) {
    const value: SecretInput | undefined = t.pick(config);
    if (value === undefined || typeof value === "string") continue;
    const r = await refs.resolve({ ...value, provider: value.provider ?? "default" });
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
