import path from "node:path";
import type { OpenClawConfig } from "../config/schema.js";
import { channelsWithCredentials } from "../config/channel-credentials.js";

/** The channels this gateway runs; OpenClaw's other channel sections are its own. */
const OURS = new Set(["telegram", "discord"]);
/** Keys under `channels` that configure no channel. */
const SHARED = new Set(["defaults", "modelByChannel"]);

/**
 * Why each configured channel section will not start, one warning per section, for the gateway's
 * start: a Telegram or Discord section that is not `enabled: false` but has no token anywhere
 * (naming the key and the variable), and a section of a channel only OpenClaw runs. A silent
 * console-only start left people guessing.
 */
export function unstartedChannelWarnings(
  config: OpenClawConfig,
  env: Readonly<Record<string, string>>,
  stateDir: string,
): string[] {
  const channels = config.channels ?? {};
  const envFile = path.join(stateDir, ".env");
  const out: string[] = [];
  const startable = channelsWithCredentials(config, env);
  const t = channels.telegram;
  if (t !== undefined && t.enabled !== false && !startable.includes("telegram"))
    out.push(
      `channels.telegram is configured but has no bot token, so Telegram is not started: set channels.telegram.botToken, or TELEGRAM_BOT_TOKEN in the environment or ${envFile} (or set channels.telegram.enabled to false).`,
    );
  const d = channels.discord;
  if (d !== undefined && d.enabled !== false && !startable.includes("discord"))
    out.push(
      `channels.discord is configured but has no bot token, so Discord is not started: set channels.discord.token, or DISCORD_BOT_TOKEN in the environment or ${envFile} (or set channels.discord.enabled to false).`,
    );
  for (const [name, section] of Object.entries(channels)) {
    if (OURS.has(name) || SHARED.has(name) || name === "console" || section === undefined) continue;
    if ((section as { enabled?: unknown }).enabled === false) continue;
    out.push(
      `channels.${name} is not started: this gateway runs Telegram and Discord only (the section is OpenClaw's).`,
    );
  }
  return out;
}
