/**
 * `/model status` through the Telegram adapter, in process: a real grammY `Bot` with the adapter's
 * handlers, a fixed `botInfo` (no getMe) and an API transformer that answers every call at once
 * (no HTTP), over a gateway built from the real config, credential files, SQLite sessions and the
 * `/model` plugin, against a bare grammY bot on the same transformer. Measures what the adapter and
 * plugin cost per update, not Telegram's latency.
 */
import fs from "node:fs";
import { Bot } from "grammy";
import { installHandlers, TELEGRAM_CAPABILITIES } from "../src/channels/telegram/bot.js";
import { payloadSecretFromToken } from "../src/gateway/bound-payload.js";
import { createTestGateway } from "../test/support/gateway.js";
import { botInfoFor } from "../test/fakes/telegram-bot-api.js";
import { OWNER, statusUpdate } from "./status-update.js";
import { alternate, costFigure, inFlight, percentile, rateFigure, timed, type BenchResult } from "./result.js";

const TOKEN = "123456789:BENCH-token";
const BOT_INFO = botInfoFor(123456789, "bench_bot", "Bench");

/** An API transformer that answers every call at once, as the fake Bot API would, counting replies. */
function answerAtOnce(bot: Bot, counter: { sent: number }): void {
  bot.api.config.use((_prev, method, payload) => {
    if (method !== "sendMessage") return Promise.resolve({ ok: true as const, result: true as never });
    counter.sent++;
    const p = payload as { chat_id: number; text: string };
    const result = {
      message_id: counter.sent,
      date: 1_700_000_000,
      chat: { id: p.chat_id, type: "private", first_name: "Owner" },
      text: p.text,
    };
    return Promise.resolve({ ok: true as const, result: result as never });
  });
}

/**
 * `/model status` updates through the adapter, against a bare grammY bot on the same transformer
 * whose `model` command replies with the same text at once: the ratio is what the adapter, the
 * host and the plugin cost over grammY's own handling.
 */
export default async function bench(): Promise<BenchResult[]> {
  const gateway = await createTestGateway({
    config: {
      agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
      commands: { ownerAllowFrom: [`telegram:${OWNER}`] },
    },
    authProfiles: {
      version: 1,
      profiles: {
        "anthropic:work": { type: "api_key", provider: "anthropic", key: `sk-ant-api03-${"W".repeat(40)}work` },
        "anthropic:ci": { type: "api_key", provider: "anthropic", key: `sk-ant-api03-${"C".repeat(40)}ci99` },
      },
    },
  });
  const ours = { sent: 0 };
  const bot = new Bot(TOKEN, { botInfo: BOT_INFO });
  answerAtOnce(bot, ours);
  installHandlers(bot, { host: gateway.host, log: () => undefined, secret: payloadSecretFromToken(TOKEN) });

  const invocation = {
    channel: "telegram",
    chatId: String(OWNER),
    sender: { id: String(OWNER) },
    isGroup: false,
    command: "model",
    args: " status",
    via: "text",
  } as const;
  const reply = (await gateway.host.handleCommand(invocation, TELEGRAM_CAPABILITIES))?.text;
  if (!reply) throw new Error("bench: /model status gave no reply");
  const floor = { sent: 0 };
  const bare = new Bot(TOKEN, { botInfo: BOT_INFO });
  answerAtOnce(bare, floor);
  bare.command("model", (ctx) => ctx.reply(reply));

  let id = 0;
  const nextId = () => ++id;
  try {
    // Warm-up: JIT, caches, the first SQLite reads.
    for (let i = 0; i < 2000; i++) await bot.handleUpdate(statusUpdate(nextId(), OWNER));
    for (let i = 0; i < 2000; i++) await bare.handleUpdate(statusUpdate(nextId(), OWNER));
    const oursLatency: number[] = [];
    const bareLatency: number[] = [];
    const one = (b: Bot) => () => b.handleUpdate(statusUpdate(nextId(), OWNER));
    const seq = await alternate(
      (ms) => timed(one(bot), ms, oursLatency),
      (ms) => timed(one(bare), ms, bareLatency),
    );
    // 64 chats at once, as the runner handles different chats concurrently.
    const chats = (b: Bot) => (lane: number) => b.handleUpdate(statusUpdate(nextId(), OWNER + lane));
    const par = await alternate(
      (ms) => inFlight(chats(bot), 64, ms),
      (ms) => inFlight(chats(bare), 64, ms),
    );
    if (ours.sent + floor.sent < id)
      throw new Error(`bench: only ${ours.sent + floor.sent} of ${id} updates got a reply`);
    const bareName = "bare grammY handler, same reply";
    return [
      rateFigure("/model status updates, one at a time", "updates/s", seq, bareName, 10),
      costFigure(
        "/model status p99 latency per update",
        "ms",
        { ours: percentile(oursLatency, 99), baseline: percentile(bareLatency, 99) },
        bareName,
      ),
      rateFigure("/model status updates, 64 chats concurrently", "updates/s", par, bareName, 10),
    ];
  } finally {
    await gateway.close();
    fs.rmSync(gateway.stateDir, { recursive: true, force: true });
  }
}
