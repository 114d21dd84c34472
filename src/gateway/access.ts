import type { OpenClawConfig } from "../config/schema.js";
import type { CommandContext } from "./types.js";

/** What a sender may do on a channel. */
export interface Access {
  /** May run commands at all. */
  readonly allowed: boolean;
  /** May pin profiles, change agent/global defaults and see status in groups. */
  readonly isOwner: boolean;
}

/**
 * DESIGN section 6: `commands.ownerAllowFrom` lists owners as `<channel>:<userId>`;
 * `commands.allowFrom.<channel>` (or `"*"`) lists who may use commands, `"*"` as an entry meaning
 * everyone. A channel with no entry is owners-only, because the bot spends paid credentials. The
 * local console user is always an owner.
 */
export function accessFor(config: OpenClawConfig, channel: string, senderId: string): Access {
  if (channel === "console") return { allowed: true, isOwner: true };
  const owners = config.commands?.ownerAllowFrom ?? [];
  const isOwner = owners.includes(`${channel}:${senderId}`);
  const allowFrom = config.commands?.allowFrom ?? {};
  const list = allowFrom[channel] ?? allowFrom["*"] ?? [];
  const allowed = isOwner || list.includes("*") || list.includes(senderId);
  return { allowed, isOwner };
}

/**
 * Whether the caller may see profile ids and masked secrets: what `/model status` and `/status` show, so
 * one rule for both: an owner anywhere, anyone else outside groups.
 */
export function maySeeCredentials(ctx: CommandContext): boolean {
  return ctx.isOwner || !ctx.invocation.isGroup;
}
