import { LiveConfig } from "../gateway/live-config.js";
import { contextFor, type LoadedContext } from "../config/context.js";
import type { EnvFiles } from "../config/env.js";
import type { LoadedConfig, LoadOptions } from "../config/load.js";
import { stateEnvFile } from "../config/paths.js";
import { type AuthProfileStore, CachedProfileReader } from "../auth/store.js";
import type { CredentialResolver } from "../auth/resolver.js";
import { createResolver } from "../auth/create-resolver.js";
import { ExecRefResults, SecretRefs } from "../auth/secret-refs.js";
import { agentIds } from "../config/agents.js";
import { OAuthRefresher } from "../auth/oauth-refresh.js";
import type { PeekableSessionStore } from "../sessions/cached-store.js";
import type { ChatResponder, GatewayObserver, GatewayServices } from "../gateway/types.js";
import type { Clock } from "../util/clock.js";

/** The services of a running gateway, and what only its start-up needs. */
export interface GatewayAssembly extends GatewayServices {
  readonly sessions: PeekableSessionStore;
  /**
   * Runs the programs of every agent's exec SecretRefs, all at once, without blocking; resolves
   * when each has answered (or timed out), so the first message finds the credentials ready.
   */
  warmSecretRefs(): Promise<void>;
}

/** What {@link gatewayServices} wires together; the assembly has built or read each part. */
export interface GatewayParts {
  /** The context as read at start: its config starts the live one, its `.env` files are kept. */
  readonly start: LoadedContext;
  readonly envFiles: EnvFiles;
  readonly processEnv: NodeJS.ProcessEnv;
  readonly clock: Clock;
  /** How the config files were read at start, and their stamp just before. */
  readonly config: { readonly file: string; readonly load: LoadOptions; readonly stamp: string };
  readonly onConfigError: (message: string) => void;
  readonly credentials: AuthProfileStore;
  readonly sessions: PeekableSessionStore;
  readonly profileCheckEveryMs: number | undefined;
  readonly chat: ((services: GatewayServices) => ChatResponder) | undefined;
  readonly observer: GatewayObserver | undefined;
}

/**
 * Wires config (live-reloaded from the config already read), env (the `.env` files as read at
 * start, the config's `env` block as it is now), credential files (followed, never rewritten from
 * memory; only an OAuth refresh writes new tokens back, under the store's lock), the session store,
 * the OAuth refresher and one resolver that is rebuilt only when the config changes, and the chat
 * responder built from them on first use.
 */
export function gatewayServices(parts: GatewayParts): GatewayAssembly {
  const { clock, start } = parts;
  const live = new LiveConfig(start.loaded, {
    file: parts.config.file,
    load: parts.config.load,
    stamp: parts.config.stamp,
    clock,
    onError: parts.onConfigError,
  });
  const reader = new CachedProfileReader(parts.credentials, clock, parts.profileCheckEveryMs);
  let resolverFor = -1;
  let resolver: CredentialResolver | undefined;
  let refs: SecretRefs | undefined;
  // A program's new answer is seen by preparing the credential lists again from fresh reads.
  const execRefs = new ExecRefResults(() => reader.invalidate());
  let chat: ChatResponder | undefined;
  const contextOf = (loaded: LoadedConfig): LoadedContext =>
    loaded === start.loaded
      ? start
      : contextFor(loaded, {
          stateDir: start.stateDir,
          processEnv: parts.processEnv,
          envFiles: parts.envFiles,
        });
  const services: GatewayAssembly = {
    get chat() {
      if (!chat && parts.chat) chat = parts.chat(services);
      return chat;
    },
    config: () => live.get(),
    catalog: () => live.catalog(),
    resolver: () => {
      const v = live.version();
      if (!resolver || v !== resolverFor) {
        const ctx = contextOf(live.get());
        refs = new SecretRefs(ctx.loaded, ctx.env, { results: execRefs });
        resolver = createResolver({
          config: ctx.loaded.config,
          catalog: live.catalog(),
          profiles: reader,
          env: ctx.env,
          cooldowns: parts.sessions.cooldowns,
          clock,
          refs,
          envFile: stateEnvFile(start.stateDir),
        });
        resolverFor = v;
      }
      return resolver;
    },
    profiles: reader,
    refresher: new OAuthRefresher({
      store: parts.credentials,
      leases: parts.sessions.leases,
      cooldowns: parts.sessions.cooldowns,
      config: () => live.get().config,
      clock,
      onRefreshed: (agentId) => reader.invalidate(agentId),
    }),
    sessions: parts.sessions,
    clock,
    startedAt: clock(),
    stateDir: start.stateDir,
    observer: parts.observer,
    warmSecretRefs: async () => {
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
    },
  };
  return services;
}
