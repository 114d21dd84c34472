import type { CommandContext } from "../../src/gateway/types.js";
import { maySeeCredentials } from "../../src/gateway/access.js";

/** Whether the session is the one every direct message shares (`session.dmScope` "main"). */
export function sharesDmSession(ctx: CommandContext): boolean {
  return !ctx.invocation.isGroup && ctx.sessionKey === `agent:${ctx.agentId}:main`;
}

/**
 * Whether the caller may pin a profile here: an owner anywhere; anyone else only in a direct
 * message session of their own, since a pin in a group or in the shared DM session (dmScope
 * "main") pins it for everyone there.
 */
export function mayPin(ctx: CommandContext): boolean {
  return ctx.isOwner || (!ctx.invocation.isGroup && !sharesDmSession(ctx));
}

/** What a `Pinned profile:` line says: the id, or only that one is set where the caller may not see which. */
export function pinLabel(ctx: CommandContext, profileId: string): string {
  return maySeeCredentials(ctx) ? profileId : "set (only owners see which in a group)";
}

/** A pinned profile named in a sentence: its id, or "the profile" where the caller may not see which. */
export function profileName(ctx: CommandContext, profileId: string): string {
  return maySeeCredentials(ctx) ? profileId : "the profile";
}
