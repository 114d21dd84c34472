import type { OpenClawConfig } from "../config/schema.js";

/** How a channel shows an answer: growing while it is written, or once when it is complete. */
export type StreamingMode = "partial" | "off";

/**
 * `channels.<channel>.streaming` under the current config, in OpenClaw's `{ mode }` form or the bare
 * mode earlier versions wrote; `partial` unless `off`. OpenClaw's `block` and `progress` also show
 * the answer while it is written, which is what `partial` does here.
 */
export function streamingMode(config: OpenClawConfig, channel: "telegram" | "discord" | "console"): StreamingMode {
  const setting = config.channels?.[channel]?.streaming;
  const mode = typeof setting === "string" ? setting : setting?.mode;
  return mode === "off" ? "off" : "partial";
}
