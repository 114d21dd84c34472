import {
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type MessageComponentInteraction,
} from "discord.js";
import type { PluginHost } from "../../gateway/host.js";
import { errorMessage, type Log } from "../../gateway/log.js";
import type { Reply } from "../../gateway/types.js";
import {
  GENERIC_ERROR,
  type InteractionHandler,
  type InteractionInput,
  type InteractionResponder,
} from "./interactions.js";
import type { Place } from "./invocation.js";
import { answerText } from "./text-messages.js";
import { ChatPacer, PacedStream } from "../../gateway/paced-stream.js";
import { streamingMode } from "../../gateway/streaming-mode.js";
import { DiscordStreamRenderer } from "./stream.js";

/** Intents the gateway connection asks for. MessageContent is privileged: enable it in the developer portal. */
export const GATEWAY_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
  GatewayIntentBits.MessageContent,
] as const;

const READY_TIMEOUT_MS = 30_000;
const NO_PINGS = { parse: [] as const, repliedUser: false };

/** What {@link connectGateway} is built from. */
export interface GatewayClientOptions {
  readonly token: string;
  /** REST root for discord.js (`rest: { api }`), e.g. `http://127.0.0.1:PORT/api`. */
  readonly apiBase?: string;
  readonly host: PluginHost;
  readonly handler: InteractionHandler;
  readonly log: Log;
  /** Told about each event's work, so shutdown can wait for it. */
  readonly track: (work: Promise<void>) => void;
}

type Handled = ChatInputCommandInteraction | AutocompleteInteraction | MessageComponentInteraction;

function placeOf(i: {
  user: { id: string; username: string; globalName: string | null };
  channelId: string | null;
  guildId: string | null;
  channel: Interaction["channel"] | Message["channel"];
}): Place | undefined {
  if (i.channelId === null) return undefined;
  const parentId = i.channel?.isThread() ? i.channel.parentId : null;
  return {
    user: { id: i.user.id, username: i.user.username, ...(i.user.globalName ? { globalName: i.user.globalName } : {}) },
    channelId: i.channelId,
    ...(parentId ? { parentId } : {}),
    ...(i.guildId ? { guildId: i.guildId } : {}),
  };
}

/** The handler's view of a discord.js interaction, or undefined for kinds we do not handle. */
export function inputFromInteraction(i: Interaction): { input: InteractionInput; interaction: Handled } | undefined {
  const place = placeOf(i);
  if (!place) return undefined;
  if (i.isChatInputCommand() || i.isAutocomplete()) {
    const options = i.options.data.flatMap((o) => (o.value === undefined ? [] : [{ name: o.name, value: o.value }]));
    if (i.isChatInputCommand())
      return { input: { kind: "command", place, command: i.commandName, options }, interaction: i };
    const focused = i.options.getFocused(true);
    return {
      input: {
        kind: "autocomplete",
        place,
        command: i.commandName,
        options,
        focused: { name: focused.name, value: String(focused.value) },
      },
      interaction: i,
    };
  }
  if (i.isButton() || i.isStringSelectMenu()) {
    const values = i.isStringSelectMenu() ? i.values : [];
    const messageEphemeral = i.message.flags.has(MessageFlags.Ephemeral);
    return { input: { kind: "component", place, customId: i.customId, values, messageEphemeral }, interaction: i };
  }
  return undefined;
}

function flags(ephemeral: boolean): { flags?: MessageFlags.Ephemeral } {
  return ephemeral ? { flags: MessageFlags.Ephemeral } : {};
}

/** {@link InteractionResponder} over a discord.js interaction (its REST callback, edit and follow-up calls). */
export function interactionResponder(i: Handled): InteractionResponder {
  const wrong = (what: string) => new Error(`discord: cannot ${what} a ${i.constructor.name}`);
  return {
    initial: async (r) => {
      if (r.kind === "choices") {
        if (!i.isAutocomplete()) throw wrong("suggest for");
        await i.respond([...r.choices]);
        return;
      }
      if (i.isAutocomplete()) throw wrong("reply to");
      if (r.kind === "message") {
        await i.reply({
          content: r.message.content,
          components: [...r.message.components],
          allowedMentions: NO_PINGS,
          ...flags(r.message.ephemeral),
        });
      } else if (r.kind === "defer") {
        await i.deferReply(flags(r.ephemeral));
      } else {
        if (!i.isMessageComponent()) throw wrong("update");
        if (r.kind === "defer-update") await i.deferUpdate();
        else
          await i.update({
            content: r.message.content,
            components: [...r.message.components],
            allowedMentions: NO_PINGS,
          });
      }
    },
    editOriginal: async (m) => {
      if (i.isAutocomplete()) throw wrong("edit");
      await i.editReply({ content: m.content, components: [...m.components], allowedMentions: NO_PINGS });
    },
    deleteOriginal: async () => {
      if (i.isAutocomplete()) throw wrong("delete");
      await i.deleteReply();
    },
    followUp: async (m) => {
      if (i.isAutocomplete()) throw wrong("follow up");
      await i.followUp({
        content: m.content,
        components: [...m.components],
        allowedMentions: NO_PINGS,
        ...flags(m.ephemeral),
      });
    },
  };
}

/**
 * Sends a reply to a message where it came from (same channel or thread). A plain message cannot be
 * ephemeral, so `private` replies are posted like Telegram's group replies; slash commands are the
 * private way to ask (the host already limits status and pins in groups to owners).
 */
async function deliver(message: Message, handler: InteractionHandler, place: Place, reply: Reply): Promise<void> {
  const channel = message.channel;
  if (!channel.isSendable()) return;
  const [first, ...rest] = handler.render(reply, handler.bindingFor(place), false);
  if (first)
    await message.reply({ content: first.content, components: [...first.components], allowedMentions: NO_PINGS });
  for (const m of rest)
    await channel.send({ content: m.content, components: [...m.components], allowedMentions: NO_PINGS });
}

/**
 * Connects discord.js to the gateway and routes interactions to the handler and messages (DMs, or
 * mentioning the bot) to the host. Resolves once READY. Every event's work is passed to `track`.
 */
export async function connectGateway(opts: GatewayClientOptions): Promise<Client<true>> {
  const client = new Client({
    intents: [...GATEWAY_INTENTS],
    // DM channels are not cached; without this discord.js drops direct messages.
    partials: [Partials.Channel],
    allowedMentions: { parse: [] },
    rest: opts.apiBase ? { api: opts.apiBase } : {},
  });
  client.on(Events.Error, (err) => opts.log("error", `discord: ${errorMessage(err)}`));
  client.on(Events.Warn, (m) => opts.log("warn", `discord: ${m}`));
  client.on(Events.InteractionCreate, (i) => {
    const found = inputFromInteraction(i);
    if (!found) {
      if (i.isRepliable())
        opts.track(
          i.reply({ content: "This kind of interaction is not supported.", flags: MessageFlags.Ephemeral }).then(
            () => undefined,
            () => undefined,
          ),
        );
      return;
    }
    opts.track(opts.handler.handle(found.input, interactionResponder(found.interaction)));
  });
  // Discord allows about five edits per 5 s per channel; one a second leaves room for everything else.
  const pacer = new ChatPacer(1000);
  client.on(Events.MessageCreate, (message) => {
    if (message.author.bot || message.system) return;
    opts.track(onMessage(client, opts, message, pacer));
  });
  let timer: NodeJS.Timeout | undefined;
  const ready = new Promise<Client<true>>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error("no READY from the gateway within 30 s")), READY_TIMEOUT_MS);
    client.once(Events.ClientReady, resolve);
  });
  try {
    await client.login(opts.token);
    return await ready;
  } catch (err) {
    await client.destroy();
    // discord.js errors never contain the token; the log is redacting anyway.
    throw new Error(`discord: could not connect: ${errorMessage(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

async function onMessage(
  client: Client,
  opts: GatewayClientOptions,
  message: Message,
  pacer: ChatPacer,
): Promise<void> {
  const bot = client.user;
  if (!bot) return;
  const place = placeOf({
    user: message.author,
    channelId: message.channelId,
    guildId: message.guildId,
    channel: message.channel,
  });
  if (!place) return;
  try {
    const incoming = { place, content: message.content, mentionsBot: message.mentions.users.has(bot.id) };
    const typing = () => {
      if (message.channel.isSendable()) message.channel.sendTyping().catch(() => undefined);
    };
    const stream =
      streamingMode(opts.host.services.config().config, "discord") === "partial"
        ? new PacedStream(
            new DiscordStreamRenderer(message, (reply) => deliver(message, opts.handler, place, reply)),
            pacer,
            place.channelId,
            (err) => opts.log("warn", `discord: showing a growing answer failed: ${errorMessage(err)}`),
          )
        : undefined;
    const replies = await answerText(opts.host, incoming, { id: bot.id, username: bot.username }, typing, stream);
    for (const reply of replies ?? []) await deliver(message, opts.handler, place, reply);
  } catch (err) {
    opts.log("error", `discord: message handling failed: ${errorMessage(err)}`);
    await message.reply({ content: GENERIC_ERROR, allowedMentions: NO_PINGS }).catch(() => undefined);
  }
}
