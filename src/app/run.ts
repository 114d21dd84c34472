import { sessionStoreLocation, type SessionStoreLocation } from "../sessions/open.js";
import { assemble, type Assembly } from "./assemble.js";
import { systemClock } from "../util/clock.js";
import { PluginHost } from "../gateway/host.js";
import { GatewayHttpServer } from "../gateway/http-server.js";
import { streamLog, type Log } from "../gateway/log.js";
import { GatewayMetrics } from "../gateway/metrics.js";
import { credentialCounts } from "../gateway/credential-counts.js";
import { Readiness, type GatewayIdentity } from "../gateway/readiness.js";
import { superviseChannel, type RetryPolicy, type SupervisedChannel } from "../gateway/channel-supervisor.js";
import type { ChannelEnv, RunningChannel } from "../gateway/channel.js";
import type { OpenClawConfig } from "../config/schema.js";
import { MODEL_COMMAND } from "../../plugins/model/index.js";
import { PluginRuntimes } from "../gateway/plugin-runtime.js";
import { runConsole } from "../channels/console/index.js";
import type { ChatOptions } from "../chat/responder.js";
import { configSections, gatewayPlugins } from "./plugins.js";
import { telegramSettings } from "../channels/telegram/settings.js";
import { discordSettings } from "../channels/discord/settings.js";
import { packageVersion } from "../util/package-root.js";
import { bindAddress, gatewayPort, localBaseUrl } from "../gateway/address.js";
import { mountControlPage } from "./control-page.js";
import { registerSecrets } from "../auth/redact.js";
import { checkMetricsToken, gatewaySecrets } from "./gateway-secrets.js";
import { configuredHostNames } from "../gateway/allowed-hosts.js";
import { channelEnvWithTokens } from "./channel-secrets.js";
import { channelsWithCredentials } from "../config/channel-credentials.js";
import { unstartedChannelWarnings } from "./channel-warnings.js";

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
  /** Back-off for channels that cannot connect (tests shorten it). */
  readonly retry?: RetryPolicy;
  /** Called once the HTTP server listens, with its port. */
  readonly onListening?: (port: number) => void;
}

/** A channel to start: its name, how it connects, and how to start it. */
interface PlannedChannel {
  readonly name: string;
  readonly mode: string;
  /** Paths the channel serves on the HTTP server (POST), held with a 503 until it has started. */
  readonly paths: readonly string[];
  /** `signal` aborts a start still in progress when the gateway stops. */
  start(env: ChannelEnv, signal: AbortSignal): Promise<RunningChannel>;
}

/**
 * The channels that have credentials, with their mode. Settings are read here, before anything
 * starts, so a config mistake (a webhook without a secret) stops the gateway at once instead of
 * being retried like an outage.
 */
function plannedChannels(config: OpenClawConfig, env: Readonly<Record<string, string>>): PlannedChannel[] {
  const planned: PlannedChannel[] = [];
  const startable = channelsWithCredentials(config, env);
  if (startable.includes("telegram")) {
    const settings = telegramSettings(config, env);
    planned.push({
      name: "telegram",
      mode: settings.webhook ? "webhook" : "long polling",
      paths: settings.webhook ? [settings.webhook.path] : [],
      start: async (channelEnv, signal) =>
        (await import("../channels/telegram/index.js")).startTelegram(channelEnv, { signal }),
    });
  }
  if (startable.includes("discord")) {
    const settings = discordSettings(config, env);
    planned.push({
      name: "discord",
      mode: settings.publicKey !== undefined ? "HTTP interactions" : "gateway WS",
      paths: settings.publicKey !== undefined ? [settings.interactionsPath] : [],
      start: async (channelEnv) => (await import("../channels/discord/index.js")).startDiscord(channelEnv),
    });
  }
  return planned;
}

/** Where the store is, for people: a SQLite file, or a Redis host without the URL's password. */
export function storeWhere(location: SessionStoreLocation): GatewayIdentity["store"] {
  if (location.kind === "sqlite") return { kind: "sqlite", where: location.file };
  try {
    const url = new URL(location.url);
    return {
      kind: "redis",
      where: `${url.hostname}:${url.port || "6379"}${url.pathname.length > 1 ? url.pathname : ""}`,
    };
  } catch {
    return { kind: "redis", where: "(unparsable url)" };
  }
}

function signals(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

/** `wire()`'s result; if it throws, the assembly's store is closed before the error goes on. */
async function closingOnError<T>(app: Assembly, wire: () => T): Promise<T> {
  try {
    return wire();
  } catch (err) {
    await app.close();
    throw err;
  }
}

/**
 * `openclaw gateway`: loads config, the session store and plugins, starts the HTTP server
 * (`/healthz`, `/readyz`, `/metrics` and the channels' routes) and only then the channels that have
 * credentials, each retried with a back-off while it cannot connect. With no channel configured it
 * runs the console channel on stdin/stdout and exits at EOF (with the HTTP server too when a port
 * is configured). Shutdown stops channels first (no new work), then closes the store, so
 * acknowledged writes are kept. Every secret it holds is registered with the redactor first, and a
 * metrics token or webhook secret under 16 characters stops it before anything starts.
 */
export async function runGateway(opts: GatewayOptions = {}): Promise<void> {
  const processEnv = opts.processEnv ?? process.env;
  const log = opts.log ?? streamLog();
  const { createChatResponder } = await import("../chat/responder.js");
  const plugins = gatewayPlugins();
  // The metrics read the services and the store's readiness, both built below; they are asked only
  // once the gateway serves.
  const metrics = new GatewayMetrics({
    storeUp: () => readiness.storeUp(),
    credentials: () => credentialCounts(services),
  });
  const app = assemble({
    env: processEnv,
    cwd: opts.cwd ?? process.cwd(),
    clock: systemClock,
    log,
    chat: (built) => createChatResponder(built, log, { ...opts.chat, commands: { model: MODEL_COMMAND } }),
    observer: metrics,
    sections: configSections(plugins),
  });
  const ctx = app.context;
  const config = ctx.loaded.config;
  for (const w of ctx.loaded.warnings) log("warn", w);
  const channelValues = await channelEnvWithTokens(ctx, (secret) => registerSecrets([secret]));
  registerSecrets(gatewaySecrets(config, channelValues));
  checkMetricsToken(config);
  const planned = plannedChannels(config, channelValues);
  for (const w of unstartedChannelWarnings(config, channelValues, ctx.stateDir)) log("warn", w);
  const port = gatewayPort(config, processEnv, planned.length > 0);
  const services = await app.gateway();
  // The store is open from here; until the try below owns it, a failure (a bad bind address, a bad
  // plugin name) must close it too, or an open Redis client keeps the process from exiting.
  const { identity, readiness, host, runtimes, http, channelEnv, address, controlPage } = await closingOnError(
    app,
    () => {
      const identity: GatewayIdentity = {
        version: packageVersion(),
        stateDir: ctx.stateDir,
        configPath: ctx.loaded.path,
        store: storeWhere(sessionStoreLocation(config, ctx.stateDir)),
      };
      const readiness = new Readiness(identity, () => services.sessions.list({ limit: 1 }));
      const host = new PluginHost(services, plugins, log);
      const runtimes = new PluginRuntimes(services, plugins, log);
      const address = bindAddress(config.gateway);
      const http = new GatewayHttpServer(log, { allowedHosts: configuredHostNames(config, address) });
      http.route("GET", "/readyz", readiness.handler(config.gateway?.metrics?.token));
      http.route("GET", "/metrics", metrics.handler(config.gateway?.metrics?.token));
      for (const c of planned) for (const path of c.paths) http.reserve("POST", path, c.name);
      const controlPage = mountControlPage(http, {
        services,
        processEnv,
        cwd: opts.cwd ?? process.cwd(),
        log,
      });
      const channelEnv: ChannelEnv = { host, http, log, env: channelValues };
      return { identity, readiness, host, runtimes, http, channelEnv, address, controlPage };
    },
  );
  const supervised: SupervisedChannel[] = [];
  let listening = false;
  try {
    const shown = planned.length > 0 ? planned : [{ name: "console", mode: "stdin/stdout" }];
    let where = "no HTTP server (set gateway.port to get /healthz, /readyz, /metrics)";
    if (port !== undefined) {
      const bound = await http.listen(port, address);
      listening = true;
      controlPage.publish(localBaseUrl(address, bound));
      opts.onListening?.(bound);
      where = `http ${address}:${bound}`;
    }
    log(
      "info",
      `openclaw gateway ${identity.version}; state ${identity.stateDir}; config ${identity.configPath}; ` +
        `channels ${shown.map((c) => `${c.name} (${c.mode})`).join(", ")}; store ${identity.store.kind} ${identity.store.where}; ${where}`,
    );
    await services.warmSecretRefs();
    await runtimes.start();
    const stopSignal = opts.stopSignal ?? signals();
    // The drain cancels answers in flight at once: a shutdown does not wait out a slow provider.
    void stopSignal.then(() => services.chat?.close());
    if (planned.length === 0) {
      readiness.set({ name: "console", mode: "stdin/stdout", state: "connected" });
      const stop = new AbortController();
      void stopSignal.then(() => {
        log("info", "shutting down");
        stop.abort();
      });
      await runConsole(host, opts.input ?? process.stdin, opts.output ?? process.stdout, stop.signal);
      return;
    }
    for (const c of planned) {
      const start = async (signal: AbortSignal) => {
        const channel = await c.start(channelEnv, signal);
        if (channel.send) runtimes.setOutlet(c.name, channel.send.bind(channel));
        return channel;
      };
      supervised.push(
        superviseChannel({
          name: c.name,
          mode: c.mode,
          start,
          readiness,
          log,
          ...(opts.retry ? { retry: opts.retry } : {}),
        }),
      );
    }
    await stopSignal;
    log("info", "shutting down");
  } finally {
    // In-flight model calls end now rather than after their timeout; then channels drain.
    services.chat?.close();
    await runtimes.stop();
    for (const c of supervised.reverse())
      await c.stop().catch((err: unknown) => log("error", `stopping ${c.name}: ${String(err)}`));
    if (listening) {
      controlPage.withdraw();
      await http.close();
    }
    await app.close();
  }
}
