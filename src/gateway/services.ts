import path from "node:path";
import { LiveConfig } from "./live-config.js";
import { contextFor } from "../config/context.js";
import { stateEnvFile } from "../config/paths.js";
import { AuthProfileStore, CachedProfileReader } from "../auth/store.js";
import type { CredentialResolver } from "../auth/resolver.js";
import { createResolver } from "../auth/create-resolver.js";
import { ExecRefResults, SecretRefs } from "../auth/secret-refs.js";
import { agentIds } from "../config/agents.js";
import { OAuthRefresher } from "../auth/oauth-refresh.js";
import type { SessionStore } from "../sessions/types.js";
import type { ChatResponder, GatewayServices } from "./types.js";
import { systemClock, type Clock } from "../util/clock.js";
import type { ConfigSection } from "../config/plugin-section.js";

/** What a gateway process is built from. */
export interface ServicesOptions {
  readonly stateDir: string;
  readonly configPath: string;
  /** Our own settings file; `<stateDir>/model-gateway.json` when not given. */
  readonly ownConfigPath?: string;
  readonly sessions: SessionStore;
  readonly processEnv?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly clock?: Clock;
  readonly onConfigError?: (message: string) => void;
  /** The loaded plugins' own config sections, validated whenever the config is read. */
  readonly sections?: readonly ConfigSection[];
  /**
   * Builds the responder for plain messages from the finished services (it needs them). Called on
   * first use of `services.chat`; absent in command-only gateways and tests.
   */
  readonly chat?: (services: GatewayServices) => ChatResponder;
}

/**
 * Wires config (live-reloaded), env, credential files (followed, never rewritten from memory;
 * only an OAuth refresh writes new tokens back, under the store's lock), the session store, the
 * OAuth refresher and one resolver that is rebuilt only when the config changes, and the chat
 * responder built from them on first use.
 */
export function createGatewayServices(opts: ServicesOptions): GatewayServices & {
  /**
   * Runs the programs of every agent's exec SecretRefs, all at once, without blocking; resolves
   * when each has answered (or timed out), so the first message finds the credentials ready.
   */
  warmSecretRefs(): Promise<void>;
} {
  const clock = opts.clock ?? systemClock;
  const processEnv = opts.processEnv ?? process.env;
  const live = new LiveConfig(opts.configPath, clock, opts.onConfigError ?? (() => undefined), undefined, {
    ownFile: opts.ownConfigPath ?? path.join(opts.stateDir, "model-gateway.json"),
    env: processEnv,
    stateDir: opts.stateDir,
    ...(opts.sections ? { sections: opts.sections } : {}),
  });
  const profiles = new AuthProfileStore(opts.stateDir, clock);
  const reader = new CachedProfileReader(profiles, clock);
  let resolverFor = -1;
  let resolver: CredentialResolver | undefined;
  let refs: SecretRefs | undefined;
  // A program's new answer is seen by preparing the credential lists again from fresh reads.
  const execRefs = new ExecRefResults(() => reader.invalidate());
  let chat: ChatResponder | undefined;
  const services: GatewayServices = {
    get chat() {
      if (!chat && opts.chat) chat = opts.chat(services);
      return chat;
    },
    config: () => live.get(),
    catalog: () => live.catalog(),
    resolver: () => {
      const v = live.version();
      if (!resolver || v !== resolverFor) {
        const ctx = contextFor(live.get(), {
          stateDir: opts.stateDir,
          processEnv,
          cwd: opts.cwd ?? process.cwd(),
        });
        refs = new SecretRefs(ctx.loaded, ctx.env, { results: execRefs });
        resolver = createResolver({
          config: ctx.loaded.config,
          catalog: live.catalog(),
          profiles: reader,
          env: ctx.env,
          cooldowns: opts.sessions.cooldowns,
          clock,
          refs,
          envFile: stateEnvFile(opts.stateDir),
        });
        resolverFor = v;
      }
      return resolver;
    },
    profiles: reader,
    refresher: new OAuthRefresher({
      store: profiles,
      leases: opts.sessions.leases,
      cooldowns: opts.sessions.cooldowns,
      config: () => live.get().config,
      clock,
      onRefreshed: (agentId) => reader.invalidate(agentId),
    }),
    sessions: opts.sessions,
    clock,
    stateDir: opts.stateDir,
  };
  const warmSecretRefs = async () => {
    services.resolver();
    await refs?.prefetch(() => {
      const files = [];
      for (const id of agentIds(live.get().config)) {
        try {
          files.push(reader.get(id));
        } catch {
          // An unreadable credential file is reported when a message needs it.
        }
      }
      return files;
    });
  };
  return Object.assign(services, { warmSecretRefs });
}
