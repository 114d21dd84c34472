import { LiveConfig } from "./live-config.js";
import { loadEnv } from "../config/env.js";
import { AuthProfileStore, CachedProfileReader } from "../auth/store.js";
import { CredentialResolver } from "../auth/resolver.js";
import { OAuthRefresher } from "../auth/oauth-refresh.js";
import { resolveSecretRef, secretProvidersOf } from "../auth/secret-ref.js";
import type { SessionStore } from "../sessions/types.js";
import type { GatewayServices } from "./types.js";
import { systemClock, type Clock } from "../util/clock.js";

/** What a gateway process is built from. */
export interface ServicesOptions {
  readonly stateDir: string;
  readonly configPath: string;
  readonly sessions: SessionStore;
  readonly processEnv?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly clock?: Clock;
  readonly onConfigError?: (message: string) => void;
}

/**
 * Wires config (live-reloaded), env, credential files (followed, never rewritten from memory;
 * only an OAuth refresh writes new tokens back, under the store's lock), the session store, the
 * OAuth refresher and one resolver that is rebuilt only when the config changes.
 */
export function createGatewayServices(opts: ServicesOptions): GatewayServices {
  const clock = opts.clock ?? systemClock;
  const live = new LiveConfig(opts.configPath, clock, opts.onConfigError ?? (() => undefined));
  const profiles = new AuthProfileStore(opts.stateDir);
  const reader = new CachedProfileReader(profiles, clock);
  let envFor = -1;
  let env: Readonly<Record<string, string>> = {};
  let resolverFor = -1;
  let resolver: CredentialResolver | undefined;
  const currentEnv = () => {
    const v = live.version();
    if (v !== envFor) {
      env = loadEnv({
        processEnv: opts.processEnv ?? process.env,
        cwd: opts.cwd ?? process.cwd(),
        stateDir: opts.stateDir,
        config: live.get().config,
      }).values;
      envFor = v;
    }
    return env;
  };
  return {
    config: () => live.get(),
    catalog: () => live.catalog(),
    resolver: () => {
      const v = live.version();
      if (!resolver || v !== resolverFor) {
        resolver = new CredentialResolver({
          config: live.get().config,
          catalog: live.catalog(),
          profiles: reader,
          env: currentEnv(),
          cooldowns: opts.sessions.cooldowns,
          clock,
          secretRefs: (ref) =>
            resolveSecretRef(ref, { env: currentEnv(), providers: secretProvidersOf(live.get().config) }),
        });
        resolverFor = v;
      }
      return resolver;
    },
    profiles,
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
}
