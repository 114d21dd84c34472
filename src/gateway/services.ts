import { LiveConfig } from "./live-config.js";
import { contextFor } from "../config/context.js";
import { AuthProfileStore, CachedProfileReader } from "../auth/store.js";
import type { CredentialResolver } from "../auth/resolver.js";
import { createResolver } from "../auth/create-resolver.js";
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
 * Wires config (live-reloaded), env, credential files (followed, never rewritten from memory),
 * the session store and one resolver that is rebuilt only when the config changes.
 */
export function createGatewayServices(opts: ServicesOptions): GatewayServices {
  const clock = opts.clock ?? systemClock;
  const live = new LiveConfig(opts.configPath, clock, opts.onConfigError ?? (() => undefined));
  const profiles = new AuthProfileStore(opts.stateDir);
  const reader = new CachedProfileReader(profiles, clock);
  let resolverFor = -1;
  let resolver: CredentialResolver | undefined;
  return {
    config: () => live.get(),
    catalog: () => live.catalog(),
    resolver: () => {
      const v = live.version();
      if (!resolver || v !== resolverFor) {
        const ctx = contextFor(live.get(), {
          stateDir: opts.stateDir,
          processEnv: opts.processEnv ?? process.env,
          cwd: opts.cwd ?? process.cwd(),
        });
        resolver = createResolver({
          config: ctx.loaded.config,
          catalog: live.catalog(),
          profiles: reader,
          env: ctx.env.values,
          cooldowns: opts.sessions.cooldowns,
          clock,
        });
        resolverFor = v;
      }
      return resolver;
    },
    profiles: reader,
    sessions: opts.sessions,
    clock,
    stateDir: opts.stateDir,
  };
}
