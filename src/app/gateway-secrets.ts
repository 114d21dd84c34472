import type { OpenClawConfig } from "../config/schema.js";
import { secretProviderSchema, secretProvidersOf } from "../auth/secret-ref.js";
import { MIN_ENDPOINT_SECRET } from "../gateway/secret-match.js";
import { UserFacingError, userError } from "../util/user-error.js";
import { urlCredentials } from "../util/url-credentials.js";
import { isCredentialVariable } from "../config/env.js";

/** The credentials of a Redis session store's URL: user, password, `?password=` and other query values. */
function redisCredentials(config: OpenClawConfig): string[] {
  const store = config.session?.store;
  return typeof store === "object" && store.kind === "redis" ? urlCredentials(store.url) : [];
}

/** The values exec SecretRef providers hand their programs in `env`: tokens for a vault, as a rule. */
function execEnvValues(config: OpenClawConfig): string[] {
  const providers = secretProvidersOf(config);
  if (typeof providers !== "object" || providers === null) return [];
  const out: string[] = [];
  for (const entry of Object.values(providers)) {
    const parsed = secretProviderSchema.safeParse(entry);
    if (parsed.success && parsed.data.source === "exec") out.push(...Object.values(parsed.data.env ?? {}));
  }
  return out;
}

/**
 * Every secret the gateway holds besides stored credentials (which the resolver registers as it
 * reads them): the metrics token, the webhook secret, the bot tokens, the Redis password, the
 * values exec refs get in `env`, and env variables named like credentials (which exec refs may
 * get through `passEnv`). Registered with the redactor at start, so no log line, reply or crash
 * report can carry one.
 */
export function gatewaySecrets(config: OpenClawConfig, env: Readonly<Record<string, string>>): string[] {
  const ch = config.channels;
  const named = Object.entries(env).flatMap(([k, v]) => (isCredentialVariable(k) ? [v] : []));
  return [
    config.gateway?.metrics?.token,
    ch?.telegram?.webhookSecret,
    ch?.telegram?.botToken,
    ch?.discord?.token,
    ...redisCredentials(config),
    ...execEnvValues(config),
    ...named,
  ].filter((s): s is string => s !== undefined && s !== "");
}

/**
 * Refuses a metrics token shorter than {@link MIN_ENDPOINT_SECRET} characters: it is all that
 * keeps `/metrics` from anyone who can reach the port.
 */
export function checkMetricsToken(config: OpenClawConfig): void {
  const token = config.gateway?.metrics?.token;
  if (token === undefined || token.length >= MIN_ENDPOINT_SECRET) return;
  throw new UserFacingError(
    userError(
      "metrics_token_short",
      `gateway.metrics.token has ${token.length} characters; it needs at least ${MIN_ENDPOINT_SECRET}, or anyone who can reach the port may guess it.`,
      "Set gateway.metrics.token to a long random value, e.g. the output of `openssl rand -hex 32`.",
    ),
  );
}
