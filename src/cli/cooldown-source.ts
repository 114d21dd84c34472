import { MemoryCooldownStore, type CooldownStore } from "../auth/cooldowns.js";
import type { LoadedContext } from "../config/context.js";
import { openExistingSessionStore } from "./session-store.js";

/** The cooldown state a CLI command reads, and how to let go of it. */
export interface CooldownSource {
  readonly cooldowns: CooldownStore;
  close(): Promise<void>;
}

/**
 * Where the CLI reads cooldowns from: the session store backend, where the gateway records them
 * (DESIGN section 3). With no store on disk yet, or one that cannot be opened (the failure is
 * passed to `warn`), it is an empty in-process store, so status views show no cooldowns.
 */
export async function openCooldownSource(ctx: LoadedContext, warn: (message: string) => void): Promise<CooldownSource> {
  try {
    const store = await openExistingSessionStore(ctx);
    if (store) return { cooldowns: store.cooldowns, close: () => store.close() };
  } catch (err) {
    warn(
      `warning: cooldowns not shown, the session store could not be opened: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  return { cooldowns: new MemoryCooldownStore(), close: async () => {} };
}
