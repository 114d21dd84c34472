/**
 * End-to-end harness: the real Telegram adapter (grammY over HTTP) started by `startTelegram`
 * against the loopback fake Bot API, with a gateway built from the real parts in a temp dir.
 */
import { startTelegram, type TelegramChannelOptions } from "../../../src/channels/telegram/index.js";
import { GatewayHttpServer } from "../../../src/gateway/http-server.js";
import type { RunningChannel } from "../../../src/gateway/channel.js";
import type { Log } from "../../../src/gateway/log.js";
import { startFakeTelegram, type Call, type FakeTelegram } from "../../fakes/telegram-bot-api.js";
import { createTestGateway, type TestGateway, type TestGatewayOptions } from "../../support/gateway.js";

export const BOT_USERNAME = "gateway_test_bot";

/** A running adapter, its fake Telegram and its gateway. */
export interface Harness {
  readonly fake: FakeTelegram;
  readonly gateway: TestGateway;
  readonly http: GatewayHttpServer;
  channel: RunningChannel;
  /** Stops the channel (confirming the offset), then a fresh one on the same fake and gateway. */
  restart(): Promise<void>;
  /** Stops the bot before the fake (the fake's rule), then closes the gateway. */
  close(): Promise<void>;
}

export interface HarnessOptions extends Omit<TestGatewayOptions, "config"> {
  /** Merged into `openclaw.json`; `channels.telegram` gets the fake's token and API root added. */
  readonly config?: Record<string, unknown> & { channels?: { telegram?: Record<string, unknown> } };
  readonly channel?: TelegramChannelOptions;
  /** Runs against the fake before the channel starts (e.g. to leave a webhook set). */
  readonly prepare?: (fake: FakeTelegram) => Promise<void> | void;
}

/** Starts the fake, writes the gateway config pointing at it, and starts the channel. */
export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const fake = await startFakeTelegram({ botUsername: BOT_USERNAME });
  const { config = {}, channel: channelOptions, prepare, ...rest } = opts;
  await prepare?.(fake);
  const gateway = await createTestGateway({
    ...rest,
    config: {
      ...config,
      channels: {
        ...config.channels,
        telegram: { botToken: fake.token, apiRoot: fake.apiRoot, ...config.channels?.telegram },
      },
    },
  });
  const log: Log = (level, m) => void gateway.logs.push(`[${level}] ${m}`);
  const http = new GatewayHttpServer(log);
  const start = () =>
    startTelegram({ host: gateway.host, http, log, env: {} }, { pollingTimeoutSeconds: 5, ...channelOptions });
  let channel: RunningChannel;
  try {
    channel = await start();
  } catch (err) {
    await fake.close();
    await gateway.close();
    throw err;
  }
  const harness: Harness = {
    fake,
    gateway,
    http,
    channel,
    async restart() {
      await harness.channel.stop();
      harness.channel = await start();
    },
    async close() {
      await harness.channel.stop();
      await fake.close();
      await gateway.close();
    },
  };
  return harness;
}

/** The next `sendMessage` to `chatId` (each call returned once, in order). */
export function nextMessage(fake: FakeTelegram, chatId: number, timeoutMs?: number): Promise<Call> {
  return fake.waitForCall("sendMessage", (c) => Number(c.payload.chat_id) === chatId, timeoutMs);
}

/** The text of a recorded call. */
export function textOf(call: Call): string {
  return String(call.payload.text);
}

/** Every button on a bot message, as `[label, callback_data]`. */
export function buttonsOf(fake: FakeTelegram, chatId: number, messageId: number): Array<[string, string]> {
  const message = fake.messages(chatId).find((m) => m.message_id === messageId);
  return (message?.reply_markup?.inline_keyboard ?? [])
    .flat()
    .flatMap((b) => ("callback_data" in b ? [[b.text, b.callback_data] as [string, string]] : []));
}

/** Sends a message and returns the bot's answer to it. */
export async function ask(
  harness: Harness,
  chat: { id: number; type: "private" | "group" | "supergroup"; is_forum?: boolean },
  from: { id: number; first_name: string },
  text: string,
  threadId?: number,
) {
  const update = harness.fake.userMessage({
    chat,
    from,
    text,
    ...(threadId !== undefined ? { message_thread_id: threadId } : {}),
  });
  const call = await nextMessage(harness.fake, chat.id);
  return { update, call, text: textOf(call) };
}

/** The id of the bot's last message in a chat, as stored by the fake. */
export function lastBotMessageId(harness: Harness, chatId: number): number {
  return harness.fake.messages(chatId).at(-1)?.message_id ?? 0;
}

/** The callback data of the button whose label matches, on one bot message. */
export function button(harness: Harness, chatId: number, messageId: number, label: string | RegExp): string {
  const found = buttonsOf(harness.fake, chatId, messageId).find(([l]) =>
    typeof label === "string" ? l === label : label.test(l),
  );
  if (!found)
    throw new Error(`no button ${String(label)} in ${JSON.stringify(buttonsOf(harness.fake, chatId, messageId))}`);
  return found[1];
}
