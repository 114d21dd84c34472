/**
 * A lean loopback Bot API for whole-process benches: it answers what a webhook bot calls (`getMe`,
 * `setWebhook`, the command menu, `sendMessage`) and hands each `sendMessage` text to whoever waits
 * for that chat's next reply. Unlike test/fakes/telegram-bot-api.ts it keeps no history and scans
 * no call list, so its cost per reply stays flat over tens of thousands of updates and weighs on
 * both bots alike.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { UserFromGetMe } from "grammy/types";

/** A running fake; see {@link startBotApiFake}. */
export interface BotApiFake {
  /** `http://127.0.0.1:<port>`, grammY's `client.apiRoot`. */
  readonly apiRoot: string;
  /** Resolves with the text of the next `sendMessage` to `chatId` (one that already came is returned at once). */
  nextReply(chatId: number): Promise<string>;
  close(): Promise<void>;
}

type Waiter = (text: string) => void;

/** The result of `sendMessage`: as much of a `Message` as grammY reads back. */
function sentMessage(id: number, chatId: number, text: string, botInfo: UserFromGetMe): object {
  return {
    message_id: id,
    from: { id: botInfo.id, is_bot: true, first_name: botInfo.first_name, username: botInfo.username },
    chat: { id: chatId, type: "private", first_name: "Owner" },
    date: Math.floor(Date.now() / 1000),
    text,
  };
}

/** Starts the fake on an ephemeral 127.0.0.1 port; only `token` is accepted. */
export async function startBotApiFake(token: string, botInfo: UserFromGetMe): Promise<BotApiFake> {
  const prefix = `/bot${token}/`;
  const waiting = new Map<number, Waiter[]>();
  const arrived = new Map<number, string[]>();
  let nextId = 0;

  const deliver = (chatId: number, text: string) => {
    const waiter = waiting.get(chatId)?.shift();
    if (waiter) waiter(text);
    else arrived.set(chatId, [...(arrived.get(chatId) ?? []), text]);
  };

  const answer = (method: string, params: Record<string, unknown>): { status: number; body: unknown } => {
    switch (method) {
      case "getMe":
        return { status: 200, body: { ok: true, result: botInfo } };
      case "getMyCommands":
        return { status: 200, body: { ok: true, result: [] } };
      case "sendMessage": {
        const chatId = Number(params.chat_id);
        const text = params.text;
        if (!Number.isSafeInteger(chatId) || typeof text !== "string" || text === "")
          return { status: 400, body: { ok: false, error_code: 400, description: "Bad Request: chat_id and text" } };
        deliver(chatId, text);
        return { status: 200, body: { ok: true, result: sentMessage(++nextId, chatId, text, botInfo) } };
      }
      default:
        // setWebhook, setMyCommands, deleteMyCommands, sendChatAction: accepted, nothing to keep.
        return { status: 200, body: { ok: true, result: true } };
    }
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = req.url ?? "";
      let out: { status: number; body: unknown };
      if (!url.startsWith(prefix))
        out = { status: 401, body: { ok: false, error_code: 401, description: "Unauthorized" } };
      else {
        const raw = Buffer.concat(chunks).toString("utf8");
        let params: Record<string, unknown> = {};
        try {
          params = raw === "" ? {} : (JSON.parse(raw) as Record<string, unknown>);
        } catch {
          params = {};
        }
        out = answer(url.slice(prefix.length).split("?")[0] ?? "", params);
      }
      const body = JSON.stringify(out.body);
      res.writeHead(out.status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
      res.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    nextReply(chatId) {
      const early = arrived.get(chatId)?.shift();
      if (early !== undefined) return Promise.resolve(early);
      return new Promise((resolve) => {
        const list = waiting.get(chatId);
        if (list) list.push(resolve);
        else waiting.set(chatId, [resolve]);
      });
    },
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
