import os from "node:os";
import path from "node:path";
import type { OpenClawConfig } from "../config/schema.js";
import { sessionStateDir } from "../config/paths.js";
import type { Clock } from "../util/clock.js";
import { CachedSessionStore, type PeekableSessionStore } from "./cached-store.js";

/** Where sessions live, as decided from `session.store`. */
export type SessionStoreLocation =
  | { readonly kind: "sqlite"; readonly file: string; readonly isDefault: boolean }
  | { readonly kind: "redis"; readonly url: string; readonly keyPrefix: string | undefined };

function expandPath(p: string, stateDir: string): string {
  const home = p === "~" || p.startsWith("~/") ? path.join(os.homedir(), p.slice(1)) : p;
  return path.resolve(stateDir, home);
}

/**
 * Reads our `session.store` (in model-gateway.json): absent → `<state>/state/sessions.sqlite`;
 * `{ kind: "sqlite", path? }` (`~` expands, relative paths are relative to the state directory);
 * `{ kind: "redis", url, keyPrefix? }`. A plain string is OpenClaw's: the path of its own JSON
 * session store, which we never open (the loader already turned our former SQLite path into the
 * object form).
 */
export function sessionStoreLocation(config: OpenClawConfig, stateDir: string): SessionStoreLocation {
  const setting = config.session?.store;
  const defaultFile = path.join(sessionStateDir(stateDir), "sessions.sqlite");
  if (setting === undefined || typeof setting === "string")
    return { kind: "sqlite", file: defaultFile, isDefault: true };
  if (setting.kind === "sqlite") {
    return setting.path === undefined
      ? { kind: "sqlite", file: defaultFile, isDefault: true }
      : { kind: "sqlite", file: expandPath(setting.path, stateDir), isDefault: false };
  }
  return { kind: "redis", url: setting.url, keyPrefix: setting.keyPrefix };
}

/**
 * Opens the configured session store behind the LRU cache (`session.cacheSize`, default 10,000).
 * SQLite is the default; the Redis client is imported only when Redis is configured, so SQLite
 * users and the CLI never load it. Redis that cannot be reached rejects with `store_unavailable`.
 */
export async function openSessionStore(opts: {
  config: OpenClawConfig;
  stateDir: string;
  clock?: Clock;
  /** Outage and recovery notices of a networked backend, for the log. */
  onStatus?: (message: string) => void;
}): Promise<PeekableSessionStore> {
  const location = sessionStoreLocation(opts.config, opts.stateDir);
  const cache = {
    ...(opts.config.session?.cacheSize !== undefined ? { max: opts.config.session.cacheSize } : {}),
    ...(opts.clock !== undefined ? { clock: opts.clock } : {}),
  };
  if (location.kind === "redis") {
    const { RedisSessionStore } = await import("./redis-store.js");
    const backend = await RedisSessionStore.open({
      url: location.url,
      ...(location.keyPrefix !== undefined ? { keyPrefix: location.keyPrefix } : {}),
      ...(opts.onStatus ? { onStatus: opts.onStatus } : {}),
    });
    return new CachedSessionStore(backend, cache);
  }
  const { SqliteSessionStore } = await import("./sqlite-store.js");
  return new CachedSessionStore(
    SqliteSessionStore.open({
      file: location.file,
      privateDir: location.isDefault,
      ...(opts.clock !== undefined ? { clock: opts.clock } : {}),
    }),
    cache,
  );
}
