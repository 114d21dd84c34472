import fs from "node:fs";
import { configSources, contextFor, type LoadedContext } from "../config/context.js";
import { readEnvFiles } from "../config/env.js";
import { loadConfig, type LoadedConfig } from "../config/load.js";
import { sessionStateDir, stateDir as stateDirOf, stateEnvFile } from "../config/paths.js";
import { configStamp } from "../config/stamp.js";
import type { ConfigSection } from "../config/plugin-section.js";
import { withCatalog, type CatalogContext } from "../models/context.js";
import { AuthProfileStore, type ProfileReader } from "../auth/store.js";
import type { CredentialResolver } from "../auth/resolver.js";
import { createResolver } from "../auth/create-resolver.js";
import { SecretRefs } from "../auth/secret-refs.js";
import { MemoryCooldownStore, type CooldownStore } from "../auth/cooldowns.js";
import type { OAuthRefresher } from "../auth/oauth-refresh.js";
import type { PeekableSessionStore } from "../sessions/cached-store.js";
import type { ChatResponder, GatewayObserver, GatewayServices } from "../gateway/types.js";
import type { Log } from "../gateway/log.js";
import { UserFacingError } from "../util/user-error.js";
import type { Clock } from "../util/clock.js";
import type { GatewayAssembly } from "./gateway-services.js";
import type { RollUpSchedule } from "./ledger-rollup.js";

/** What every process is built from: the gateway, each CLI command, doctor, the benches and the tests. */
export interface AssemblyInputs {
  /** The process environment: paths (`OPENCLAW_STATE_DIR`, ...), keys, `${VAR}`s. Nothing else is read from `process.env`. */
  readonly env: NodeJS.ProcessEnv;
  /** Where `./.env` is looked for. */
  readonly cwd: string;
  readonly clock: Clock;
  /** Warnings of long-lived parts: a config edit that was ignored, a session store outage. */
  readonly log: Log;
  /**
   * Doctor's way to go on with a broken config: the error is handed here and everything is built
   * over an empty config at the same paths. Without it an invalid config throws (one line).
   */
  readonly onInvalidConfig?: (error: UserFacingError) => void;
  /** Told every secret a SecretRef resolves to (the CLI keeps them out of its output). */
  readonly onSecret?: (secret: string) => void;
  /** Builds the responder for plain messages from the finished gateway services, on first use. */
  readonly chat?: (services: GatewayServices) => ChatResponder;
  /** Counts commands and model calls (the gateway's metrics). */
  readonly observer?: GatewayObserver;
  /** The plugins' own config sections, validated with the config at start and at every change. */
  readonly sections?: readonly ConfigSection[];
  /**
   * How often the gateway looks whether a credential file changed, at most (default 500 ms).
   * Tests that edit files under a frozen clock pass 0.
   */
  readonly profileCheckEveryMs?: number;
}

/**
 * Every service of the program, built on first use: a CLI command pays only for the parts it
 * touches (no session store, no Redis client, no channel library unless asked for).
 */
export interface Assembly {
  readonly stateDir: string;
  /** The config (read once, here), the merged environment and the default agent. */
  readonly context: LoadedContext;
  /** {@link context} with the model catalog its config implies. */
  catalogContext(): CatalogContext;
  /** The credential store: OpenClaw's SQLite or the JSON files, detected per agent. */
  readonly credentials: AuthProfileStore;
  /** The SecretRefs of the config as read at start. */
  secretRefs(): SecretRefs;
  /**
   * THE resolver over the config as read at start, reading credentials through `profiles` (a
   * command's snapshot) and cooldowns from `cooldowns`.
   */
  resolver(parts: { profiles: ProfileReader; cooldowns: CooldownStore; refs: SecretRefs }): CredentialResolver;
  /** The configured session store (SQLite file or Redis), opened once and created if missing. */
  sessions(): Promise<PeekableSessionStore>;
  /**
   * The session store if there may be something in it, else undefined: an embedded SQLite file
   * that does not exist yet holds no pins and no cooldowns, and a read-only command must not
   * create it.
   */
  existingSessions(): Promise<PeekableSessionStore | undefined>;
  /**
   * Where a status view reads cooldowns: the session store, where the gateway records them
   * (DESIGN section 3). With no store yet, or one that cannot be opened (logged as a warning), an
   * empty in-process store.
   */
  cooldowns(): Promise<CooldownStore>;
  /** Refreshes OAuth profiles under the session store's leases, as the gateway does. */
  refresher(): Promise<OAuthRefresher>;
  /**
   * The running gateway's services: live config, a resolver that follows it, chat on first use;
   * and the ledger's roll-up (`usage.retainDays`), at once and once a day until {@link close}.
   */
  gateway(): Promise<GatewayAssembly>;
  /** Stops the gateway's scheduled ledger roll-up, then closes the session store if one was opened. */
  close(): Promise<void>;
}

function emptyConfig(file: string, ownFile: string): LoadedConfig {
  return { path: file, exists: true, ownPath: ownFile, ownExists: false, config: {}, warnings: [] };
}

/**
 * The one assembly. Reads `openclaw.json` (with our own file on top) and the `.env` files once;
 * everything else is built when first asked for, from those and the inputs. Tests call it with
 * their own env, cwd, clock and log, so what they run is what production runs.
 */
export function assemble(inputs: AssemblyInputs): Assembly {
  const { env, cwd, clock, log } = inputs;
  const stateDir = stateDirOf(env);
  const { file, opts: sources } = configSources(env);
  const load = inputs.sections ? { ...sources, sections: inputs.sections } : sources;
  // Taken before the read, so an edit made while it runs is seen by the live config.
  const stamp = configStamp(file, load);
  let loaded: LoadedConfig;
  try {
    loaded = loadConfig(file, load);
  } catch (err) {
    if (!(err instanceof UserFacingError) || !inputs.onInvalidConfig) throw err;
    inputs.onInvalidConfig(err);
    loaded = emptyConfig(file, load.ownFile ?? file);
  }
  const envFiles = readEnvFiles({ cwd, stateDir });
  const context = contextFor(loaded, { stateDir, processEnv: env, envFiles });
  let catalogContext: CatalogContext | undefined;
  let credentials: AuthProfileStore | undefined;
  let store: Promise<PeekableSessionStore> | undefined;
  let gateway: Promise<GatewayAssembly> | undefined;
  let rollUps: RollUpSchedule | undefined;

  const openStore = async (onStatus?: (message: string) => void): Promise<PeekableSessionStore> => {
    // Loaded on use: commands that never touch sessions do not pay for SQLite or Redis.
    const { openSessionStore } = await import("../sessions/open.js");
    return openSessionStore({ config: loaded.config, stateDir, clock, ...(onStatus ? { onStatus } : {}) });
  };
  const sessions = (): Promise<PeekableSessionStore> => {
    store ??= openStore();
    return store;
  };

  const assembly: Assembly = {
    stateDir,
    context,
    catalogContext: () => {
      catalogContext ??= withCatalog(context);
      return catalogContext;
    },
    get credentials() {
      credentials ??= new AuthProfileStore(stateDir, clock);
      return credentials;
    },
    secretRefs: () => new SecretRefs(context.loaded, context.env, inputs.onSecret ? { onSecret: inputs.onSecret } : {}),
    resolver: ({ profiles, cooldowns, refs }) =>
      createResolver({
        config: loaded.config,
        catalog: assembly.catalogContext().catalog,
        profiles,
        env: context.env,
        cooldowns,
        clock,
        refs,
        envFile: stateEnvFile(stateDir),
      }),
    sessions,
    existingSessions: async () => {
      if (store) return store;
      if (typeof loaded.config.session?.store !== "object" && !fs.existsSync(sessionStateDir(stateDir)))
        return undefined;
      const { sessionStoreLocation } = await import("../sessions/open.js");
      const location = sessionStoreLocation(loaded.config, stateDir);
      if (location.kind === "sqlite" && !fs.existsSync(location.file)) return undefined;
      return sessions();
    },
    cooldowns: async () => {
      try {
        const found = await assembly.existingSessions();
        if (found) return found.cooldowns;
      } catch (err) {
        log(
          "warn",
          `cooldowns not shown, the session store could not be opened: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      return new MemoryCooldownStore();
    },
    refresher: async () => {
      const opened = await sessions();
      const { OAuthRefresher } = await import("../auth/oauth-refresh.js");
      return new OAuthRefresher({
        store: assembly.credentials,
        leases: opened.leases,
        cooldowns: opened.cooldowns,
        config: () => loaded.config,
        clock,
      });
    },
    gateway: () => {
      gateway ??= (async () => {
        store ??= openStore((m) => log("warn", m));
        const opened = await store;
        const { gatewayServices } = await import("./gateway-services.js");
        const { DEFAULT_RETAIN_DAYS, scheduleRollUp } = await import("./ledger-rollup.js");
        const services = gatewayServices({
          start: context,
          envFiles,
          processEnv: env,
          clock,
          config: { file, load, stamp },
          onConfigError: (m) => log("warn", `config change ignored: ${m}`),
          credentials: assembly.credentials,
          sessions: opened,
          profileCheckEveryMs: inputs.profileCheckEveryMs,
          chat: inputs.chat,
          observer: inputs.observer,
        });
        // The ledger stays small: old raw entries fold into daily sums, at start and once a day.
        rollUps = scheduleRollUp({
          ledger: opened.ledger,
          retainDays: () => services.config().config.usage?.retainDays ?? DEFAULT_RETAIN_DAYS,
          clock,
          log,
        });
        return services;
      })();
      return gateway;
    },
    close: async () => {
      // A roll-up in progress finishes before the store it writes to closes.
      await rollUps?.stop();
      rollUps = undefined;
      if (!store) return;
      const closing = store;
      store = undefined;
      await (await closing.catch(() => undefined))?.close();
    },
  };
  return assembly;
}
