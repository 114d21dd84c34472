import { Events, REST, Routes, type Client } from "discord.js";
import type { ChannelEnv, RunningChannel } from "../../gateway/channel.js";
import { payloadSecretFromState, payloadSecretFromToken } from "../../gateway/bound-payload.js";
import { unavailable } from "../../gateway/http-server.js";
import { errorMessage, redactToken, redactingLog } from "../../gateway/log.js";
import { connectGateway } from "./gateway-client.js";
import { InteractionHandler } from "./interactions.js";
import { interactionsEndpoint, restWebhooks } from "./interactions-endpoint.js";
import { commandPayloads, registerCommands } from "./register.js";
import { discordSettings } from "./settings.js";
import { splitText } from "./messages.js";

export { discordSettings, type DiscordSettings } from "./settings.js";
export { commandPayloads, registerCommands } from "./register.js";
export { InteractionHandler, type InteractionInput, type InteractionResponder } from "./interactions.js";
export { interactionsEndpoint, restWebhooks, type InteractionWebhooks } from "./interactions-endpoint.js";
export { connectGateway, GATEWAY_INTENTS } from "./gateway-client.js";
export { DISCORD_CAPABILITIES } from "./invocation.js";

/** Tuning for {@link startDiscord}; the defaults are what production uses. */
export interface DiscordStartOptions {
  /** Defer an interaction when the host has not answered within this many ms (default 1500). */
  readonly deferAfterMs?: number;
  /**
   * How often the registered commands are compared with the host's (alias commands follow the
   * config) and re-registered when they differ (default 60 s; 0 turns it off).
   */
  readonly commandsRefreshMs?: number;
}

/** A running Discord channel. */
export interface RunningDiscord extends RunningChannel {
  /** `gateway` (discord.js WebSocket) or `http` (signed interactions endpoint). */
  readonly mode: "gateway" | "http";
  /** The application the commands were registered for, when known. */
  readonly applicationId?: string;
  /** Re-registers every host command (bulk overwrite: idempotent), e.g. after alias changes. */
  register(): Promise<void>;
}

/**
 * Starts the Discord channel from `channels.discord` (token from config or `DISCORD_BOT_TOKEN`).
 * With `interactions.publicKey` set, interactions arrive at the gateway's HTTP server
 * (`interactions.path`, Ed25519-verified) and no WebSocket is opened, so several instances can
 * share the load; otherwise discord.js connects to the gateway and also answers messages (DMs, or
 * mentioning the bot). Either way every host command is registered as a slash command, per guild
 * when `guildIds` are set, else globally. Registration failures are logged, not fatal.
 */
export async function startDiscord(env: ChannelEnv, opts: DiscordStartOptions = {}): Promise<RunningDiscord> {
  const { host } = env;
  const settings = discordSettings(host.services.config().config, env.env);
  const token = settings.token;
  const log = redactingLog(env.log, token);
  if (token === undefined && settings.publicKey === undefined) {
    throw new Error(
      "discord: set channels.discord.token (or DISCORD_BOT_TOKEN), or channels.discord.interactions.publicKey",
    );
  }
  if (token === undefined)
    log("warn", "discord: no bot token; slash commands are not registered (register them once with a token)");
  const handler = new InteractionHandler({
    host,
    log,
    secret: token !== undefined ? payloadSecretFromToken(token) : payloadSecretFromState(host.services.stateDir),
    ephemeral: settings.ephemeral,
    ...(opts.deferAfterMs !== undefined ? { deferAfterMs: opts.deferAfterMs } : {}),
  });
  let stopping = false;
  const inflight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    inflight.add(work);
    void work.finally(() => inflight.delete(work));
  };
  const drain = async () => {
    await Promise.allSettled([...inflight]);
  };

  let client: Client<true> | undefined;
  let rest: REST;
  let applicationId = settings.applicationId;
  if (settings.publicKey !== undefined) {
    rest = new REST(settings.apiBase ? { api: settings.apiBase } : {});
    if (token !== undefined) rest.setToken(token);
    const endpoint = interactionsEndpoint({
      publicKey: settings.publicKey,
      handler,
      webhooks: restWebhooks(rest),
      claims: host.services.sessions,
      log,
      track,
    });
    // Once stopping, new interactions are refused rather than started against a closing store.
    env.http.route("POST", settings.interactionsPath, {
      admit: (head) => (stopping ? unavailable("shutting down") : endpoint.admit(head)),
      handle: endpoint.handle,
    });
    log("info", `discord: interactions endpoint on POST ${settings.interactionsPath}`);
    if (token !== undefined && applicationId === undefined) {
      try {
        applicationId = ((await rest.get(Routes.currentApplication())) as { id: string }).id;
      } catch (err) {
        log("error", `discord: could not look up the application id: ${errorMessage(err)}`);
      }
    }
  } else {
    // Checked above: without a public key there is a token.
    client = await connectGateway({
      token: token ?? "",
      ...(settings.apiBase ? { apiBase: settings.apiBase } : {}),
      host,
      handler,
      log,
      track,
    });
    rest = client.rest;
    applicationId ??= client.application.id;
    log("info", `discord: connected to the gateway as ${client.user.username}`);
  }

  let registered: string | undefined;
  const register = async (onlyIfChanged = false) => {
    if (token === undefined || applicationId === undefined) return;
    const defs = host.commands();
    const fingerprint = JSON.stringify(commandPayloads(defs, settings.guildIds.length === 0));
    if (onlyIfChanged && fingerprint === registered) return;
    try {
      await registerCommands(rest, applicationId, settings.guildIds, defs, log);
      registered = fingerprint;
      const where = settings.guildIds.length > 0 ? `in ${settings.guildIds.length} guild(s)` : "globally";
      log("info", `discord: registered ${defs.length} command(s) ${where}`);
    } catch (err) {
      log("error", `discord: command registration failed: ${errorMessage(err)}`);
    }
  };
  await register();
  const refreshMs = opts.commandsRefreshMs ?? 60_000;
  const refresh = refreshMs > 0 ? setInterval(() => void register(true), refreshMs) : undefined;
  refresh?.unref();

  return {
    name: "discord",
    mode: client ? "gateway" : "http",
    ...(applicationId !== undefined ? { applicationId } : {}),
    register: () => register(),
    // A DM channel is opened (or found) per user first; a long text is split as replies are, at
    // line or word boundaries with code fences kept whole, each part within Discord's 2000 characters.
    async send(userId, reply) {
      try {
        const dm = (await rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string };
        for (const content of splitText(reply.text)) {
          if (content !== "") await rest.post(Routes.channelMessages(dm.id), { body: { content } });
        }
      } catch (err) {
        throw new Error(`direct message failed: ${redactToken(errorMessage(err), token)}`);
      }
    },
    stop: async () => {
      stopping = true;
      clearInterval(refresh);
      // No new work from the WebSocket either; what is in flight finishes, then the client closes.
      client?.removeAllListeners(Events.InteractionCreate).removeAllListeners(Events.MessageCreate);
      await drain();
      await client?.destroy();
    },
  };
}
