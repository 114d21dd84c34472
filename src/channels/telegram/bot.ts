import { Bot, type Context } from "grammy";
import type { Message, Update, UserFromGetMe } from "grammy/types";
import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import type { PluginHost } from "../../gateway/host.js";
import { errorMessage, type Log } from "../../gateway/log.js";
import type { ChannelCapabilities } from "../../gateway/types.js";
import { callbackBinder, verifyPress } from "./callbacks.js";
import { STALE_MENU_TEXT } from "../../gateway/choice-route.js";
import { telegramFetch } from "./bot-api-fetch.js";
import { ReplyDelivery } from "./delivery.js";
import { messageReader, readPress, type InboundMessage, type InboundPress, type MessageReader } from "./invocation.js";
import { TELEGRAM_MAX_TEXT } from "./split.js";
import { keepTyping, TYPING_INTERVAL_MS } from "./typing.js";
import { ChatPacer, PacedStream } from "../../gateway/paced-stream.js";
import { streamingMode } from "../../gateway/streaming-mode.js";
import { TelegramStreamRenderer } from "./stream.js";

/** Telegram renders inline keyboards; messages hold 4096 chars; nothing is private inside a group. */
export const TELEGRAM_CAPABILITIES: ChannelCapabilities = {
  maxLength: TELEGRAM_MAX_TEXT,
  buttons: true,
  ephemeral: false,
};

/** The update types the adapter handles; asked for in `getUpdates` and `setWebhook`. */
export const ALLOWED_UPDATES = ["message", "callback_query"] as const;

/** What the update handlers need. */
export interface HandlerDeps {
  readonly host: PluginHost;
  /** Must not print the token; `startTelegram` passes a redacting one. */
  readonly log: Log;
  /** Key that binds callback data to chat and opener: `payloadSecretFromToken(token)`. */
  readonly secret: string;
  /** How often "typing…" is repeated while a plain message is answered (default 4.5 s). */
  readonly typingIntervalMs?: number;
  /** Maps a command name as listed in Telegram's menu back to the host's (`gpt_mini` → `gpt-mini`). */
  readonly commandName?: (typed: string) => string;
}

/** Updates of one chat run in order; different chats run concurrently. */
function chatConstraint(ctx: Context): string | undefined {
  const id = ctx.chat?.id ?? ctx.from?.id;
  return id === undefined ? undefined : String(id);
}

/**
 * Installs the adapter's middleware on a bot: button presses are verified and answered at once
 * (before any queueing, so a slow model call in the chat cannot let the query expire), then updates
 * are sequentialized per chat and turned into host calls whose replies go back to the same chat
 * and topic. Commands the host marks as interrupting (typed, or pressed as a button) skip the
 * chat's queue, since they act on the answer that holds it. Answers grow in place while they are
 * written unless `channels.telegram.streaming` is `off`.
 */
export function installHandlers(bot: Bot, deps: HandlerDeps): void {
  const { host, log, secret } = deps;
  const typingIntervalMs = deps.typingIntervalMs ?? TYPING_INTERVAL_MS;
  const delivery = new ReplyDelivery(bot.api, log, TELEGRAM_CAPABILITIES.maxLength);
  const verified = new WeakMap<Context, { press: InboundPress; payload: string }>();
  const pacer = new ChatPacer(1000);
  let reader: MessageReader | undefined;
  // Each message is read once, before the chat queue, and the reading kept for after it.
  const readings = new WeakMap<Context, InboundMessage | undefined>();
  const read = (ctx: Context & { message: Message }): InboundMessage | undefined => {
    if (readings.has(ctx)) return readings.get(ctx);
    reader ??= messageReader(ctx.me);
    const inbound = reader(ctx.message);
    readings.set(ctx, inbound);
    return inbound;
  };

  // Every callback query is answered exactly once, here.
  bot.on("callback_query", async (ctx, next) => {
    const press = readPress(ctx.callbackQuery);
    const verdict = press
      ? verifyPress(secret, press.target.chatId, String(ctx.callbackQuery.from.id), press.data)
      : undefined;
    const text = verdict === undefined ? STALE_MENU_TEXT : verdict.kind === "ok" ? undefined : verdict.text;
    try {
      await ctx.answerCallbackQuery(text === undefined ? {} : { text, show_alert: false });
    } catch (err) {
      log("warn", `telegram: answerCallbackQuery failed: ${errorMessage(err)}`);
    }
    if (press && verdict?.kind === "ok") {
      if (host.pressInterrupts(verdict.payload)) return answerPress(press, verdict.payload);
      verified.set(ctx, { press, payload: verdict.payload });
      await next();
    }
  });

  bot.on("message", async (ctx, next) => {
    const inbound = read(ctx);
    if (inbound?.isCommand && host.interrupts(commandOf(inbound))) return answerMessage(inbound);
    await next();
  });

  bot.use(sequentialize(chatConstraint));

  bot.on("message", async (ctx) => {
    const inbound = read(ctx);
    if (inbound) await answerMessage(inbound);
  });

  bot.on("callback_query", async (ctx) => {
    const entry = verified.get(ctx);
    if (entry) await answerPress(entry.press, entry.payload);
  });

  function commandOf(inbound: InboundMessage): string {
    return deps.commandName?.(inbound.invocation.command) ?? inbound.invocation.command;
  }

  async function answerPress(press: InboundPress, payload: string): Promise<void> {
    const reply = await host.handleChoice(press.invocation, payload, TELEGRAM_CAPABILITIES);
    const bind = callbackBinder(secret, press.target.chatId, press.invocation.sender.id);
    await guard("delivering a button reply", () =>
      reply.replace
        ? delivery.edit(press.target, press.messageId, reply, bind)
        : delivery.send(press.target, reply, bind),
    );
  }

  async function answerMessage(inbound: InboundMessage): Promise<void> {
    const { invocation, target } = inbound;
    const bind = callbackBinder(secret, target.chatId, invocation.sender.id);
    let ours = false;
    if (inbound.isCommand) {
      const command = commandOf(inbound);
      const reply = await host.handleCommand(
        command === invocation.command ? invocation : { ...invocation, command },
        TELEGRAM_CAPABILITIES,
      );
      if (reply) return guard(`replying to /${command}`, () => delivery.send(target, reply, bind));
      ours = host.hasCommand(command);
    }
    // One of our commands that turned out to be an inline directive (`/model opus explain…`) is
    // addressed to us even in a group without a mention.
    if (!inbound.addressed && !ours) return;
    const stopTyping = keepTyping(bot.api, target, typingIntervalMs);
    const message = { ...invocation, command: "", args: "" };
    if (streamingMode(host.services.config().config, "telegram") === "partial") {
      const renderer = new TelegramStreamRenderer(bot.api, delivery, target, bind, !invocation.isGroup);
      const stream = new PacedStream(renderer, pacer, String(target.chatId), (err) =>
        log("warn", `telegram: showing a growing answer failed: ${errorMessage(err)}`),
      );
      return guard("replying to a message", () =>
        host.handleMessage(message, inbound.text, TELEGRAM_CAPABILITIES, stream).then(() => undefined),
      ).finally(stopTyping);
    }
    const replies = await host.handleMessage(message, inbound.text, TELEGRAM_CAPABILITIES).finally(stopTyping);
    for (const reply of replies) await guard("replying to a message", () => delivery.send(target, reply, bind));
  }

  async function guard(what: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      log("error", `telegram: ${what} failed: ${errorMessage(err)}`);
    }
  }
}

/** Options for {@link createTelegramBot}. */
export interface TelegramBotOptions {
  readonly token: string;
  /** Bot API root (grammY `client.apiRoot`). */
  readonly apiRoot?: string;
  /** Known bot identity; skips `getMe` (tests, benches). */
  readonly botInfo?: UserFromGetMe;
}

/** A bot with the adapter's handlers, whose updates are tracked so shutdown can wait for them. */
export interface TelegramBot {
  readonly bot: Bot;
  /** Processes one update. Never rejects: failures are logged. */
  handle(update: Update): Promise<void>;
  /** Resolves once no update is being processed. */
  idle(): Promise<void>;
  /** The highest update id handed to {@link TelegramBot.handle}, for confirming the polling offset. */
  lastUpdateId(): number | undefined;
}

/**
 * Builds the grammY bot: API root, flood-limit retries (429 `retry_after` honoured up to 60 s, 3
 * attempts; network errors are not retried forever, so shutdown never hangs on a dead
 * connection), the handlers, and update tracking.
 */
export function createTelegramBot(options: TelegramBotOptions, deps: HandlerDeps): TelegramBot {
  const bot = new Bot(options.token, {
    client: { fetch: telegramFetch, ...(options.apiRoot !== undefined ? { apiRoot: options.apiRoot } : {}) },
    ...(options.botInfo !== undefined ? { botInfo: options.botInfo } : {}),
  });
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: 60, rethrowHttpErrors: true }));
  installHandlers(bot, deps);
  const inflight = new Set<Promise<void>>();
  let last: number | undefined;
  return {
    bot,
    handle(update) {
      if (last === undefined || update.update_id > last) last = update.update_id;
      const task = bot.handleUpdate(update).catch((err: unknown) => {
        deps.log("error", `telegram: update ${update.update_id} failed: ${errorMessage(err)}`);
      });
      inflight.add(task);
      void task.finally(() => inflight.delete(task));
      return task;
    },
    async idle() {
      while (inflight.size > 0) {
        await Promise.all(inflight);
        // A runner queue may hand over its next update as a slot frees up.
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    lastUpdateId: () => last,
  };
}
