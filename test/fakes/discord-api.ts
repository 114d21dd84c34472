/**
 * Loopback fake of Discord's REST API and Gateway for end-to-end tests that
 * drive the real discord.js client.
 *
 * One `node:http` server on 127.0.0.1 serves REST under `/api/v10/...` and
 * accepts gateway WebSocket upgrades on any path. Point discord.js at it with
 * `new Client({ intents, rest: { api: fake.restApi } })`; the gateway URL is
 * discovered through `GET /gateway/bot`, exactly like production.
 *
 * The fake behaves like Discord where tests can observe a difference: bot-token
 * auth, one acknowledgement per interaction (40060), `@original` only existing
 * after a callback, stable ids for bulk-overwritten commands.
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ChannelType,
  ComponentType,
  GatewayOpcodes,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
  PermissionsBitField,
  type APIActionRowComponent,
  type APIApplicationCommand,
  type APIApplicationCommandAutocompleteInteraction,
  type APIApplicationCommandInteractionDataBasicOption,
  type APIApplicationCommandInteractionDataOption,
  type APIAttachment,
  type APIChatInputApplicationCommandInteraction,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIInteraction,
  type APIInteractionGuildMember,
  type APIMessage,
  type APIMessageComponentInteraction,
  type APIMessageComponentInteractionData,
  type APIMessageTopLevelComponent,
  type APIUser,
  type ApplicationFlags,
  type ChannelFlags,
  type GuildMemberFlags,
  type UserFlags,
  type GatewayIdentifyData,
  type GatewayReadyDispatchData,
} from "discord.js";
import { WebSocket, WebSocketServer } from "ws";
import { scaled } from "../support/slowness.js";

/** Options for {@link startFakeDiscord}. */
export interface FakeDiscordOptions {
  /** Bot token REST and IDENTIFY must present. Default `'fake-bot-token'`. */
  token?: string;
  /** Application id. Default: same as the bot user id, as for real bots. */
  applicationId?: string;
  /** Bot user id. Default `'1100000000000000001'`. */
  botUserId?: string;
  /**
   * Guilds the bot is in: listed as unavailable in READY and then sent as
   * GUILD_CREATE (discord.js waits for those before `clientReady`).
   */
  guilds?: FakeGuild[];
}

/** A guild announced over the gateway; `channels` become cached text channels. */
export interface FakeGuild {
  id: string;
  name?: string;
  channels?: { id: string; name?: string }[];
}

/** A file part of a multipart request. */
export interface RecordedFile {
  field: string;
  filename: string;
  contentType: string;
  size: number;
}

/** One REST request as the fake saw it. */
export interface RecordedRequest {
  method: string;
  /** Route without the `/api/v10` prefix, e.g. `/interactions/1/tok/callback`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body (or multipart `payload_json`); `undefined` when empty. */
  body: unknown;
  files: RecordedFile[];
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Status the fake answered with. */
  status: number;
  /** `Date.now()` when the request had been read. */
  at: number;
}

/** One accepted answer to an interaction, in the order they were made. */
export interface InteractionResponseRecord {
  kind: "callback" | "edit" | "delete" | "followup";
  /** Message the answer created or touched (absent for e.g. autocomplete results). */
  messageId?: string;
  body: unknown;
}

/** The user an injected interaction comes from. */
export interface FakeUserInput {
  id: string;
  username: string;
  globalName?: string;
}

/** Input for {@link FakeDiscord.slashCommand}. */
export interface SlashCommandInput {
  name: string;
  /**
   * Either `{ optionName: value }` (strings → STRING, integers → INTEGER,
   * other numbers → NUMBER, booleans → BOOLEAN) or raw interaction options.
   */
  options?: Record<string, string | number | boolean> | APIApplicationCommandInteractionDataOption[];
  /** Wraps `options` in this subcommand (only with the record form). */
  subcommand?: string;
  user: FakeUserInput;
  /** Omit for a DM with the bot. */
  guildId?: string;
  channelId: string;
  /** Name of the focused option; turns the interaction into AUTOCOMPLETE (type 4). */
  focused?: string;
}

/** Input for {@link FakeDiscord.componentInteraction}. */
export interface ComponentInteractionInput {
  customId: string;
  componentType: ComponentType.Button | ComponentType.StringSelect;
  /** Selected values for a string select. */
  values?: string[];
  user: FakeUserInput;
  channelId: string;
  guildId?: string;
  /** The message carrying the component; a message the fake already stores is reused. */
  messageId: string;
}

type Json = Record<string, unknown>;
type InteractionChannel = NonNullable<APIInteraction["channel"]>;

/** Command options as either a command or an autocomplete interaction carries them. */
type CommandInteractionType = InteractionType.ApplicationCommand | InteractionType.ApplicationCommandAutocomplete;
type DataOption = APIApplicationCommandInteractionDataOption<CommandInteractionType>;
type BasicDataOption = APIApplicationCommandInteractionDataBasicOption<CommandInteractionType>;

interface Reply {
  status: number;
  body?: unknown;
}

interface RouteContext {
  params: string[];
  query: URLSearchParams;
  body: unknown;
  files: RecordedFile[];
}

interface Route {
  method: string;
  pattern: RegExp;
  /** Interaction callbacks and webhooks are authorized by the token in the path. */
  auth: boolean;
  handler: (ctx: RouteContext) => Reply;
}

interface InteractionState {
  interaction: APIInteraction;
  acknowledged: boolean;
  originalMessageId?: string;
  responses: InteractionResponseRecord[];
}

interface GatewaySession {
  socket: WebSocket;
  send: (payload: Json) => void;
  seq: number;
  identified: boolean;
  sessionId: string;
}

interface Waiter {
  predicate: (request: RecordedRequest) => boolean;
  resolve: (request: RecordedRequest) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

const DISCORD_EPOCH = 1420070400000n;
let snowflakeIncrement = 0n;

/** A unique, time-ordered snowflake in Discord's format. */
export function snowflake(): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | snowflakeIncrement);
}

const MEMBER_PERMISSIONS = String(PermissionsBitField.Default);
const APP_PERMISSIONS = String(
  PermissionFlagsBits.ViewChannel |
    PermissionFlagsBits.SendMessages |
    PermissionFlagsBits.SendMessagesInThreads |
    PermissionFlagsBits.EmbedLinks |
    PermissionFlagsBits.AttachFiles |
    PermissionFlagsBits.ReadMessageHistory |
    PermissionFlagsBits.AddReactions |
    PermissionFlagsBits.UseExternalEmojis |
    PermissionFlagsBits.UseApplicationCommands,
);

/** Callback types Discord accepts per interaction type. */
const ALLOWED_CALLBACKS: Record<number, readonly number[]> = {
  [InteractionType.Ping]: [InteractionResponseType.Pong],
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
    InteractionResponseType.LaunchActivity,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [InteractionResponseType.ApplicationCommandAutocompleteResult],
  [InteractionType.ModalSubmit]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
  ],
};

const ERRORS = {
  unauthorized: { status: 401, body: { message: "401: Unauthorized", code: 0 } },
  notFound: { status: 404, body: { message: "404: Not Found", code: 0 } },
  missingAccess: { status: 403, body: { message: "Missing Access", code: 50001 } },
  unknownInteraction: { status: 404, body: { message: "Unknown interaction", code: 10062 } },
  unknownWebhook: { status: 404, body: { message: "Unknown Webhook", code: 10015 } },
  unknownMessage: { status: 404, body: { message: "Unknown Message", code: 10008 } },
  unknownChannel: { status: 404, body: { message: "Unknown Channel", code: 10003 } },
  alreadyAcknowledged: { status: 400, body: { message: "Interaction has already been acknowledged.", code: 40060 } },
  invalidJson: { status: 400, body: { message: "The request body contains invalid JSON.", code: 50109 } },
} satisfies Record<string, Reply>;

function invalidForm(field: string, message: string): Reply {
  return {
    status: 400,
    body: {
      message: "Invalid Form Body",
      code: 50035,
      errors: { [field]: { _errors: [{ code: "INVALID", message }] } },
    },
  };
}

function isRecord(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Fields of a create/edit message body that end up on the stored message. */
function messageFields(body: Json): Partial<APIMessage> {
  const fields: Partial<APIMessage> = {};
  if (typeof body.content === "string" || body.content === null) fields.content = body.content ?? "";
  if (Array.isArray(body.embeds)) fields.embeds = body.embeds as APIEmbed[];
  if (Array.isArray(body.components)) fields.components = body.components as APIMessageTopLevelComponent[];
  if (typeof body.flags === "number") fields.flags = body.flags;
  if (typeof body.tts === "boolean") fields.tts = body.tts;
  return fields;
}

/**
 * Frames a gateway payload for `compress=zlib-stream` using stored (uncompressed)
 * deflate blocks: a valid zlib stream for any inflater, without having to keep an
 * async deflate stream in step with the socket. Each frame ends with the empty
 * stored block that a Z_SYNC_FLUSH produces (`00 00 ff ff`), which is what
 * clients look for to know a message is complete.
 */
function zlibStreamFrame(json: string, first: boolean): Buffer {
  const data = Buffer.from(json);
  const parts: Buffer[] = first ? [Buffer.from([0x78, 0x01])] : [];
  for (let offset = 0; offset < data.length; offset += 0xffff) {
    const chunk = data.subarray(offset, offset + 0xffff);
    const header = Buffer.alloc(5);
    header.writeUInt16LE(chunk.length, 1);
    header.writeUInt16LE(~chunk.length & 0xffff, 3);
    parts.push(header, chunk);
  }
  parts.push(Buffer.from([0x00, 0x00, 0x00, 0xff, 0xff]));
  return Buffer.concat(parts);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseBody(contentType: string, raw: Buffer): Promise<{ body: unknown; files: RecordedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType.startsWith("multipart/form-data")) {
    // undici's multipart parser, so the fake reads exactly what discord.js encoded.
    const form = await new Response(raw, { headers: { "content-type": contentType } }).formData();
    const files: RecordedFile[] = [];
    let body: unknown;
    for (const [field, value] of form) {
      if (typeof value === "string") {
        if (field === "payload_json") body = JSON.parse(value);
      } else {
        files.push({ field, filename: value.name, contentType: value.type, size: value.size });
      }
    }
    return { body, files };
  }
  return { body: JSON.parse(raw.toString("utf8")), files: [] };
}

/** Handle to a running fake; create with {@link startFakeDiscord}. */
export class FakeDiscord {
  /** Value for discord.js `rest: { api }` / `new REST({ api })`. */
  readonly restApi: string;
  /** Gateway URL returned by `GET /gateway/bot`. */
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  /** Every REST request in arrival order. */
  readonly requests: RecordedRequest[] = [];
  /** IDENTIFY payloads received, e.g. to assert on `intents`. */
  readonly identifies: GatewayIdentifyData[] = [];

  readonly #server: Server;
  readonly #wss: WebSocketServer;
  readonly #guilds: FakeGuild[];
  readonly #routes: Route[] = [];
  readonly #sessions = new Set<GatewaySession>();
  readonly #consumed = new Set<RecordedRequest>();
  #waiters: Waiter[] = [];
  #closing: Promise<void> | undefined;
  readonly #commands = new Map<string, { command: APIApplicationCommand; source: string }[]>();
  readonly #interactions = new Map<string, InteractionState>();
  readonly #interactionsByToken = new Map<string, InteractionState>();
  readonly #messages = new Map<string, APIMessage>();
  readonly #channels = new Map<string, InteractionChannel>();
  /** DM channel ids by user id. */
  readonly #dms = new Map<string, string>();

  /** @internal Use {@link startFakeDiscord}. */
  constructor(server: Server, options: FakeDiscordOptions) {
    const { port } = server.address() as AddressInfo;
    this.#server = server;
    this.restApi = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}`;
    this.token = options.token ?? "fake-bot-token";
    const botUserId = options.botUserId ?? "1100000000000000001";
    this.applicationId = options.applicationId ?? botUserId;
    this.botUser = {
      id: botUserId,
      username: "fake-bot",
      discriminator: "0",
      global_name: null,
      avatar: null,
      bot: true,
      flags: 0 as UserFlags,
    };
    this.#guilds = options.guilds ?? [];
    this.#registerRoutes();
    server.on("request", (req, res) => void this.#handleRequest(req, res));
    this.#wss = new WebSocketServer({ server });
    this.#wss.on("connection", (socket, req) => this.#handleConnection(socket, req));
  }

  // ---------------------------------------------------------------- injection

  /** Sends a gateway dispatch to every identified session; throws if none is connected. */
  dispatch(t: string, d: unknown): void {
    const sessions = [...this.#sessions].filter((s) => s.identified);
    if (sessions.length === 0) throw new Error(`FakeDiscord: no identified gateway session to dispatch ${t} to`);
    for (const session of sessions) this.#dispatchTo(session, t, d);
  }

  /**
   * Dispatches MESSAGE_CREATE for a user's message in a DM (no `guildId`) or a guild channel, as
   * Discord sends it (with `channel_type`, which discord.js needs to build an uncached DM channel).
   */
  userMessage(
    content: string,
    from: { id: string; username: string },
    where: { channelId: string; guildId?: string },
    mentionsBot = false,
  ): APIMessage {
    const message = {
      ...this.#blankMessage(snowflake(), where.channelId),
      ...(where.guildId ? { guild_id: where.guildId } : {}),
      channel_type: where.guildId ? 0 : 1,
      author: { id: from.id, username: from.username, discriminator: "0", global_name: null, avatar: null },
      content,
      mentions: mentionsBot ? [this.botUser] : [],
    };
    this.dispatch("MESSAGE_CREATE", message);
    return message;
  }

  /** Makes the interaction answerable over REST and dispatches INTERACTION_CREATE. */
  sendInteraction(interaction: APIInteraction): void {
    this.#trackInteraction(interaction);
    this.dispatch("INTERACTION_CREATE", interaction);
  }

  /** Builds a chat-input command interaction (type 2), or autocomplete (type 4) when `focused` is set. */
  slashCommand(input: SlashCommandInput & { focused: string }): APIApplicationCommandAutocompleteInteraction;
  slashCommand(input: SlashCommandInput): APIChatInputApplicationCommandInteraction;
  slashCommand(
    input: SlashCommandInput,
  ): APIChatInputApplicationCommandInteraction | APIApplicationCommandAutocompleteInteraction {
    const autocomplete = input.focused !== undefined;
    let options: DataOption[];
    if (Array.isArray(input.options)) {
      options = input.options;
    } else {
      const basic = this.#toOptions({ ...input.options }, input.focused, autocomplete);
      options =
        input.subcommand === undefined
          ? basic
          : [{ type: ApplicationCommandOptionType.Subcommand, name: input.subcommand, options: basic }];
    }
    const registered =
      (input.guildId !== undefined ? this.#findCommand(input.name, input.guildId) : undefined) ??
      this.#findCommand(input.name);
    const data = {
      id: registered?.id ?? snowflake(),
      type: ApplicationCommandType.ChatInput as const,
      name: input.name,
      ...(registered?.guild_id !== undefined ? { guild_id: registered.guild_id } : {}),
      options,
    };
    const base = this.#interactionBase(input.user, input.channelId, input.guildId);
    // Casts: `options` carries string|number values until we know which of the two shapes this is.
    const interaction = autocomplete
      ? ({
          ...base,
          type: InteractionType.ApplicationCommandAutocomplete,
          data,
        } as APIApplicationCommandAutocompleteInteraction)
      : ({ ...base, type: InteractionType.ApplicationCommand, data } as APIChatInputApplicationCommandInteraction);
    this.#trackInteraction(interaction);
    return interaction;
  }

  /** Builds a button (2) or string-select (3) interaction on `messageId`. */
  componentInteraction(input: ComponentInteractionInput): APIMessageComponentInteraction {
    const data: APIMessageComponentInteractionData =
      input.componentType === ComponentType.Button
        ? { custom_id: input.customId, component_type: ComponentType.Button }
        : { custom_id: input.customId, component_type: ComponentType.StringSelect, values: input.values ?? [] };
    const message = this.#messages.get(input.messageId) ?? this.#syntheticComponentMessage(input);
    this.#messages.set(message.id, message);
    const interaction: APIMessageComponentInteraction = {
      ...this.#interactionBase(input.user, input.channelId, input.guildId),
      type: InteractionType.MessageComponent,
      data,
      message,
    };
    this.#trackInteraction(interaction);
    return interaction;
  }

  // ---------------------------------------------------------------- inspection

  /**
   * Resolves with the first request matching `predicate` that no earlier
   * `waitForRequest` call consumed, including requests that already arrived.
   */
  waitForRequest(predicate: (request: RecordedRequest) => boolean, timeoutMs = scaled(5000)): Promise<RecordedRequest> {
    const earlier = this.requests.find((r) => !this.#consumed.has(r) && predicate(r));
    if (earlier) {
      this.#consumed.add(earlier);
      return Promise.resolve(earlier);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.#waiters = this.#waiters.filter((w) => w !== waiter);
          const seen = this.requests.map((r) => `${r.method} ${r.path} → ${r.status}`).join("\n  ");
          reject(new Error(`FakeDiscord: no matching request within ${timeoutMs}ms; seen:\n  ${seen || "(none)"}`));
        }, timeoutMs),
      };
      this.#waiters.push(waiter);
    });
  }

  /** Accepted callback, edits, deletes and follow-ups for an interaction, in order. */
  interactionResponses(interactionId: string): InteractionResponseRecord[] {
    return [...(this.#interactions.get(interactionId)?.responses ?? [])];
  }

  /** Currently registered commands: global when `guildId` is omitted. */
  commands(appId: string, guildId?: string): APIApplicationCommand[] {
    return (this.#commands.get(`${appId}/${guildId ?? ""}`) ?? []).map((entry) => entry.command);
  }

  /** A message the fake stores (created by the bot, or carrying an injected component). */
  message(messageId: string): APIMessage | undefined {
    return this.#messages.get(messageId);
  }

  /** The DM channel the bot has with a user (made on first use), where its direct messages to them go. */
  dmChannelOf(userId: string): string {
    let id = this.#dms.get(userId);
    if (id === undefined) {
      id = snowflake();
      this.#dms.set(userId, id);
    }
    return id;
  }

  /** The stored messages of a channel, oldest first. */
  channelMessages(channelId: string): APIMessage[] {
    return [...this.#messages.values()].filter((m) => m.channel_id === channelId);
  }

  /** Closes gateway sockets and the HTTP server; pending waiters reject. Safe to call twice. */
  close(): Promise<void> {
    this.#closing ??= this.#shutdown();
    return this.#closing;
  }

  async #shutdown(): Promise<void> {
    for (const waiter of this.#waiters) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error("FakeDiscord closed"));
    }
    this.#waiters = [];
    for (const session of this.#sessions) session.socket.terminate();
    this.#sessions.clear();
    await new Promise<void>((resolve) => this.#wss.close(() => resolve()));
    // discord.js keeps REST connections alive; without this close() would wait for them.
    this.#server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.#server.close((err) => (err ? reject(err) : resolve())));
  }

  // ---------------------------------------------------------------- gateway

  #handleConnection(socket: WebSocket, req: IncomingMessage): void {
    const query = new URL(req.url ?? "/", this.gatewayUrl).searchParams;
    const compress = query.get("compress") === "zlib-stream";
    let firstFrame = true;
    const session: GatewaySession = {
      socket,
      send: (payload) => {
        if (socket.readyState !== WebSocket.OPEN) return;
        const json = JSON.stringify(payload);
        socket.send(compress ? zlibStreamFrame(json, firstFrame) : json);
        firstFrame = false;
      },
      seq: 0,
      identified: false,
      sessionId: randomBytes(16).toString("hex"),
    };
    this.#sessions.add(session);
    socket.on("close", () => this.#sessions.delete(session));
    socket.on("message", (raw) => {
      let payload: unknown;
      try {
        payload = JSON.parse(String(raw));
      } catch {
        socket.close(4002, "Error while decoding payload.");
        return;
      }
      if (!isRecord(payload)) return;
      this.#handleOpcode(session, payload);
    });
    session.send({ op: GatewayOpcodes.Hello, d: { heartbeat_interval: 45_000 } });
  }

  #handleOpcode(session: GatewaySession, payload: Json): void {
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        session.send({ op: GatewayOpcodes.HeartbeatAck });
        return;
      case GatewayOpcodes.Identify: {
        const d = payload.d as GatewayIdentifyData;
        if (d.token !== this.token) {
          session.socket.close(4004, "Authentication failed.");
          return;
        }
        this.identifies.push(d);
        session.identified = true;
        const ready: GatewayReadyDispatchData = {
          v: 10,
          user: { ...this.botUser, verified: true, mfa_enabled: false },
          guilds: this.#guilds.map((g) => ({ id: g.id, unavailable: true })),
          session_id: session.sessionId,
          resume_gateway_url: this.gatewayUrl,
          shard: [0, 1],
          application: { id: this.applicationId, flags: 0 as ApplicationFlags, flags_new: "0" },
        };
        this.#dispatchTo(session, "READY", ready);
        for (const guild of this.#guilds) this.#dispatchTo(session, "GUILD_CREATE", this.#guildPayload(guild));
        return;
      }
      case GatewayOpcodes.Resume:
        session.identified = true;
        this.#dispatchTo(session, "RESUMED", null);
        return;
      default:
        // Presence, voice state, member requests: accepted and ignored.
        return;
    }
  }

  #dispatchTo(session: GatewaySession, t: string, d: unknown): void {
    session.seq += 1;
    session.send({ op: GatewayOpcodes.Dispatch, t, s: session.seq, d });
  }

  #guildPayload(guild: FakeGuild): Json {
    const channels = (guild.channels ?? []).map(
      (c, position): InteractionChannel => ({
        id: c.id,
        type: ChannelType.GuildText,
        guild_id: guild.id,
        name: c.name ?? "general",
        position,
        permission_overwrites: [],
        parent_id: null,
        nsfw: false,
        topic: null,
        rate_limit_per_user: 0,
        last_message_id: null,
        flags: 0 as ChannelFlags,
      }),
    );
    for (const channel of channels) this.#channels.set(channel.id, channel);
    return {
      id: guild.id,
      name: guild.name ?? "Fake Guild",
      icon: null,
      splash: null,
      discovery_splash: null,
      owner_id: "1",
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [
        {
          id: guild.id,
          name: "@everyone",
          color: 0,
          hoist: false,
          icon: null,
          unicode_emoji: null,
          position: 0,
          permissions: MEMBER_PERMISSIONS,
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      vanity_url_code: null,
      description: null,
      banner: null,
      premium_tier: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: Locale.EnglishUS,
      nsfw_level: 0,
      joined_at: new Date().toISOString(),
      large: false,
      unavailable: false,
      member_count: 1,
      voice_states: [],
      members: [],
      channels,
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  // ---------------------------------------------------------------- REST plumbing

  async #handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const url = new URL(req.url ?? "/", this.restApi);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    const versioned = url.pathname.startsWith("/api/v10/");
    const path = versioned ? url.pathname.slice("/api/v10".length) : url.pathname;
    const raw = await readBody(req);
    let parsed: { body: unknown; files: RecordedFile[] } = { body: raw.toString("utf8"), files: [] };
    let reply: Reply;
    try {
      parsed = await parseBody(headers["content-type"] ?? "", raw);
      reply = versioned
        ? this.#route(method, path, headers.authorization, { query: url.searchParams, ...parsed })
        : ERRORS.notFound;
    } catch (error) {
      reply =
        error instanceof SyntaxError ? ERRORS.invalidJson : { status: 500, body: { message: String(error), code: 0 } };
    }

    const query = Object.fromEntries(url.searchParams);
    this.#record({ method, path, query, ...parsed, headers, status: reply.status, at: Date.now() });
    if (reply.body === undefined) {
      res.writeHead(reply.status).end();
    } else {
      res.writeHead(reply.status, { "content-type": "application/json" }).end(JSON.stringify(reply.body));
    }
  }

  #route(method: string, path: string, authorization: string | undefined, ctx: Omit<RouteContext, "params">): Reply {
    for (const route of this.#routes) {
      const match = route.method === method ? route.pattern.exec(path) : null;
      if (!match) continue;
      if (route.auth && authorization !== `Bot ${this.token}`) return ERRORS.unauthorized;
      const params = match.slice(1).map((p) => decodeURIComponent(p ?? ""));
      return route.handler({ ...ctx, params });
    }
    return ERRORS.notFound;
  }

  #record(request: RecordedRequest): void {
    this.requests.push(request);
    const waiter = this.#waiters.find((w) => w.predicate(request));
    if (!waiter) return;
    this.#waiters = this.#waiters.filter((w) => w !== waiter);
    clearTimeout(waiter.timer);
    this.#consumed.add(request);
    waiter.resolve(request);
  }

  #on(method: string, template: string, handler: (ctx: RouteContext) => Reply, auth = true): void {
    const source = template.replace(/:\w+/g, "([^/]+)");
    this.#routes.push({ method, pattern: new RegExp(`^${source}$`), auth, handler });
  }

  // ---------------------------------------------------------------- REST routes

  #registerRoutes(): void {
    this.#on("GET", "/gateway", () => ({ status: 200, body: { url: this.gatewayUrl } }));
    this.#on("GET", "/gateway/bot", () => ({
      status: 200,
      body: {
        url: this.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
      },
    }));
    this.#on("GET", "/users/@me", () => ({ status: 200, body: this.botUser }));
    // Opens (or finds) the DM channel with a user, as Discord does for a bot's direct message.
    this.#on("POST", "/users/@me/channels", ({ body }) => {
      const recipient = isRecord(body) && typeof body.recipient_id === "string" ? body.recipient_id : undefined;
      if (recipient === undefined) return invalidForm("recipient_id", "This field is required");
      const id = this.dmChannelOf(recipient);
      return { status: 200, body: { id, type: ChannelType.DM, last_message_id: null, recipients: [] } };
    });
    this.#on("GET", "/applications/@me", () => ({
      status: 200,
      body: {
        id: this.applicationId,
        name: this.botUser.username,
        icon: null,
        description: "",
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: "0".repeat(64),
        flags: 0,
        team: null,
        bot: this.botUser,
      },
    }));

    for (const scope of ["/applications/:app/commands", "/applications/:app/guilds/:guild/commands"]) {
      const key = (params: string[]): string | undefined =>
        params[0] === this.applicationId ? `${params[0]}/${scope.includes(":guild") ? params[1] : ""}` : undefined;
      this.#on("GET", scope, ({ params }) => {
        const k = key(params);
        return k ? { status: 200, body: (this.#commands.get(k) ?? []).map((e) => e.command) } : ERRORS.missingAccess;
      });
      this.#on("PUT", scope, ({ params, body }) => {
        const k = key(params);
        if (!k) return ERRORS.missingAccess;
        if (!Array.isArray(body) || !body.every((c) => isRecord(c) && typeof c.name === "string")) {
          return invalidForm("_root", "Expected an array of application commands");
        }
        const stored = body.filter(isRecord).map((c) => this.#storeCommand(k, c));
        this.#commands.set(k, stored);
        return { status: 200, body: stored.map((e) => e.command) };
      });
      this.#on("POST", scope, ({ params, body }) => {
        const k = key(params);
        if (!k) return ERRORS.missingAccess;
        if (!isRecord(body) || typeof body.name !== "string") return invalidForm("name", "This field is required");
        const entry = this.#storeCommand(k, body);
        const others = (this.#commands.get(k) ?? []).filter((e) => e.command.id !== entry.command.id);
        this.#commands.set(k, [...others, entry]);
        return { status: 201, body: entry.command };
      });
      this.#on("DELETE", `${scope}/:command`, ({ params }) => {
        const k = key(params);
        if (!k) return ERRORS.missingAccess;
        const id = params[params.length - 1];
        const list = this.#commands.get(k) ?? [];
        if (!list.some((e) => e.command.id === id)) {
          return { status: 404, body: { message: "Unknown application command", code: 10063 } };
        }
        this.#commands.set(
          k,
          list.filter((e) => e.command.id !== id),
        );
        return { status: 204 };
      });
    }

    this.#on("POST", "/interactions/:id/:token/callback", (ctx) => this.#callback(ctx), false);

    const webhookMessage = "/webhooks/:app/:token/messages/:message";
    this.#on("GET", webhookMessage, (ctx) => this.#webhookMessage(ctx, "get"), false);
    this.#on("PATCH", webhookMessage, (ctx) => this.#webhookMessage(ctx, "edit"), false);
    this.#on("DELETE", webhookMessage, (ctx) => this.#webhookMessage(ctx, "delete"), false);
    this.#on("POST", "/webhooks/:app/:token", (ctx) => this.#followUp(ctx), false);

    this.#on("GET", "/channels/:channel", ({ params }) => {
      const channel = this.#channels.get(params[0] ?? "");
      return channel ? { status: 200, body: channel } : ERRORS.unknownChannel;
    });
    this.#on("POST", "/channels/:channel/typing", () => ({ status: 204 }));
    this.#on("POST", "/channels/:channel/messages", ({ params, body, files }) => {
      if (!isRecord(body)) return invalidForm("content", "Cannot send an empty message");
      const message = this.#createMessage(params[0] ?? "", body, files, {});
      return { status: 200, body: message };
    });
    const channelMessage = "/channels/:channel/messages/:message";
    this.#on("GET", channelMessage, ({ params }) => {
      const message = this.#messages.get(params[1] ?? "");
      return message && message.channel_id === params[0] ? { status: 200, body: message } : ERRORS.unknownMessage;
    });
    this.#on("PATCH", channelMessage, ({ params, body, files }) => {
      const message = this.#messages.get(params[1] ?? "");
      if (!message || message.channel_id !== params[0]) return ERRORS.unknownMessage;
      return { status: 200, body: this.#editMessage(message, isRecord(body) ? body : {}, files) };
    });
    this.#on("DELETE", channelMessage, ({ params }) => {
      const message = this.#messages.get(params[1] ?? "");
      if (!message || message.channel_id !== params[0]) return ERRORS.unknownMessage;
      this.#messages.delete(message.id);
      return { status: 204 };
    });
  }

  #storeCommand(key: string, input: Json): { command: APIApplicationCommand; source: string } {
    const source = JSON.stringify(input);
    const type = typeof input.type === "number" ? input.type : ApplicationCommandType.ChatInput;
    // Discord keeps a command's id across bulk overwrites and bumps `version` only when it changed.
    const previous = this.#commands.get(key)?.find((e) => e.command.name === input.name && e.command.type === type);
    if (previous?.source === source) return previous;
    const guildId = key.split("/")[1];
    const command = {
      default_member_permissions: null,
      description: "",
      nsfw: false,
      ...input,
      type,
      id: previous?.command.id ?? snowflake(),
      application_id: this.applicationId,
      version: snowflake(),
      ...(guildId ? { guild_id: guildId } : {}),
    } as APIApplicationCommand;
    return { command, source };
  }

  #findCommand(name: string, guildId?: string): APIApplicationCommand | undefined {
    return this.commands(this.applicationId, guildId).find((c) => c.name === name);
  }

  // ---------------------------------------------------------------- interactions

  #trackInteraction(interaction: APIInteraction): void {
    if (this.#interactions.has(interaction.id)) return;
    const state: InteractionState = { interaction, acknowledged: false, responses: [] };
    this.#interactions.set(interaction.id, state);
    this.#interactionsByToken.set(interaction.token, state);
  }

  #callback({ params, query, body, files }: RouteContext): Reply {
    const [id = "", token = ""] = params;
    const state = this.#interactions.get(id);
    if (!state || state.interaction.token !== token) return ERRORS.unknownInteraction;
    if (state.acknowledged) return ERRORS.alreadyAcknowledged;
    if (!isRecord(body) || typeof body.type !== "number") return invalidForm("type", "This field is required");
    const type = body.type;
    const { interaction } = state;
    if (!ALLOWED_CALLBACKS[interaction.type]?.includes(type)) {
      return invalidForm("type", `Response type ${type} is invalid for interaction type ${interaction.type}`);
    }
    const data = isRecord(body.data) ? body.data : {};

    let message: APIMessage | undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource:
        message = this.#createMessage(this.#channelOf(interaction), data, files, this.#replyExtras(interaction));
        break;
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const flags = (typeof data.flags === "number" ? data.flags : 0) | MessageFlags.Loading;
        message = this.#createMessage(this.#channelOf(interaction), { flags }, [], this.#replyExtras(interaction));
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
      case InteractionResponseType.UpdateMessage: {
        // For components the "original" response is the message the component lives on.
        const target = interaction.message ? this.#messages.get(interaction.message.id) : undefined;
        if (target && type === InteractionResponseType.UpdateMessage) this.#editMessage(target, data, files);
        message = target;
        break;
      }
      default:
        break;
    }
    state.acknowledged = true;
    if (message) state.originalMessageId = message.id;
    state.responses.push({ kind: "callback", ...(message ? { messageId: message.id } : {}), body });

    if (query.get("with_response") !== "true") return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: interaction.id,
          type: interaction.type,
          ...(message
            ? {
                response_message_id: message.id,
                response_message_loading: ((message.flags ?? 0) & MessageFlags.Loading) !== 0,
                response_message_ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
              }
            : {}),
        },
        resource: { type, ...(message ? { message } : {}) },
      },
    };
  }

  #webhookState(params: string[]): InteractionState | undefined {
    const [app, token = ""] = params;
    return app === this.applicationId ? this.#interactionsByToken.get(token) : undefined;
  }

  #webhookMessage({ params, body, files }: RouteContext, action: "get" | "edit" | "delete"): Reply {
    const state = this.#webhookState(params);
    if (!state) return ERRORS.unknownWebhook;
    const id = params[2] === "@original" ? state.originalMessageId : params[2];
    const message = id === undefined ? undefined : this.#messages.get(id);
    if (!message) return ERRORS.unknownMessage;
    if (action === "get") return { status: 200, body: message };
    if (action === "delete") {
      this.#messages.delete(message.id);
      if (state.originalMessageId === message.id) delete state.originalMessageId;
      state.responses.push({ kind: "delete", messageId: message.id, body });
      return { status: 204 };
    }
    const edited = this.#editMessage(message, isRecord(body) ? body : {}, files);
    state.responses.push({ kind: "edit", messageId: message.id, body });
    return { status: 200, body: edited };
  }

  #followUp({ params, query, body, files }: RouteContext): Reply {
    const state = this.#webhookState(params);
    if (!state) return ERRORS.unknownWebhook;
    if (!isRecord(body)) return invalidForm("content", "Cannot send an empty message");
    const original = state.originalMessageId ? this.#messages.get(state.originalMessageId) : undefined;
    // Discord turns the first follow-up after a deferred reply into the "thinking" message's content.
    const message =
      original && ((original.flags ?? 0) & MessageFlags.Loading) !== 0
        ? this.#editMessage(original, body, files)
        : this.#createMessage(this.#channelOf(state.interaction), body, files, this.#replyExtras(state.interaction));
    state.responses.push({ kind: "followup", messageId: message.id, body });
    return query.get("wait") === "true" ? { status: 200, body: message } : { status: 204 };
  }

  #channelOf(interaction: APIInteraction): string {
    return interaction.channel_id ?? interaction.channel?.id ?? "0";
  }

  #replyExtras(interaction: APIInteraction): Partial<APIMessage> {
    const isCommand = interaction.type === InteractionType.ApplicationCommand;
    const extras: Partial<APIMessage> = {
      type: isCommand ? MessageType.ChatInputCommand : MessageType.Default,
      webhook_id: this.applicationId,
      application_id: this.applicationId,
    };
    const common = {
      id: interaction.id,
      user: interaction.member?.user ?? interaction.user ?? this.botUser,
      authorizing_integration_owners: interaction.authorizing_integration_owners,
    };
    // Modal submits would also need the triggering interaction's metadata; tests don't read it.
    if (isCommand) {
      extras.interaction_metadata = { ...common, type: InteractionType.ApplicationCommand };
    } else if (interaction.type === InteractionType.MessageComponent) {
      extras.interaction_metadata = {
        ...common,
        type: InteractionType.MessageComponent,
        interacted_message_id: interaction.message.id,
      };
    }
    return extras;
  }

  // ---------------------------------------------------------------- messages

  #createMessage(channelId: string, body: Json, files: RecordedFile[], extras: Partial<APIMessage>): APIMessage {
    const message: APIMessage = {
      ...this.#blankMessage(snowflake(), channelId),
      attachments: this.#attachments(channelId, files),
      ...extras,
      ...messageFields(body),
    };
    this.#messages.set(message.id, message);
    return message;
  }

  #blankMessage(id: string, channelId: string): APIMessage {
    return {
      id,
      channel_id: channelId,
      author: this.botUser,
      content: "",
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      type: MessageType.Default,
      flags: 0 as MessageFlags,
    };
  }

  #editMessage(message: APIMessage, body: Json, files: RecordedFile[]): APIMessage {
    const fields = messageFields(body);
    // Editing a deferred reply ends its "thinking" state; ephemerality is fixed at creation.
    const flags = (((fields.flags ?? message.flags ?? 0) & ~MessageFlags.Loading & ~MessageFlags.Ephemeral) |
      ((message.flags ?? 0) & MessageFlags.Ephemeral)) as MessageFlags;
    Object.assign(message, fields, { flags, edited_timestamp: new Date().toISOString() });
    if (files.length > 0) message.attachments = this.#attachments(message.channel_id, files);
    else if (Array.isArray(body.attachments) && body.attachments.length === 0) message.attachments = [];
    return message;
  }

  #attachments(channelId: string, files: RecordedFile[]): APIAttachment[] {
    return files.map((file) => {
      const id = snowflake();
      const url = `https://cdn.discordapp.com/attachments/${channelId}/${id}/${encodeURIComponent(file.filename)}`;
      return { id, filename: file.filename, size: file.size, url, proxy_url: url, content_type: file.contentType };
    });
  }

  #syntheticComponentMessage(input: ComponentInteractionInput): APIMessage {
    const component: APIComponentInMessageActionRow =
      input.componentType === ComponentType.Button
        ? { type: ComponentType.Button, style: 1, label: input.customId, custom_id: input.customId }
        : {
            type: ComponentType.StringSelect,
            custom_id: input.customId,
            options: (input.values ?? []).map((value) => ({ label: value, value })),
          };
    const row: APIActionRowComponent<APIComponentInMessageActionRow> = {
      type: ComponentType.ActionRow,
      components: [component],
    };
    return { ...this.#blankMessage(input.messageId, input.channelId), components: [row] };
  }

  // ---------------------------------------------------------------- builders

  #toOptions(
    values: Record<string, string | number | boolean>,
    focused: string | undefined,
    autocomplete: boolean,
  ): BasicDataOption[] {
    if (focused !== undefined && !(focused in values)) values[focused] = "";
    return Object.entries(values).map(([name, value]): BasicDataOption => {
      const isFocused = name === focused ? { focused: true } : {};
      if (typeof value === "boolean") return { name, type: ApplicationCommandOptionType.Boolean, value };
      if (typeof value === "string") return { name, type: ApplicationCommandOptionType.String, value, ...isFocused };
      // Autocomplete delivers numeric input as the raw text the user typed.
      const typed = autocomplete ? String(value) : value;
      return Number.isInteger(value)
        ? { name, type: ApplicationCommandOptionType.Integer, value: typed, ...isFocused }
        : { name, type: ApplicationCommandOptionType.Number, value: typed, ...isFocused };
    });
  }

  #interactionBase(user: FakeUserInput, channelId: string, guildId: string | undefined) {
    const apiUser: APIUser = {
      id: user.id,
      username: user.username,
      discriminator: "0",
      global_name: user.globalName ?? null,
      avatar: null,
      public_flags: 0 as UserFlags,
    };
    const common = {
      id: snowflake(),
      application_id: this.applicationId,
      token: `fake-interaction-${randomBytes(24).toString("base64url")}`,
      version: 1 as const,
      channel_id: channelId,
      app_permissions: APP_PERMISSIONS,
      locale: Locale.EnglishUS,
      entitlements: [],
      attachment_size_limit: 10 * 1024 * 1024,
    };
    if (guildId === undefined) {
      const channel: InteractionChannel = {
        id: channelId,
        type: ChannelType.DM,
        last_message_id: null,
        recipients: [apiUser],
      };
      this.#channels.set(channelId, channel);
      return {
        ...common,
        user: apiUser,
        channel,
        context: InteractionContextType.BotDM,
        // "0" is what Discord reports for a guild-installed app used in its own DM.
        authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: "0" },
      };
    }
    const member: APIInteractionGuildMember = {
      user: apiUser,
      roles: [],
      joined_at: new Date().toISOString(),
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      nick: null,
      avatar: null,
      premium_since: null,
      pending: false,
      communication_disabled_until: null,
      permissions: MEMBER_PERMISSIONS,
    };
    const channel: InteractionChannel = this.#channels.get(channelId) ?? {
      id: channelId,
      type: ChannelType.GuildText as const,
      guild_id: guildId,
      name: "general",
      position: 0,
      parent_id: null,
      nsfw: false,
      topic: null,
      rate_limit_per_user: 0,
      last_message_id: null,
      flags: 0 as ChannelFlags,
    };
    this.#channels.set(channelId, channel);
    return {
      ...common,
      guild_id: guildId,
      guild: { id: guildId, locale: Locale.EnglishUS, features: [] },
      guild_locale: Locale.EnglishUS,
      member,
      channel,
      context: InteractionContextType.Guild,
      authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guildId },
    };
  }
}

/** Starts a fake Discord on 127.0.0.1 (random port). Call `close()` when done. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  return new FakeDiscord(server, options);
}
