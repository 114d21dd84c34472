import fs from "node:fs";
import type { LoadedContext } from "../config/context.js";
import { sessionStateDir } from "../config/paths.js";
import type { PeekableSessionStore } from "../sessions/cached-store.js";

/**
 * Opens the configured session store for a CLI command, or resolves to undefined when there is
 * nothing to read: an embedded SQLite file that does not exist yet holds no pins and no cooldowns,
 * and a read-only command must not create it. The session modules are imported only when a store
 * may exist, so status commands on a fresh install do not pay for them.
 */
export async function openExistingSessionStore(ctx: LoadedContext): Promise<PeekableSessionStore | undefined> {
  const config = ctx.loaded.config;
  if (typeof config.session?.store !== "object" && !fs.existsSync(sessionStateDir(ctx.stateDir))) return undefined;
  const { openSessionStore, sessionStoreLocation } = await import("../sessions/open.js");
  const location = sessionStoreLocation(config, ctx.stateDir);
  if (location.kind === "sqlite" && !fs.existsSync(location.file)) return undefined;
  return openSessionStore({ config, stateDir: ctx.stateDir });
}
