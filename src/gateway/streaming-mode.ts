import type { OpenClawConfig } from "../config/schema.js";

/** How a channel shows an answer: growing while it is written, or once when it is complete. */
export type StreamingMode = "partial" | "off";

/** `channels.<channel>.streaming` under the current config; `partial` unless set to `off`. */
export function streamingMode(config: OpenClawConfig, channel: "telegram" | "discord" | "console"): StreamingMode {
  return config.channels?.[channel]?.streaming ?? "partial";
}
