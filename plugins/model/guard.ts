import type { ChannelCapabilities, Reply } from "../../src/gateway/types.js";
import { UserFacingError, userError, type UserError } from "../../src/util/user-error.js";
import { errorReply, fitReply } from "./format.js";

const STORE_UNAVAILABLE = userError(
  "store_unavailable",
  "The session store is temporarily unavailable.",
  "Try again in a moment.",
);

/**
 * The expected failure inside a thrown {@link UserFacingError} (store down, unreadable credential
 * or config file), or undefined for anything else, which is a bug and left to the host.
 */
export function expectedFailure(err: unknown): UserError | undefined {
  if (!(err instanceof UserFacingError)) return undefined;
  return err.detail.code === "store_unavailable" ? STORE_UNAVAILABLE : err.detail;
}

/** Runs a handler: expected failures become a reply, and every reply is made to fit the channel. */
export async function guarded(caps: ChannelCapabilities, run: () => Promise<Reply>): Promise<Reply> {
  try {
    return fitReply(await run(), caps);
  } catch (err) {
    const failure = expectedFailure(err);
    if (failure) return fitReply(errorReply(failure), caps);
    throw err;
  }
}
