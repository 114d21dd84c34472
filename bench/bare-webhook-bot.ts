/**
 * The floor of the Telegram webhook bench, run as its own process: a bare grammY bot behind
 * `webhookCallback` on node:http, whose `model` command sends a fixed reply (the gateway's own
 * `/model status` text) to the same fake Bot API, replying to the command as the gateway does.
 * Prints its port on stdout once it listens; SIGTERM stops it.
 *
 * Env: BENCH_TOKEN, BENCH_API_ROOT, BENCH_SECRET, BENCH_PATH, BENCH_REPLY, BENCH_BOT_INFO (JSON).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Bot, webhookCallback } from "grammy";
import type { UserFromGetMe } from "grammy/types";

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") throw new Error(`bare-webhook-bot: ${name} is not set`);
  return value;
}

const reply = required("BENCH_REPLY");
const path = required("BENCH_PATH");
const bot = new Bot(required("BENCH_TOKEN"), {
  botInfo: JSON.parse(required("BENCH_BOT_INFO")) as UserFromGetMe,
  client: { apiRoot: required("BENCH_API_ROOT") },
});
bot.command("model", (ctx) =>
  ctx.reply(reply, { reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true } }),
);
const handle = webhookCallback(bot, "http", { secretToken: required("BENCH_SECRET") });
const server = http.createServer((req, res) => {
  if (req.method === "POST" && req.url === path) return void handle(req, res);
  res.writeHead(404).end();
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`${(server.address() as AddressInfo).port}\n`));
process.once("SIGTERM", () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
