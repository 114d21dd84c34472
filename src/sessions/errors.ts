import { UserFacingError, userError } from "../util/user-error.js";

/** The stable code of {@link storeUnavailable}. */
export const STORE_UNAVAILABLE = "store_unavailable";

/**
 * The error every session-store operation rejects with when its backend cannot be reached (Redis
 * down, SQLite locked past the busy timeout). Nothing was half-written; the caller may retry.
 * The low-level error is kept as `cause` for logs; it never reaches the chat user.
 */
export function storeUnavailable(cause?: unknown): UserFacingError {
  const err = new UserFacingError(
    userError(STORE_UNAVAILABLE, "The session store is temporarily unavailable; try again."),
  );
  if (cause !== undefined) err.cause = cause;
  return err;
}
