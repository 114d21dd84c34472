import type { CliContext } from "./cli-context.js";

/**
 * Side effects of an auth order change beyond the credential file: `auto` session pins of the
 * agent are dropped (DESIGN section 3: order changes drop `auto` pins, never `user` ones). Returns
 * how many were dropped (0 when no session store exists yet). A failure is a warning: the order
 * itself is already saved.
 */
export async function afterOrderChange(cli: CliContext): Promise<number | undefined> {
  try {
    const store = await cli.app.existingSessions();
    if (!store) return 0;
    return await store.dropAutoPins(`agent:${cli.agentId}:`);
  } catch (err) {
    cli.io.err(
      `warning: the order is saved, but automatic session pins could not be dropped: ${err instanceof Error ? err.message : String(err)}`,
    );
    return undefined;
  }
}
