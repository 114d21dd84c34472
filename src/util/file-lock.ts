import lockfile from "proper-lockfile";

/**
 * Runs `fn` while holding a cross-process lock on `file` (proper-lockfile's mkdir lock, so it works
 * between the CLI and a running gateway). The file need not exist yet.
 */
export async function withFileLock<T>(file: string, fn: () => T | Promise<T>): Promise<T> {
  const release = await lockfile.lock(file, {
    retries: { retries: 50, minTimeout: 10, maxTimeout: 100 },
    stale: 10_000,
    // The target may not exist yet (first write); the lock is a sibling `<file>.lock` directory.
    realpath: false,
  });
  try {
    return await fn();
  } finally {
    await release();
  }
}
