import path from "node:path";
import { assemble } from "../../src/app/assemble.js";
import { PluginHost } from "../../src/gateway/host.js";
import type { ChatResponder, GatewayServices, PluginDefinition } from "../../src/gateway/types.js";
import type { Log } from "../../src/gateway/log.js";
import { modelPlugin } from "../../plugins/model/index.js";
import { writeStateDir } from "./state.js";
import { configSections } from "../../src/app/plugins.js";
import { systemClock, type Clock } from "../../src/util/clock.js";

/** A gateway assembled from the real parts over a temporary state directory. */
export interface TestGateway {
  readonly stateDir: string;
  readonly configPath: string;
  readonly services: GatewayServices;
  readonly host: PluginHost;
  /** Every line logged, to assert on (and to check no secret leaks). */
  readonly logs: string[];
  /** Answers plain messages with `responder` from now on (a test swaps models mid-way). */
  useChat(responder: ChatResponder): void;
  close(): Promise<void>;
}

/** What to put in the temporary state directory before start. */
export interface TestGatewayOptions {
  /** Written as `openclaw.json` (our former keys there move to `model-gateway.json`). */
  readonly config?: object;
  /** Written into `model-gateway.json`: our own settings, such as a plugin's section. */
  readonly own?: object;
  /** Written as the main agent's `auth-profiles.json`. */
  readonly authProfiles?: object;
  /** The environment the gateway sees (no process env leaks in). */
  readonly env?: Record<string, string>;
  readonly clock?: Clock;
  readonly plugins?: readonly PluginDefinition[];
  /** Builds the chat responder from the services (default: none until {@link TestGateway.useChat}). */
  readonly chat?: (services: GatewayServices) => ChatResponder;
  /** Reuse an existing state dir (e.g. a restart). */
  readonly stateDir?: string;
}

/** Builds a gateway (real SQLite store, real config and credential files) in a temp dir. */
export async function createTestGateway(opts: TestGatewayOptions = {}): Promise<TestGateway> {
  const stateDir = writeStateDir({
    prefix: "openclaw-test-",
    ...(opts.stateDir !== undefined ? { stateDir: opts.stateDir } : {}),
    ...(opts.config ? { config: opts.config } : {}),
    ...(opts.own ? { own: opts.own } : {}),
    ...(opts.authProfiles ? { authProfiles: opts.authProfiles } : {}),
  });
  const configPath = path.join(stateDir, "openclaw.json");
  const logs: string[] = [];
  const log: Log = (level, message) => void logs.push(`[${level}] ${message}`);
  const plugins = opts.plugins ?? [modelPlugin];
  let current: ChatResponder | undefined;
  // Forwards to whatever the test chose last, so a test can swap it after the gateway started.
  const swappable: ChatResponder = {
    respond: (ctx, text, sink, model) =>
      current ? current.respond(ctx, text, sink, model) : Promise.resolve({ text: "no chat responder" }),
    reset: async (key) => current?.reset(key),
    stop: (key) => current?.stop(key) ?? false,
    close: () => current?.close(),
  };
  const app = assemble({
    env: { OPENCLAW_STATE_DIR: stateDir, ...opts.env },
    cwd: stateDir,
    clock: opts.clock ?? systemClock,
    log,
    // Our plugins' own sections are validated with the config, as the gateway does.
    sections: configSections(plugins),
    chat: (built) => {
      if (opts.chat) current = opts.chat(built);
      return swappable;
    },
  });
  const services = await app.gateway();
  const host = new PluginHost(services, plugins, log);
  return {
    stateDir,
    configPath,
    services,
    host,
    logs,
    useChat: (responder) => void (current = responder),
    close: () => app.close(),
  };
}
