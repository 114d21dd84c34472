import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fsFailure, shortPath } from "./fs-failure.js";
import { UserFacingError, userError } from "./user-error.js";

/** A lock whose holder stopped refreshing it this long ago is taken over (a crash on another host). */
const STALE_MS = 10_000;
/** The holder touches its lock this often, so a long critical section is never taken for stale. */
const REFRESH_MS = 2_000;
/** How long a writer waits for another before giving up with a message that names the holder. */
const DEFAULT_DEADLINE_MS = 15_000;
const OWNER_FILE = "owner.json";

/** Who holds a lock, as written into it by the holder. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: number;
}

/** Locks this process holds; released on exit, also when a signal ends the process mid-write. */
const held = new Set<string>();
let exitHookInstalled = false;

function releaseAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const dir of held) fs.rmSync(dir, { recursive: true, force: true });
  });
}

function readOwner(lockDir: string): LockOwner | undefined {
  try {
    const raw = JSON.parse(fs.readFileSync(path.join(lockDir, OWNER_FILE), "utf8")) as Partial<LockOwner>;
    if (typeof raw.pid !== "number" || typeof raw.host !== "string" || typeof raw.since !== "number") return undefined;
    return {
      pid: raw.pid,
      host: raw.host,
      since: raw.since,
      command: typeof raw.command === "string" ? raw.command : "?",
    };
  } catch {
    // Being written right now, or a lock made by a tool that records no owner.
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** A lock is stale when its holder on this host is gone, or nobody has refreshed it for a while. */
function isStale(lockDir: string, owner: LockOwner | undefined, now: number): boolean {
  if (owner && owner.host === os.hostname() && !isAlive(owner.pid)) return true;
  const st = fs.statSync(lockDir, { throwIfNoEntry: false });
  return st !== undefined && now - st.mtimeMs > STALE_MS;
}

function describeHolder(lockDir: string, owner: LockOwner | undefined, now: number): string {
  if (owner) {
    const age = Math.round((now - owner.since) / 1000);
    return `held by pid ${owner.pid} on ${owner.host} (${owner.command}) for ${age}s`;
  }
  const st = fs.statSync(lockDir, { throwIfNoEntry: false });
  const age = st ? `, taken ${Math.round((now - st.mtimeMs) / 1000)}s ago` : "";
  return `held by a process that left no owner record${age}`;
}

function tryTake(lockDir: string, file: string): boolean {
  try {
    fs.mkdirSync(lockDir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw fsFailure("lock_failed", "lock", file, err);
  }
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    command: process.argv.slice(2, 6).join(" ") || "openclaw",
    since: Date.now(),
  };
  fs.writeFileSync(path.join(lockDir, OWNER_FILE), JSON.stringify(owner), { mode: 0o600 });
  return true;
}

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** How long to wait for another holder before failing (default 15 s). */
  readonly deadlineMs?: number;
}

/**
 * Runs `fn` while holding a cross-process lock on `file`: a sibling `<file>.lock` directory made
 * with one atomic `mkdir` (the convention proper-lockfile uses too), with an owner record inside.
 * Waiting is asynchronous, so SIGINT and SIGTERM are handled mid-wait, and bounded: at the deadline
 * the error names the lock and its holder. A lock whose holder died is taken over at once.
 */
export async function withFileLock<T>(file: string, fn: () => T | Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  const lockDir = `${file}.lock`;
  const deadline = Date.now() + (opts.deadlineMs ?? DEFAULT_DEADLINE_MS);
  for (let attempt = 0; !tryTake(lockDir, file); attempt++) {
    const now = Date.now();
    const owner = readOwner(lockDir);
    if (now < deadline && isStale(lockDir, owner, now)) {
      fs.rmSync(lockDir, { recursive: true, force: true });
      continue;
    }
    if (now >= deadline) {
      throw new UserFacingError(
        userError(
          "file_locked",
          `Timed out waiting for the lock ${shortPath(lockDir)}: ${describeHolder(lockDir, owner, now)}.`,
          "Try again when that process has finished, or stop it.",
        ),
      );
    }
    await sleep(Math.min(25 * 2 ** attempt, 250));
  }
  held.add(lockDir);
  releaseAllOnExit();
  const refresh = setInterval(() => {
    const t = new Date();
    fs.utimes(lockDir, t, t, () => undefined);
  }, REFRESH_MS);
  refresh.unref();
  try {
    return await fn();
  } finally {
    clearInterval(refresh);
    held.delete(lockDir);
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}
