import { run } from "@grammyjs/runner";
import type { Transformer } from "grammy";
import type { Update } from "grammy/types";
import { errorMessage, type Log } from "../../gateway/log.js";
import { ALLOWED_UPDATES, type TelegramBot } from "./bot.js";

/** A running long poll. */
export interface Polling {
  /** Stops fetching, waits for updates in progress, then confirms the last one to Telegram. */
  stop(): Promise<void>;
}

/** Options for {@link startPolling}. */
export interface PollingOptions {
  /** Long-poll timeout in seconds (default 30). */
  readonly timeoutSeconds?: number;
}

/** Logs failed `getUpdates` calls: the runner retries them itself and is silenced (it prints raw errors). */
function logPollFailures(log: Log): Transformer {
  return async (prev, method, payload, signal) => {
    try {
      const res = await prev(method, payload, signal);
      if (method === "getUpdates" && !res.ok)
        log("warn", `telegram: getUpdates failed (${res.error_code}: ${res.description})`);
      return res;
    } catch (err) {
      if (method === "getUpdates" && signal?.aborted !== true)
        log("warn", `telegram: getUpdates failed: ${errorMessage(err)}`);
      throw err;
    }
  };
}

/**
 * Long polling with grammY's runner: per-chat order (the bot's `sequentialize`), concurrency across
 * chats. Deletes any webhook first (a bot going back from webhook to polling would otherwise get
 * 409 Conflict). The runner does not confirm what it consumed, so {@link Polling.stop} does, with
 * one `getUpdates({ offset: last + 1, limit: 1, timeout: 0 })`: after a restart nothing runs twice.
 */
export async function startPolling(tg: TelegramBot, log: Log, options: PollingOptions = {}): Promise<Polling> {
  const { bot } = tg;
  await bot.api.deleteWebhook();
  bot.api.config.use(logPollFailures(log));
  const runner = run<Update, unknown>(
    {
      init: () => bot.init(),
      handleUpdate: (update) => tg.handle(update),
      // tg.handle never rejects; anything reaching here would be a bug in it.
      errorHandler: (err) => log("error", `telegram: ${errorMessage(err)}`),
      api: { getUpdates: (args, signal) => bot.api.getUpdates(args, signal) },
    },
    { runner: { fetch: { timeout: options.timeoutSeconds ?? 30, allowed_updates: ALLOWED_UPDATES }, silent: true } },
  );
  runner.task()?.catch((err: unknown) => log("error", `telegram: polling stopped: ${errorMessage(err)}`));
  return {
    async stop() {
      await runner.stop();
      await tg.idle();
      const last = tg.lastUpdateId();
      if (last === undefined) return;
      try {
        await bot.api.getUpdates({ offset: last + 1, limit: 1, timeout: 0 });
      } catch (err) {
        log(
          "warn",
          `telegram: could not confirm update ${last}; it may be processed again after a restart: ${errorMessage(err)}`,
        );
      }
    },
  };
}
