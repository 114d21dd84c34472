import { GrammyError, HttpError } from "grammy";
import type { ChannelEnv, RunningChannel } from "../../gateway/channel.js";
import { payloadSecretFromToken } from "../../gateway/bound-payload.js";
import { errorMessage, redactToken, redactingLog } from "../../gateway/log.js";
import { UserFacingError, userError } from "../../util/user-error.js";
import { TELEGRAM_CAPABILITIES, createTelegramBot } from "./bot.js";
import { splitText } from "./split.js";
import { CommandMenuSync } from "./commands.js";
import { startPolling } from "./polling.js";
import { telegramSettings } from "./settings.js";
import { startWebhook } from "./webhook.js";

export {
  TELEGRAM_CAPABILITIES,
  createTelegramBot,
  installHandlers,
  type HandlerDeps,
  type TelegramBot,
} from "./bot.js";
export { telegramSettings, type TelegramSettings, type WebhookSettings } from "./settings.js";

/** Tuning for {@link startTelegram}; the defaults are what production uses. */
export interface TelegramChannelOptions {
  /** How often the command menu is compared with the host's commands and re-registered (default 60 s). */
  readonly commandsRefreshMs?: number;
  /** How often "typing…" is repeated while a plain message is answered (default 4.5 s). */
  readonly typingIntervalMs?: number;
  /** Long-poll timeout in seconds (default 30). */
  readonly pollingTimeoutSeconds?: number;
  /** Aborts the start (`getMe`) when the gateway stops while the channel still connects. */
  readonly signal?: AbortSignal;
}

/**
 * Why a Bot API call got no answer, without the request URL (it holds the token): grammY's
 * `Network request for 'getMe' failed!` and the system error under it (`ECONNREFUSED`).
 */
function networkFailure(err: HttpError): string {
  for (let e: unknown = err.error, depth = 0; typeof e === "object" && e !== null && depth < 5; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z0-9_]+$|^UND_ERR_[A-Z_]+$/.test(code)) return `${err.message} (${code})`;
    e = (e as { cause?: unknown }).cause;
  }
  return err.message;
}

/**
 * Starts the Telegram channel from `channels.telegram` (DESIGN section 2): checks the token
 * (`getMe`), registers the command menu (and keeps it in step with the host's commands), then
 * long-polls, or serves the webhook when `webhookUrl` is set. `stop` finishes updates in progress
 * and, when polling, confirms the last one so nothing runs twice after a restart.
 */
export async function startTelegram(env: ChannelEnv, options: TelegramChannelOptions = {}): Promise<RunningChannel> {
  const settings = telegramSettings(env.host.services.config().config, env.env);
  const log = redactingLog(env.log, settings.token);
  const tg = createTelegramBot(
    { token: settings.token, ...(settings.apiRoot !== undefined ? { apiRoot: settings.apiRoot } : {}) },
    {
      host: env.host,
      log,
      secret: payloadSecretFromToken(settings.token),
      // Called only for updates, which arrive after `menu` is set below.
      commandName: (typed) => menu.hostName(typed),
      ...(options.typingIntervalMs !== undefined ? { typingIntervalMs: options.typingIntervalMs } : {}),
    },
  );
  const menu = new CommandMenuSync(tg.bot.api, () => env.host.commands(), log);
  try {
    // Not `bot.init()`: it retries a network error forever and silently, so a refused connection
    // would leave the channel "connecting" for good; the supervisor retries with a logged back-off.
    // grammY types its signal with a polyfill's AbortSignal; Node's own is what it passes to fetch.
    const signal = options.signal as Parameters<typeof tg.bot.api.getMe>[0];
    if (!tg.bot.isInited()) tg.bot.botInfo = await tg.bot.api.getMe(signal);
  } catch (err) {
    if (err instanceof GrammyError && (err.error_code === 401 || err.error_code === 404)) {
      throw new UserFacingError(
        userError(
          "telegram_token_rejected",
          "Telegram rejected the bot token.",
          "Check channels.telegram.botToken or TELEGRAM_BOT_TOKEN (from @BotFather).",
        ),
      );
    }
    const why = err instanceof HttpError ? networkFailure(err) : errorMessage(err);
    throw new Error(`telegram: getMe failed: ${redactToken(why, settings.token)}`);
  }
  await menu.sync();
  menu.watch(options.commandsRefreshMs ?? 60_000);
  let mode: { stop(): Promise<void> };
  try {
    mode = settings.webhook
      ? await startWebhook(tg, env.http, settings.webhook, log)
      : await startPolling(
          tg,
          log,
          options.pollingTimeoutSeconds !== undefined ? { timeoutSeconds: options.pollingTimeoutSeconds } : {},
        );
  } catch (err) {
    await menu.stop();
    throw new Error(
      `telegram: could not start ${settings.webhook ? "the webhook" : "polling"}: ${redactToken(errorMessage(err), settings.token)}`,
    );
  }
  log("info", `telegram: @${tg.bot.botInfo.username} ready (${settings.webhook ? "webhook" : "long polling"})`);
  let stopped: Promise<void> | undefined;
  return {
    name: "telegram",
    stop() {
      stopped ??= menu.stop().then(() => mode.stop());
      return stopped;
    },
    // A private chat's id is the user's id, so a direct message needs no lookup.
    async send(userId, reply) {
      try {
        for (const text of splitText(reply.text, TELEGRAM_CAPABILITIES.maxLength))
          await tg.bot.api.sendMessage(Number(userId), text);
      } catch (err) {
        // grammY's errors hold the request URL, and with it the bot token.
        throw new Error(`sendMessage failed: ${redactToken(errorMessage(err), settings.token)}`);
      }
    },
  };
}
