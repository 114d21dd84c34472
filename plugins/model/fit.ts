import type { ChannelCapabilities, Reply } from "../../src/gateway/types.js";
import { fitReply } from "./format.js";

/**
 * Runs a handler and makes its reply fit the channel. A failure it throws (the store down, an
 * unreadable file) is left to the host, which answers expected ones with their message.
 */
export async function fitted(caps: ChannelCapabilities, run: () => Promise<Reply>): Promise<Reply> {
  return fitReply(await run(), caps);
}
