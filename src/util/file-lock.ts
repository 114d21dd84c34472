import lockfile from "proper-lockfile";
import { UserFacingError, userError } from "./user-error.js";

/** A lock older than this (its holder died without releasing it) is taken over. */
const STALE_MS = 10_000;

/**
 * Runs `fn` while holding a cross-process lock on `file` (proper-lockfile's mkdir lock, so it works
 * between the CLI and a running gateway). The file need not exist yet. Waiting lasts longer than
 * the stale limit, so a lock left by a killed process is taken over rather than reported.
 */
export async function withFileLock<T>(file: string, fn: () => T | Promise<T>): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, {
      retries: { retries: 150, minTimeout: 20, maxTimeout: 100 },
      stale: STALE_MS,
      // The target may not exist yet (first write); the lock is a sibling `<file>.lock` directory.
      realpath: false,
      // The default throws from a timer, which would take a gateway down. Our writes are atomic
      // renames, so a compromised lock at worst lets two writers race; the last rename wins whole.
      onCompromised: () => undefined,
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOCKED") {
      throw new UserFacingError(userError("file_locked", `Another openclaw process is writing ${file}.`, "Try again in a moment."));
    }
    throw err;
  }
  try {
    return await fn();
  } finally {
    await release();
  }
}
