import { loadContext } from "../config/context.js";
import { configPath as configPathOf } from "../config/paths.js";
import { openSessionStore } from "../sessions/open.js";
import { createGatewayServices } from "./services.js";
import { PluginHost } from "./host.js";
import { GatewayHttpServer } from "./http-server.js";
import { streamLog, type Log } from "./log.js";
import type { ChannelEnv, RunningChannel } from "./channel.js";
import type { OpenClawConfig } from "../config/schema.js";
import { modelPlugin } from "../../plugins/model/index.js";
import { runConsole } from "../channels/console/index.js";
import type { ChatOptions } from "../providers/chat.js";

/** How `openclaw gateway` is run. Streams and env are injectable for tests. */
export interface GatewayOptions {
  readonly processEnv?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly input?: NodeJS.ReadableStream;
  readonly output?: NodeJS.WritableStream;
  readonly log?: Log;
  /** Options of the chat responder (tests shorten its timeout to see a hanging provider time out). */
  readonly chat?: ChatOptions;
  /** Resolves when the gateway should stop (defaults to SIGINT/SIGTERM, or console EOF). */
  readonly stopSignal?: Promise<void>;
}

function telegramConfigured(config: OpenClawConfig, env: Readonly<Record<string, string>>): boolean {
  const t = config.channels?.telegram;
  return t?.enabled !== false && Boolean(t?.botToken || env.TELEGRAM_BOT_TOKEN);
}

function discordConfigured(config: OpenClawConfig, env: Readonly<Record<string, string>>): boolean {
  const d = config.channels?.discord;
  return d?.enabled !== false && Boolean(d?.token || env.DISCORD_BOT_TOKEN || d?.interactions?.publicKey);
}

function bindAddress(bind: string | undefined): string {
  if (bind === undefined || bind === "loopback") return "127.0.0.1";
  if (bind === "lan") return "0.0.0.0";
  return bind;
}

function signals(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

/**
 * `openclaw gateway`: loads config, the session store and plugins, starts every channel that has
 * credentials (grammY and discord.js are imported only then) and the HTTP server they need. With
 * no channel configured it runs the console channel on stdin/stdout and exits at EOF. Shutdown
 * stops channels first (no new work), then closes the store, so acknowledged writes are kept.
 */
export async function runGateway(opts: GatewayOptions = {}): Promise<void> {
  const processEnv = opts.processEnv ?? process.env;
  const log = opts.log ?? streamLog();
  const ctx = loadContext({ processEnv, ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}) });
  const config = ctx.loaded.config;
  const sessions = await openSessionStore({ config, stateDir: ctx.stateDir, onStatus: (m) => log("warn", m) });
  const services = createGatewayServices({
    stateDir: ctx.stateDir,
    configPath: configPathOf(processEnv),
    sessions,
    processEnv,
    ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
    onConfigError: (m) => log("warn", `config change ignored: ${m}`),
  });
  const { createChatResponder } = await import("../providers/chat.js");
  services.chat = createChatResponder(services, log, opts.chat);
  const host = new PluginHost(services, [modelPlugin], log);
  const http = new GatewayHttpServer(log);
  const channelEnv: ChannelEnv = { host, http, log, env: ctx.env.values };
  const channels: RunningChannel[] = [];
  try {
    if (telegramConfigured(config, ctx.env.values)) {
      const { startTelegram } = await import("../channels/telegram/index.js");
      channels.push(await startTelegram(channelEnv));
    }
    if (discordConfigured(config, ctx.env.values)) {
      const { startDiscord } = await import("../channels/discord/index.js");
      channels.push(await startDiscord(channelEnv));
    }
    if (channels.length === 0) {
      const stop = new AbortController();
      void (opts.stopSignal ?? signals()).then(() => stop.abort());
      await runConsole(host, opts.input ?? process.stdin, opts.output ?? process.stdout, stop.signal);
      return;
    }
    const port = Number(processEnv.OPENCLAW_GATEWAY_PORT ?? config.gateway?.port ?? 18789);
    const bound = await http.listen(port, bindAddress(config.gateway?.bind));
    log("info", `gateway listening on ${bindAddress(config.gateway?.bind)}:${bound}; channels: ${channels.map((c) => c.name).join(", ")}`);
    await (opts.stopSignal ?? signals());
    log("info", "shutting down");
  } finally {
    // In-flight model calls end now rather than after their timeout; then channels drain.
    services.chat?.close();
    for (const c of channels.reverse()) await c.stop().catch((err: unknown) => log("error", `stopping ${c.name}: ${String(err)}`));
    await http.close();
    await sessions.close();
  }
}
