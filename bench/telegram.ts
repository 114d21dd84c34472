/**
 * `/model status` through the Telegram adapter, in process: a real grammY `Bot` with the adapter's
 * handlers, a fixed `botInfo` (no getMe) and an API transformer that answers every call at once
 * (no HTTP), over a gateway built from the real config, credential files, SQLite sessions and the
 * `/model` plugin. Measures what the adapter and plugin cost per update, not Telegram's latency.
 */
import fs from "node:fs";
import { Bot } from "grammy";
import type { Update } from "grammy/types";
import { installHandlers, TELEGRAM_CAPABILITIES } from "../src/channels/telegram/bot.js";
import { payloadSecretFromToken } from "../src/gateway/bound-payload.js";
import { createTestGateway } from "../test/support/gateway.js";
import { botInfoFor } from "../test/fakes/telegram-bot-api.js";
import { opsPerSecond, percentile, type BenchResult } from "./result.js";

const TOKEN = "123456789:BENCH-token";
const OWNER = 1001;
const BOT_INFO = botInfoFor(123456789, "bench_bot", "Bench");

function statusUpdate(updateId: number, chatId: number): Update {
  const text = "/model status";
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 1_700_000_000,
      chat: { id: chatId, type: "private", first_name: "Owner" },
      from: { id: OWNER, is_bot: false, first_name: "Owner" },
      text,
      entities: [{ type: "bot_command", offset: 0, length: "/model".length }],
    },
  };
}

/** Measures `/model status` updates per second and per-update latency through `bot.handleUpdate`. */
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
  const bot = new Bot(TOKEN, { botInfo: BOT_INFO });
  let sent = 0;
  bot.api.config.use((_prev, method, payload) => {
    if (method !== "sendMessage") return Promise.resolve({ ok: true as const, result: true as never });
    sent++;
    const p = payload as { chat_id: number; text: string };
    const result = { message_id: sent, date: 1_700_000_000, chat: { id: p.chat_id, type: "private", first_name: "Owner" }, text: p.text };
    return Promise.resolve({ ok: true as const, result: result as never });
  });
  installHandlers(bot, { host: gateway.host, log: () => undefined, secret: payloadSecretFromToken(TOKEN) });

  let id = 0;
  try {
    // Warm-up: JIT, caches, the first SQLite reads.
    for (let i = 0; i < 2000; i++) await bot.handleUpdate(statusUpdate(++id, OWNER));

    // The floor the plugin sets: the same command straight into the host, no Telegram adapter.
    const invocation = { channel: "telegram", chatId: String(OWNER), sender: { id: String(OWNER) }, isGroup: false, command: "model", args: " status", via: "text" } as const;
    const pluginOnly = await opsPerSecond(() => gateway.host.handleCommand(invocation, TELEGRAM_CAPABILITIES), 2000);

    const latencies: number[] = [];
    const start = performance.now();
    while (performance.now() - start < 2000) {
      const t0 = performance.now();
      await bot.handleUpdate(statusUpdate(++id, OWNER));
      latencies.push(performance.now() - t0);
    }
    const sequential = latencies.length / ((performance.now() - start) / 1000);

    // 64 chats at once, as the runner handles different chats concurrently.
    const chats = 64;
    let done = 0;
    const cStart = performance.now();
    while (performance.now() - cStart < 2000) {
      await Promise.all(Array.from({ length: chats }, (_, c) => bot.handleUpdate(statusUpdate(++id, OWNER + c))));
      done += chats;
    }
    const concurrent = done / ((performance.now() - cStart) / 1000);
    if (sent < id) throw new Error(`bench: only ${sent} of ${id} updates got a reply`);

    return [
      { name: "/model status updates, one at a time", value: sequential, unit: "updates/s", target: ">= 10000/s" },
      { name: "/model status p99 latency per update", value: percentile(latencies, 99), unit: "ms" },
      { name: "/model status via host.handleCommand alone (no adapter)", value: pluginOnly, unit: "ops/s" },
      { name: "/model status updates, 64 chats concurrently", value: concurrent, unit: "updates/s", target: ">= 10000/s" },
    ];
  } finally {
    await gateway.close();
    fs.rmSync(gateway.stateDir, { recursive: true, force: true });
  }
}
