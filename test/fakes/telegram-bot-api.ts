/**
 * A loopback fake of the Telegram Bot API, so end-to-end tests can drive a real
 * grammY `Bot` (`new Bot(fake.token, { client: { apiRoot: fake.apiRoot } })`)
 * without network access.
 *
 * It keeps just enough server state to answer like Telegram: long polling with
 * offset confirmation, per-chat message ids, edits, callback queries, bot
 * commands per scope and the webhook setting. Deliberate simplifications:
 *
 * - Text is stored as sent: `parse_mode` is recorded, never applied, so length
 *   checks and "not modified" comparisons look at the raw text.
 * - Parameters come from the query string, JSON or urlencoded bodies; there are
 *   no file uploads.
 * - Updates are only handed out by `getUpdates`. With a webhook set they stay
 *   queued; webhook tests POST updates to the gateway themselves (see
 *   {@link FakeTelegram.buildUserMessage} and {@link FakeTelegram.buildButtonPress}).
 * - Messages may only go to chats the fake has seen (in a pushed update or via
 *   {@link FakeTelegram.addChat}); anything else is "chat not found", which
 *   catches replies sent to a user id instead of a group id.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  BotCommand,
  Chat,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  ResponseParameters,
  Update,
  User,
  UserFromGetMe,
  WebhookInfo,
} from "grammy/types";
import { scaled } from "../support/slowness.js";

/** The chats a bot can talk in through this fake (no channels). */
export type FakeChat = Chat.PrivateChat | Chat.GroupChat | Chat.SupergroupChat;

/** A message as it appears in a `message` update or a method result. */
export type ChatMessage = Message & Update.NonChannel;

/** An error body as Telegram sends it, minus `ok: false`. */
export interface FakeApiError {
  error_code: number;
  description: string;
  parameters?: ResponseParameters;
}

/** One request the bot made, in arrival order. */
export interface Call {
  /** Canonical method name (`sendMessage`), whatever case the client used. */
  method: string;
  /** Merged query-string and body parameters, as decoded from the wire. */
  payload: Record<string, unknown>;
  /** `Date.now()` when the request body had been read. */
  at: number;
}

/** The current state of one message the bot sent. */
export interface BotMessage {
  message_id: number;
  /** Raw text as sent or last edited; `parse_mode` is not applied. */
  text: string;
  reply_markup?: InlineKeyboardMarkup;
  parse_mode?: string;
  message_thread_id?: number;
  /** Set once the message has been edited. */
  edit_date?: number;
}

/** One `answerCallbackQuery` the fake accepted. */
export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  at: number;
}

/** What `setWebhook` stored. */
export interface WebhookState {
  url: string;
  secret_token?: string;
  max_connections: number;
  allowed_updates?: string[];
}

/** A Telegram user as tests describe one; missing names get defaults. */
export interface UserInput {
  id: number;
  first_name?: string;
  last_name?: string;
  username?: string;
  language_code?: string;
}

/** A chat as tests describe one; see {@link buildChat} for the defaults. */
export interface ChatInput {
  id: number;
  type: "private" | "group" | "supergroup";
  title?: string;
  username?: string;
  is_forum?: boolean;
  /** Private chats only; defaults to the sender's first name. */
  first_name?: string;
}

/** A text message a user sends to the bot. */
export interface UserMessageInput {
  chat: ChatInput;
  from: UserInput;
  text: string;
  message_thread_id?: number;
  /** Defaults to true when `message_thread_id` is set in a forum supergroup. */
  is_topic_message?: boolean;
}

/** A press of an inline button on a message the bot sent. */
export interface ButtonPressInput {
  chatId: number;
  messageId: number;
  from: UserInput;
  data: string;
}

/** Options for {@link startFakeTelegram}. */
export interface FakeTelegramOptions {
  /** Defaults to `<botId>:TEST-fake-telegram-token`. */
  token?: string;
  /** Defaults to `fake_test_bot`. */
  botUsername?: string;
  /** Defaults to the numeric prefix of `token`, else 123456789. */
  botId?: number;
}

/** Handle on a running fake; see {@link startFakeTelegram}. */
export interface FakeTelegram {
  /** `http://127.0.0.1:<port>`; grammY appends `/bot<token>/<method>`. */
  readonly apiRoot: string;
  /** The only token the fake accepts; anything else gets 401 Unauthorized. */
  readonly token: string;
  /** What `getMe` returns. */
  readonly botInfo: UserFromGetMe;
  /** Every authorized request in arrival order, including failed ones. */
  readonly calls: readonly Call[];
  /** Every accepted `answerCallbackQuery`, in order. */
  readonly callbackAnswers: readonly CallbackAnswer[];
  /** The current webhook, or undefined when polling is allowed. */
  readonly webhook: WebhookState | undefined;
  /** Updates queued and not yet confirmed by a `getUpdates` offset. */
  readonly pendingUpdateCount: number;

  /** Calls to `method`, in order. */
  callsTo(method: string): Call[];
  /**
   * Resolves with the first call to `method` matching `predicate` that no
   * earlier `waitForCall` returned, whether it arrived before or after this
   * call, so sequential waits see sequential calls. Rejects after `timeoutMs`.
   */
  waitForCall(method: string, predicate?: (call: Call) => boolean, timeoutMs?: number): Promise<Call>;
  /** Makes the next `times` calls to `method` fail with `error` (no state change). */
  failNext(method: string, error: FakeApiError, times?: number): void;
  /** Drops the failures still queued for `method`: it answers normally again. */
  clearFailures(method: string): void;
  /**
   * Leaves calls to `method` unanswered (a slow Telegram) until the returned function is called;
   * then they, and later calls, are answered as usual.
   */
  hold(method: string): () => void;

  /** Current text and markup of every undeleted message the bot sent in a chat. */
  messages(chatId: number): BotMessage[];
  /** Commands stored for a scope (default scope when omitted) and language. */
  commands(scope?: unknown, languageCode?: string): BotCommand[];
  /** Makes a chat known, so the bot may message it before anyone wrote there. */
  addChat(chat: ChatInput): FakeChat;

  /** Queues a raw update (assigning `update_id` when missing) and returns it. */
  pushUpdate(update: Omit<Update, "update_id"> & { update_id?: number }): Update;
  /** Builds and queues a user's text message; returns the queued update. */
  userMessage(input: UserMessageInput): Update;
  /** Like {@link FakeTelegram.userMessage} but not queued, for webhook tests. */
  buildUserMessage(input: UserMessageInput): Update;
  /** Queues a callback query for a button on a bot message; returns the query id. */
  pressButton(input: ButtonPressInput): string;
  /** Like {@link FakeTelegram.pressButton} but not queued, for webhook tests. */
  buildButtonPress(input: ButtonPressInput): Update;

  /** Answers pending long polls with no updates, drops all sockets, stops listening. */
  close(): Promise<void>;
}

// Telegram leaves these out unless they are asked for explicitly.
const OPT_IN_UPDATES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

const CHAT_ACTIONS = new Set([
  "typing",
  "upload_photo",
  "record_video",
  "upload_video",
  "record_voice",
  "upload_voice",
  "upload_document",
  "choose_sticker",
  "find_location",
  "record_video_note",
  "upload_video_note",
]);

const MAX_TEXT_LENGTH = 4096;

class BotApiError extends Error {
  constructor(readonly body: FakeApiError) {
    super(body.description);
  }
}

const badRequest = (what: string): BotApiError =>
  new BotApiError({ error_code: 400, description: `Bad Request: ${what}` });
const conflict = (what: string): BotApiError => new BotApiError({ error_code: 409, description: `Conflict: ${what}` });

const NOT_MODIFIED =
  "message is not modified: specified new message content and reply markup are exactly the same " +
  "as a current content and reply markup of the message";
const METHOD_NOT_FOUND: FakeApiError = { error_code: 404, description: "Not Found: method not found" };

type Envelope = { ok: true; result: unknown } | ({ ok: false } & FakeApiError);

function reply(res: ServerResponse, envelope: Envelope): void {
  // A long poll may already have been abandoned by the client.
  if (res.writableEnded || res.destroyed) return;
  const body = JSON.stringify(envelope);
  res.writeHead(envelope.ok ? 200 : envelope.error_code, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

const ok = (result: unknown): Envelope => ({ ok: true, result });
const failed = (error: FakeApiError): Envelope => ({ ok: false, ...error });

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** JSON with sorted keys, so structurally equal values compare equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    isRecord(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

const unixNow = (): number => Math.floor(Date.now() / 1000);

/** Typed reads over a request's parameters, which may arrive as strings. */
class Params {
  constructor(readonly raw: Record<string, unknown>) {}

  string(key: string): string | undefined {
    const value = this.raw[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return value;
    if (typeof value === "number" || typeof value === "boolean") return String(value);
    throw badRequest(`wrong parameter ${key} in request`);
  }

  number(key: string): number | undefined {
    const value = this.raw[key];
    if (value === undefined || value === null) return undefined;
    const parsed = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
    if (typeof parsed === "number" && Number.isFinite(parsed)) return parsed;
    throw badRequest(`wrong parameter ${key} in request`);
  }

  boolean(key: string): boolean {
    const value = this.raw[key];
    return value === true || value === "true" || value === 1 || value === "1";
  }

  /** Objects and arrays may be sent JSON-serialized, as urlencoded bodies must. */
  json(key: string): unknown {
    const value = this.raw[key];
    if (typeof value !== "string") return value ?? undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw badRequest(`can't parse ${key} JSON object`);
    }
  }
}

async function readPayload(req: IncomingMessage, url: URL): Promise<Record<string, unknown>> {
  const fromQuery: Record<string, unknown> = Object.fromEntries(url.searchParams);
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk as Uint8Array));
  const body = Buffer.concat(chunks).toString("utf8");
  if (body.trim() === "") return fromQuery;

  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/json") {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      throw badRequest("can't parse JSON object");
    }
    if (!isRecord(parsed)) throw badRequest("JSON object expected");
    return { ...fromQuery, ...parsed };
  }
  if (type === "application/x-www-form-urlencoded") {
    return { ...fromQuery, ...Object.fromEntries(new URLSearchParams(body)) };
  }
  throw badRequest(`the fake Bot API does not accept "${type}" bodies`);
}

function requireText(p: Params): string {
  const text = p.string("text") ?? "";
  if (text.trim() === "") throw badRequest("message text is empty");
  if (text.length > MAX_TEXT_LENGTH) throw badRequest("message is too long");
  return text;
}

function parseEntities(p: Params): MessageEntity[] | undefined {
  const entities = p.json("entities");
  if (entities === undefined) return undefined;
  const valid = (e: unknown): boolean =>
    isRecord(e) && typeof e["type"] === "string" && typeof e["offset"] === "number" && typeof e["length"] === "number";
  if (!Array.isArray(entities) || !entities.every(valid)) throw badRequest("can't parse entities JSON object");
  return entities as unknown as MessageEntity[];
}

/**
 * Only inline keyboards are echoed back in a Message, as Telegram does; reply
 * keyboards and force_reply are accepted and forgotten.
 */
function parseInlineMarkup(p: Params): InlineKeyboardMarkup | undefined {
  const markup = p.json("reply_markup");
  if (markup === undefined) return undefined;
  if (!isRecord(markup)) throw badRequest("can't parse reply keyboard markup JSON object");
  const rows = markup["inline_keyboard"];
  if (rows === undefined) return undefined;
  if (!Array.isArray(rows) || !rows.every((row) => Array.isArray(row) && row.every(isRecord))) {
    throw badRequest("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  const buttons = (rows as Record<string, unknown>[][]).flat();
  for (const button of buttons) {
    if (typeof button["text"] !== "string") {
      throw badRequest('can\'t parse inline keyboard button: Field "text" must be of type String');
    }
    const data = button["callback_data"];
    // The 64-byte limit is easy to hit with generated data such as model names.
    if (data !== undefined && (typeof data !== "string" || data === "" || Buffer.byteLength(data) > 64)) {
      throw badRequest("BUTTON_DATA_INVALID");
    }
  }
  return buttons.length === 0 ? undefined : (markup as unknown as InlineKeyboardMarkup);
}

/** A `User` with Telegram-like defaults for missing names. */
export function buildUser(input: UserInput): User {
  return {
    id: input.id,
    is_bot: false,
    first_name: input.first_name ?? input.username ?? `User ${input.id}`,
    ...(input.last_name !== undefined && { last_name: input.last_name }),
    ...(input.username !== undefined && { username: input.username }),
    ...(input.language_code !== undefined && { language_code: input.language_code }),
  };
}

/**
 * A `Chat` as it appears in messages. Private chats take their names from
 * `from` (a private chat mirrors the user); groups default to a title.
 */
export function buildChat(input: ChatInput, from?: User): FakeChat {
  switch (input.type) {
    case "private": {
      const username = input.username ?? from?.username;
      return {
        id: input.id,
        type: "private",
        first_name: input.first_name ?? from?.first_name ?? `User ${input.id}`,
        ...(from?.last_name !== undefined && { last_name: from.last_name }),
        ...(username !== undefined && { username }),
      };
    }
    case "group":
      return { id: input.id, type: "group", title: input.title ?? "Test group" };
    case "supergroup":
      return {
        id: input.id,
        type: "supergroup",
        title: input.title ?? "Test supergroup",
        ...(input.username !== undefined && { username: input.username }),
        ...(input.is_forum === true && { is_forum: true as const }),
      };
  }
}

/**
 * The `bot_command` entity Telegram adds when text starts with a command,
 * covering `/cmd` and an `@botname` suffix but not the arguments.
 */
export function commandEntities(text: string): MessageEntity[] {
  const command = /^\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{1,32})?/.exec(text)?.[0];
  return command === undefined ? [] : [{ type: "bot_command", offset: 0, length: command.length }];
}

/**
 * A `message` update for a user's text message, without queueing it anywhere.
 * Prefer {@link FakeTelegram.buildUserMessage}, which also picks fresh ids and
 * lets the fake know the chat so the bot can answer in it.
 */
export function buildUserMessageUpdate(
  input: UserMessageInput,
  ids: { update_id: number; message_id: number; date?: number },
): Update {
  const from = buildUser(input.from);
  const chat = buildChat(input.chat, from);
  const entities = commandEntities(input.text);
  const inTopic = input.is_topic_message ?? (input.message_thread_id !== undefined && input.chat.is_forum === true);
  const message: ChatMessage = {
    message_id: ids.message_id,
    from,
    chat,
    date: ids.date ?? unixNow(),
    text: input.text,
    ...(entities.length > 0 && { entities }),
    ...(input.message_thread_id !== undefined && { message_thread_id: input.message_thread_id }),
    ...(inTopic && { is_topic_message: true }),
  };
  return { update_id: ids.update_id, message };
}

/** A stable, opaque per-chat value, like Telegram's `chat_instance`. */
function chatInstance(chatId: number): string {
  return String(BigInt(chatId) * 1_000_003n);
}

/**
 * A `callback_query` update for a button press on `message`, without queueing
 * it. Prefer {@link FakeTelegram.buildButtonPress}, which also registers the
 * query id so `answerCallbackQuery` accepts it.
 */
export function buildCallbackQueryUpdate(input: {
  update_id: number;
  id: string;
  from: UserInput;
  message: ChatMessage;
  data: string;
  chat_instance?: string;
}): Update {
  return {
    update_id: input.update_id,
    callback_query: {
      id: input.id,
      from: buildUser(input.from),
      message: input.message,
      chat_instance: input.chat_instance ?? chatInstance(input.message.chat.id),
      data: input.data,
    },
  };
}

interface StoredMessage {
  message: ChatMessage;
  fromBot: boolean;
  parseMode?: string;
}

interface PendingPoll {
  res: ServerResponse;
  limit: number;
  timer: NodeJS.Timeout;
}

interface CallWaiter {
  matches: (call: Call) => boolean;
  resolve: (call: Call) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

type Handler = (p: Params) => unknown;

function updateType(update: Update): string | undefined {
  return Object.keys(update).find((key) => key !== "update_id");
}

/** Normalizes ids to strings so `chat_id: 1` and `chat_id: "1"` name one scope. */
function scopeKey(scope: unknown, languageCode: string | undefined): string {
  const s = isRecord(scope) ? scope : { type: "default" };
  const normalized = {
    ...s,
    ...(s["chat_id"] !== undefined && { chat_id: String(s["chat_id"]) }),
    ...(s["user_id"] !== undefined && { user_id: String(s["user_id"]) }),
  };
  return canonicalJson({ scope: normalized, language_code: languageCode ?? "" });
}

class FakeTelegramServer implements FakeTelegram {
  apiRoot = "";
  readonly token: string;
  readonly botInfo: UserFromGetMe;
  readonly calls: Call[] = [];
  readonly callbackAnswers: CallbackAnswer[] = [];

  private readonly server = createServer((req, res) => void this.route(req, res));
  private readonly botUser: User;
  private readonly handlers: Map<string, Handler>;
  /** Lower-case name → canonical name, because Bot API methods are case-insensitive. */
  private readonly methodNames = new Map<string, string>();

  private readonly chats = new Map<number, FakeChat>();
  private readonly history = new Map<number, Map<number, StoredMessage>>();
  private readonly lastMessageId = new Map<number, number>();

  private readonly queue: Update[] = [];
  private nextUpdateId = 1;
  private poll: PendingPoll | undefined;
  private deliveryScheduled = false;
  /** Empty means Telegram's default set. */
  private allowedUpdates: string[] = [];
  private webhookState: WebhookState | undefined;

  private readonly commandLists = new Map<string, BotCommand[]>();
  private readonly queries = new Map<string, { answered: boolean }>();
  private nextQueryId = 1;
  private readonly failures = new Map<string, { error: FakeApiError; remaining: number }[]>();
  private readonly holds = new Map<string, Promise<void>>();

  private readonly consumed = new WeakSet<Call>();
  private waiters: CallWaiter[] = [];
  private closing: Promise<void> | undefined;

  constructor(opts: FakeTelegramOptions) {
    const tokenId = Number(opts.token?.split(":")[0]);
    const botId = opts.botId ?? (Number.isSafeInteger(tokenId) && tokenId > 0 ? tokenId : 123456789);
    this.token = opts.token ?? `${botId}:TEST-fake-telegram-token`;
    const username = opts.botUsername ?? "fake_test_bot";
    this.botUser = { id: botId, is_bot: true, first_name: "Fake Bot", username };
    this.botInfo = botInfoFor(botId, username, "Fake Bot");
    this.handlers = new Map<string, Handler>([
      ["getMe", () => this.botInfo],
      ["sendMessage", (p) => this.sendMessage(p)],
      ["editMessageText", (p) => this.editMessageText(p)],
      ["editMessageReplyMarkup", (p) => this.editMessageReplyMarkup(p)],
      ["deleteMessage", (p) => this.deleteMessage(p)],
      ["sendChatAction", (p) => this.sendChatAction(p)],
      ["sendMessageDraft", (p) => this.sendMessageDraft(p)],
      ["answerCallbackQuery", (p) => this.answerCallbackQuery(p)],
      ["setMyCommands", (p) => this.setMyCommands(p)],
      ["getMyCommands", (p) => this.commands(p.json("scope"), p.string("language_code"))],
      ["deleteMyCommands", (p) => this.deleteMyCommands(p)],
      ["setWebhook", (p) => this.setWebhook(p)],
      ["deleteWebhook", (p) => this.deleteWebhook(p)],
      ["getWebhookInfo", () => this.webhookInfo()],
    ]);
    for (const name of [...this.handlers.keys(), "getUpdates"]) this.methodNames.set(name.toLowerCase(), name);
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(0, "127.0.0.1", () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.apiRoot = `http://127.0.0.1:${port}`;
  }

  get webhook(): WebhookState | undefined {
    return this.webhookState;
  }

  get pendingUpdateCount(): number {
    return this.queue.length;
  }

  // ---- recording and scripting -------------------------------------------

  callsTo(method: string): Call[] {
    return this.calls.filter((call) => call.method === method);
  }

  async waitForCall(method: string, predicate?: (call: Call) => boolean, timeoutMs = scaled(5000)): Promise<Call> {
    const matches = (call: Call): boolean =>
      call.method === method && !this.consumed.has(call) && (predicate === undefined || predicate(call));
    const seen = this.calls.find(matches);
    if (seen !== undefined) {
      this.consumed.add(seen);
      return seen;
    }
    if (this.closing !== undefined) throw new Error(`waitForCall(${method}): the fake Telegram is closed`);
    return await new Promise<Call>((resolve, reject) => {
      const waiter: CallWaiter = {
        matches,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          const seenPayloads = this.callsTo(method).map((call) => call.payload);
          const seen = JSON.stringify(seenPayloads);
          reject(new Error(`waitForCall(${method}) timed out after ${timeoutMs} ms; ${method} calls so far: ${seen}`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private notifyWaiters(call: Call): void {
    for (const waiter of [...this.waiters]) {
      let hit: boolean;
      try {
        hit = waiter.matches(call);
      } catch (error) {
        this.settle(waiter);
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
        continue;
      }
      if (hit) {
        this.consumed.add(call);
        this.settle(waiter);
        waiter.resolve(call);
        return;
      }
    }
  }

  private settle(waiter: CallWaiter): void {
    clearTimeout(waiter.timer);
    this.waiters = this.waiters.filter((w) => w !== waiter);
  }

  failNext(method: string, error: FakeApiError, times = 1): void {
    const list = this.failures.get(method) ?? [];
    list.push({ error, remaining: times });
    this.failures.set(method, list);
  }

  clearFailures(method: string): void {
    this.failures.delete(method);
  }

  hold(method: string): () => void {
    let release!: () => void; // assigned synchronously by the Promise executor
    this.holds.set(
      method,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    );
    return () => {
      this.holds.delete(method);
      release();
    };
  }

  private takeFailure(method: string): FakeApiError | undefined {
    const next = this.failures.get(method)?.[0];
    if (next === undefined) return undefined;
    next.remaining -= 1;
    if (next.remaining <= 0) this.failures.get(method)?.shift();
    return next.error;
  }

  // ---- HTTP ----------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const match = /^\/bot([^/]*)\/([^/]+)$/.exec(url.pathname);
    if (match === null) return reply(res, failed({ error_code: 404, description: "Not Found" }));
    if (safeDecode(match[1] ?? "") !== this.token) {
      return reply(res, failed({ error_code: 401, description: "Unauthorized" }));
    }
    let payload: Record<string, unknown>;
    try {
      payload = await readPayload(req, url);
    } catch (error) {
      return reply(res, toEnvelope(error));
    }
    const rawMethod = match[2] ?? "";
    const method = this.methodNames.get(rawMethod.toLowerCase()) ?? rawMethod;
    const call: Call = { method, payload, at: Date.now() };
    this.calls.push(call);
    await this.holds.get(method);
    try {
      const failure = this.takeFailure(method);
      const handler = this.handlers.get(method);
      if (failure !== undefined) reply(res, failed(failure));
      else if (method === "getUpdates") this.getUpdates(new Params(payload), res);
      else if (handler === undefined) reply(res, failed(METHOD_NOT_FOUND));
      else reply(res, ok(handler(new Params(payload))));
    } catch (error) {
      reply(res, toEnvelope(error));
    }
    // After handling, so a test resuming from waitForCall sees the new state.
    this.notifyWaiters(call);
  }

  // ---- updates -------------------------------------------------------------

  private getUpdates(p: Params, res: ServerResponse): void {
    if (this.webhookState !== undefined) {
      throw conflict(
        "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    this.endPoll(
      failed(conflict("terminated by other getUpdates request; make sure that only one bot instance is running").body),
    );
    this.confirm(p.number("offset") ?? 0);
    const allowed = stringList(p.json("allowed_updates"));
    if (allowed !== undefined) this.allowedUpdates = allowed;
    const limit = Math.min(100, Math.max(1, p.number("limit") ?? 100));
    const timeout = Math.max(0, p.number("timeout") ?? 0);

    const ready = this.deliverable(limit);
    if (ready.length > 0 || timeout === 0 || this.closing !== undefined) return reply(res, ok(ready));

    const poll: PendingPoll = { res, limit, timer: setTimeout(() => this.endPoll(ok([])), timeout * 1000) };
    // grammY aborts its pending poll on bot.stop(); forget it so nothing is written to a dead socket.
    res.on("close", () => {
      if (this.poll !== poll) return;
      clearTimeout(poll.timer);
      this.poll = undefined;
    });
    this.poll = poll;
  }

  /** Telegram forgets updates below a positive offset; a negative one keeps the last -offset. */
  private confirm(offset: number): void {
    if (offset > 0) {
      const keepFrom = this.queue.findIndex((u) => u.update_id >= offset);
      this.queue.splice(0, keepFrom === -1 ? this.queue.length : keepFrom);
    } else if (offset < 0) {
      this.queue.splice(0, Math.max(0, this.queue.length + offset));
    }
  }

  private deliverable(limit: number): Update[] {
    return this.queue.filter((u) => this.isAllowed(u)).slice(0, limit);
  }

  private isAllowed(update: Update): boolean {
    const type = updateType(update) ?? "";
    return this.allowedUpdates.length === 0 ? !OPT_IN_UPDATES.has(type) : this.allowedUpdates.includes(type);
  }

  private endPoll(envelope: Envelope): void {
    const poll = this.poll;
    if (poll === undefined) return;
    clearTimeout(poll.timer);
    this.poll = undefined;
    reply(poll.res, envelope);
  }

  private scheduleDelivery(): void {
    if (this.deliveryScheduled) return;
    this.deliveryScheduled = true;
    // Deferred so updates pushed in one synchronous burst arrive in one batch.
    setImmediate(() => {
      this.deliveryScheduled = false;
      if (this.poll === undefined) return;
      const ready = this.deliverable(this.poll.limit);
      if (ready.length > 0) this.endPoll(ok(ready));
    });
  }

  pushUpdate(update: Omit<Update, "update_id"> & { update_id?: number }): Update {
    const full: Update = { ...update, update_id: update.update_id ?? this.nextUpdateId };
    this.nextUpdateId = Math.max(this.nextUpdateId, full.update_id + 1);
    this.learn(full);
    this.queue.push(full);
    this.queue.sort((a, b) => a.update_id - b.update_id);
    this.scheduleDelivery();
    return full;
  }

  /** Remembers chats and user messages from raw updates, so the bot can answer them. */
  private learn(update: Update): void {
    for (const message of [update.message, update.edited_message]) {
      if (message === undefined) continue;
      this.chats.set(message.chat.id, message.chat);
      this.store(message, { fromBot: message.from.id === this.botUser.id });
    }
    const pressed = update.callback_query?.message;
    if (pressed !== undefined && pressed.chat.type !== "channel") this.chats.set(pressed.chat.id, pressed.chat);
  }

  userMessage(input: UserMessageInput): Update {
    return this.pushUpdate(this.buildUserMessage(input));
  }

  buildUserMessage(input: UserMessageInput): Update {
    const update = buildUserMessageUpdate(input, {
      update_id: this.nextUpdateId++,
      message_id: this.allocateMessageId(input.chat.id),
    });
    this.learn(update);
    return update;
  }

  pressButton(input: ButtonPressInput): string {
    const update = this.pushUpdate(this.buildButtonPress(input));
    return update.callback_query?.id ?? "";
  }

  buildButtonPress(input: ButtonPressInput): Update {
    const stored = this.history.get(input.chatId)?.get(input.messageId);
    if (stored === undefined || !stored.fromBot) {
      throw new Error(`pressButton: the bot has no message ${input.messageId} in chat ${input.chatId}`);
    }
    // A user can only press what is on screen; failing here catches stale test data early.
    const offered = (stored.message.reply_markup?.inline_keyboard ?? [])
      .flat()
      .flatMap((button) => ("callback_data" in button ? [button.callback_data] : []));
    if (!offered.includes(input.data)) {
      throw new Error(
        `pressButton: message ${input.messageId} has no button with data ${JSON.stringify(input.data)}; ` +
          `it offers ${JSON.stringify(offered)}`,
      );
    }
    const id = String(BigInt(this.botUser.id) * 1_000_000n + BigInt(this.nextQueryId++));
    this.queries.set(id, { answered: false });
    return buildCallbackQueryUpdate({
      update_id: this.nextUpdateId++,
      id,
      from: input.from,
      message: stored.message,
      data: input.data,
    });
  }

  // ---- chats and messages ------------------------------------------------

  addChat(input: ChatInput): FakeChat {
    const chat = buildChat(input);
    this.chats.set(chat.id, chat);
    return chat;
  }

  messages(chatId: number): BotMessage[] {
    return [...(this.history.get(chatId)?.values() ?? [])]
      .filter((stored) => stored.fromBot)
      .map(({ message, parseMode }) => ({
        message_id: message.message_id,
        text: message.text ?? "",
        ...(message.reply_markup !== undefined && { reply_markup: message.reply_markup }),
        ...(parseMode !== undefined && { parse_mode: parseMode }),
        ...(message.message_thread_id !== undefined && { message_thread_id: message.message_thread_id }),
        ...(message.edit_date !== undefined && { edit_date: message.edit_date }),
      }));
  }

  /** Message ids count per chat and are shared by users and the bot, as in Telegram. */
  private allocateMessageId(chatId: number): number {
    const id = (this.lastMessageId.get(chatId) ?? 0) + 1;
    this.lastMessageId.set(chatId, id);
    return id;
  }

  private store(message: ChatMessage, meta: { fromBot: boolean; parseMode?: string | undefined }): void {
    const chatId = message.chat.id;
    const perChat = this.history.get(chatId) ?? new Map<number, StoredMessage>();
    this.history.set(chatId, perChat);
    perChat.set(message.message_id, {
      message,
      fromBot: meta.fromBot,
      ...(meta.parseMode !== undefined && { parseMode: meta.parseMode }),
    });
    this.lastMessageId.set(chatId, Math.max(this.lastMessageId.get(chatId) ?? 0, message.message_id));
  }

  private requireChat(p: Params): FakeChat {
    const raw = p.string("chat_id");
    if (raw === undefined || raw === "") throw badRequest("chat_id is empty");
    const chat = raw.startsWith("@")
      ? [...this.chats.values()].find((c) => c.username !== undefined && `@${c.username}` === raw)
      : this.chats.get(Number(raw));
    if (chat === undefined) throw badRequest("chat not found");
    return chat;
  }

  private requireMessage(p: Params, notFound: string): StoredMessage {
    if (p.string("inline_message_id") !== undefined) {
      throw badRequest("inline messages are not supported by the fake Bot API");
    }
    const chat = this.requireChat(p);
    const messageId = p.number("message_id");
    if (messageId === undefined) throw badRequest("message identifier is not specified");
    const stored = this.history.get(chat.id)?.get(messageId);
    if (stored === undefined) throw badRequest(notFound);
    return stored;
  }

  private replyTarget(p: Params, chatId: number): ChatMessage | undefined {
    const params = p.json("reply_parameters");
    const replyId = isRecord(params) ? params["message_id"] : p.number("reply_to_message_id");
    if (replyId === undefined) return undefined;
    const target = this.history.get(chatId)?.get(Number(replyId));
    const allowMissing =
      (isRecord(params) && params["allow_sending_without_reply"] === true) || p.boolean("allow_sending_without_reply");
    if (target === undefined && !allowMissing) throw badRequest("message to be replied not found");
    return target?.message;
  }

  private sendMessage(p: Params): ChatMessage {
    const chat = this.requireChat(p);
    const text = requireText(p);
    const entities = parseEntities(p);
    const markup = parseInlineMarkup(p);
    const threadId = p.number("message_thread_id");
    const replyTo = this.replyTarget(p, chat.id);
    const message: ChatMessage = {
      message_id: this.allocateMessageId(chat.id),
      from: this.botUser,
      chat,
      date: unixNow(),
      text,
      ...(entities !== undefined && { entities }),
      ...(threadId !== undefined && { message_thread_id: threadId }),
      ...(threadId !== undefined && chat.is_forum === true && { is_topic_message: true }),
      // Telegram nests replies only one level deep.
      ...(replyTo !== undefined && { reply_to_message: withoutNestedReply(replyTo) }),
      ...(markup !== undefined && { reply_markup: markup }),
    };
    this.store(message, { fromBot: true, parseMode: p.string("parse_mode") });
    return message;
  }

  private editMessageText(p: Params): ChatMessage {
    const stored = this.requireMessage(p, "message to edit not found");
    if (!stored.fromBot) throw badRequest("message can't be edited");
    const text = requireText(p);
    const entities = parseEntities(p);
    const parseMode = p.string("parse_mode");
    // Omitting reply_markup removes the keyboard, exactly as on Telegram.
    const markup = parseInlineMarkup(p);
    const old = stored.message;
    const unchanged =
      text === old.text &&
      parseMode === stored.parseMode &&
      canonicalJson(entities) === canonicalJson(old.entities) &&
      canonicalJson(markup) === canonicalJson(old.reply_markup);
    if (unchanged) throw badRequest(NOT_MODIFIED);
    const { entities: _oldEntities, reply_markup: _oldMarkup, ...rest } = old;
    const edited: ChatMessage = {
      ...rest,
      text,
      edit_date: unixNow(),
      ...(entities !== undefined && { entities }),
      ...(markup !== undefined && { reply_markup: markup }),
    };
    this.store(edited, { fromBot: true, parseMode });
    return edited;
  }

  private editMessageReplyMarkup(p: Params): ChatMessage {
    const stored = this.requireMessage(p, "message to edit not found");
    if (!stored.fromBot) throw badRequest("message can't be edited");
    const markup = parseInlineMarkup(p);
    if (canonicalJson(markup) === canonicalJson(stored.message.reply_markup)) throw badRequest(NOT_MODIFIED);
    const { reply_markup: _oldMarkup, ...rest } = stored.message;
    const edited: ChatMessage = {
      ...rest,
      edit_date: unixNow(),
      ...(markup !== undefined && { reply_markup: markup }),
    };
    this.store(edited, { fromBot: true, parseMode: stored.parseMode });
    return edited;
  }

  private deleteMessage(p: Params): true {
    const stored = this.requireMessage(p, "message to delete not found");
    this.history.get(stored.message.chat.id)?.delete(stored.message.message_id);
    return true;
  }

  // Drafts are previews that Telegram keeps for a short while; they are recorded as calls only.
  private sendMessageDraft(p: Params): true {
    const chat = this.requireChat(p);
    if (chat.type !== "private") throw badRequest("drafts can be sent only to private chats");
    if (!p.number("draft_id")) throw badRequest("draft_id must be non-zero");
    if ((p.string("text") ?? "").length > MAX_TEXT_LENGTH) throw badRequest("message is too long");
    return true;
  }

  private sendChatAction(p: Params): true {
    this.requireChat(p);
    if (!CHAT_ACTIONS.has(p.string("action") ?? "")) throw badRequest("wrong parameter action in request");
    return true;
  }

  private answerCallbackQuery(p: Params): true {
    const id = p.string("callback_query_id") ?? "";
    const query = this.queries.get(id);
    if (query === undefined || query.answered) {
      throw badRequest("query is too old and response timeout expired or query ID is invalid");
    }
    query.answered = true;
    const text = p.string("text");
    const url = p.string("url");
    const cacheTime = p.number("cache_time");
    this.callbackAnswers.push({
      callback_query_id: id,
      ...(text !== undefined && { text }),
      ...(p.raw["show_alert"] !== undefined && { show_alert: p.boolean("show_alert") }),
      ...(url !== undefined && { url }),
      ...(cacheTime !== undefined && { cache_time: cacheTime }),
      at: Date.now(),
    });
    return true;
  }

  // ---- commands and webhook ----------------------------------------------

  commands(scope?: unknown, languageCode?: string): BotCommand[] {
    return this.commandLists.get(scopeKey(scope, languageCode)) ?? [];
  }

  private setMyCommands(p: Params): true {
    const commands = p.json("commands");
    if (!Array.isArray(commands)) throw badRequest("can't parse commands JSON object");
    const parsed = commands.map((entry): BotCommand => {
      if (!isRecord(entry) || typeof entry["command"] !== "string" || typeof entry["description"] !== "string") {
        throw badRequest("can't parse BotCommand");
      }
      if (!/^[a-z0-9_]{1,32}$/.test(entry["command"])) throw badRequest("BOT_COMMAND_INVALID");
      return { command: entry["command"], description: entry["description"] };
    });
    const key = scopeKey(p.json("scope"), p.string("language_code"));
    // An empty list is how Telegram clears a scope, too.
    if (parsed.length === 0) this.commandLists.delete(key);
    else this.commandLists.set(key, parsed);
    return true;
  }

  private deleteMyCommands(p: Params): true {
    this.commandLists.delete(scopeKey(p.json("scope"), p.string("language_code")));
    return true;
  }

  private setWebhook(p: Params): true {
    const url = p.string("url") ?? "";
    if (url === "") return this.deleteWebhook(p);
    if (!/^https:\/\//i.test(url)) throw badRequest("bad webhook: An HTTPS URL must be provided for webhook");
    const secret = p.string("secret_token") || undefined;
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) {
      throw badRequest("secret token contains unallowed characters");
    }
    const allowedUpdates = stringList(p.json("allowed_updates"));
    if (allowedUpdates !== undefined) this.allowedUpdates = allowedUpdates;
    if (p.boolean("drop_pending_updates")) this.queue.length = 0;
    this.webhookState = {
      url,
      ...(secret !== undefined && { secret_token: secret }),
      max_connections: p.number("max_connections") ?? 40,
      ...(allowedUpdates !== undefined && { allowed_updates: allowedUpdates }),
    };
    this.endPoll(failed(conflict("terminated by setWebhook request").body));
    return true;
  }

  private deleteWebhook(p: Params): true {
    if (p.boolean("drop_pending_updates")) this.queue.length = 0;
    this.webhookState = undefined;
    return true;
  }

  private webhookInfo(): WebhookInfo {
    const hook = this.webhookState;
    return {
      url: hook?.url ?? "",
      has_custom_certificate: false,
      pending_update_count: this.queue.length,
      ...(hook !== undefined && { max_connections: hook.max_connections }),
      ...(hook?.allowed_updates !== undefined && {
        allowed_updates: hook.allowed_updates as NonNullable<WebhookInfo["allowed_updates"]>,
      }),
    };
  }

  // ---- shutdown ------------------------------------------------------------

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const pending = this.poll?.res;
    this.endPoll(ok([]));
    // Let the empty answer reach the client before its socket is destroyed.
    if (pending !== undefined && !pending.writableFinished) {
      await new Promise<void>((resolve) => {
        pending.once("finish", resolve);
        pending.once("close", resolve);
      });
    }
    for (const waiter of [...this.waiters]) {
      this.settle(waiter);
      waiter.reject(new Error("the fake Telegram was closed while waiting for a call"));
    }
    await new Promise<void>((resolve, reject) => {
      this.server.close((error) => (error === undefined ? resolve() : reject(error)));
      // Keep-alive sockets from grammY's agent would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }
}

function safeDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

function toEnvelope(error: unknown): Envelope {
  if (error instanceof BotApiError) return failed(error.body);
  const message = error instanceof Error ? error.message : String(error);
  return failed({ error_code: 500, description: `Internal Server Error: ${message}` });
}

/**
 * Starts a fake Telegram Bot API on an ephemeral 127.0.0.1 port.
 *
 * @example
 * const fake = await startFakeTelegram({ botUsername: "gateway_bot" });
 * const bot = new Bot(fake.token, { client: { apiRoot: fake.apiRoot } });
 * // ... drive the bot ...
 * await fake.close();
 */
export async function startFakeTelegram(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
  const fake = new FakeTelegramServer(opts);
  await fake.listen();
  return fake;
}

/** A complete `getMe` answer, as grammY's `botInfo` option wants it (skips the network call). */
export function botInfoFor(id: number, username: string, firstName: string): UserFromGetMe {
  return {
    id,
    is_bot: true,
    first_name: firstName,
    username,
    can_join_groups: true,
    can_read_all_group_messages: false,
    supports_inline_queries: false,
    can_connect_to_business: false,
    has_main_web_app: false,
    has_topics_enabled: false,
    allows_users_to_create_topics: false,
    can_manage_bots: false,
    supports_join_request_queries: false,
  };
}

/** Telegram nests replies one level deep: the message replied to carries no reply of its own. */
function withoutNestedReply(m: ChatMessage): NonNullable<ChatMessage["reply_to_message"]> {
  const { reply_to_message: _nested, ...rest } = m;
  return rest as NonNullable<ChatMessage["reply_to_message"]>;
}
