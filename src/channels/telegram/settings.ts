import type { OpenClawConfig } from "../../config/schema.js";
import { MIN_ENDPOINT_SECRET } from "../../gateway/secret-match.js";
import { UserFacingError, userError } from "../../util/user-error.js";

/** The webhook endpoint, when `channels.telegram.webhookUrl` is set. */
export interface WebhookSettings {
  /** Public HTTPS URL Telegram posts updates to. */
  readonly url: string;
  /** Sent back by Telegram in `X-Telegram-Bot-Api-Secret-Token`; required. */
  readonly secret: string;
  /** Route on the gateway's HTTP server (default `/telegram-webhook`). */
  readonly path: string;
}

/** Everything the Telegram adapter reads from config and env, validated once at start. */
export interface TelegramSettings {
  /** The bot token. Never logged, never put in an error message. */
  readonly token: string;
  /** Bot API root without the `/bot<token>` part (grammY `client.apiRoot`). */
  readonly apiRoot?: string;
  /** Present in webhook mode; absent means long polling. */
  readonly webhook?: WebhookSettings;
}

/** Default route for the webhook on the gateway's HTTP server. */
export const DEFAULT_WEBHOOK_PATH = "/telegram-webhook";

// Telegram's rule for `secret_token`: 1-256 characters, only A-Z, a-z, 0-9, _ and -.
const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

/**
 * Reads `channels.telegram` (DESIGN section 2): `botToken`, else env `TELEGRAM_BOT_TOKEN`;
 * `apiRoot`; webhook mode when `webhookUrl` is set. Throws {@link UserFacingError} for a missing
 * token, and for a webhook without a valid `webhookSecret` of at least 16 characters (without one
 * anyone who finds the URL could drive the bot).
 */
export function telegramSettings(config: OpenClawConfig, env: Readonly<Record<string, string>>): TelegramSettings {
  const t = config.channels?.telegram;
  // A SecretRef token reaches us resolved, as TELEGRAM_BOT_TOKEN (the app resolves it before channels start).
  const token = ((typeof t?.botToken === "string" ? t.botToken : "") || env.TELEGRAM_BOT_TOKEN || "").trim();
  if (token === "") {
    throw new UserFacingError(
      userError(
        "telegram_token_missing",
        "Telegram needs a bot token.",
        "Set channels.telegram.botToken or TELEGRAM_BOT_TOKEN.",
      ),
    );
  }
  const base = { token, ...(t?.apiRoot ? { apiRoot: t.apiRoot.replace(/\/+$/, "") } : {}) };
  if (!t?.webhookUrl) return base;
  const secret = t.webhookSecret ?? "";
  if (secret === "") {
    throw new UserFacingError(
      userError(
        "telegram_webhook_secret_missing",
        "Telegram webhook mode needs channels.telegram.webhookSecret: without it anyone who finds the URL can drive the bot.",
        "Set channels.telegram.webhookSecret (16-256 characters of A-Z, a-z, 0-9, _ and -), or remove channels.telegram.webhookUrl to use long polling.",
      ),
    );
  }
  if (!SECRET_TOKEN.test(secret)) {
    throw new UserFacingError(
      userError(
        "telegram_webhook_secret_invalid",
        "channels.telegram.webhookSecret may only hold 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule).",
      ),
    );
  }
  if (secret.length < MIN_ENDPOINT_SECRET) {
    throw new UserFacingError(
      userError(
        "telegram_webhook_secret_short",
        `channels.telegram.webhookSecret has ${secret.length} characters; it needs at least ${MIN_ENDPOINT_SECRET}, or anyone who finds the webhook URL may guess it.`,
        "Set it to a long random value, e.g. the output of `openssl rand -hex 32`.",
      ),
    );
  }
  return { ...base, webhook: { url: t.webhookUrl, secret, path: t.webhookPath ?? DEFAULT_WEBHOOK_PATH } };
}
