import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { backoffDelay, type Backoff } from "./backoff.js";
import { systemClock, type Clock } from "./clock.js";
import { fsFailure, shortPath } from "./fs-failure.js";
import { UserFacingError, userError } from "./user-error.js";

/** A lock whose holder stopped refreshing it this long ago is taken over (a crash on another host). */
const STALE_MS = 10_000;
/** The holder touches its lock this often, so a long critical section is never taken for stale. */
const REFRESH_MS = 2_000;
/** How long a writer waits for another before giving up with a message that names the holder. */
const DEFAULT_DEADLINE_MS = 15_000;
/** A waiter looks again after 25 ms, then twice as long each time, every 250 ms at most. */
const WAIT: Backoff = { initialMs: 25, maxMs: 250 };
const OWNER_FILE = "owner.json";

/** Who holds a lock, as written into it by the holder. */
interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly since: number;
  /** Random per acquisition: the only proof that the lock at the path is still this holder's. */
  readonly token: string;
}

/** Locks this process holds (path → token); released on exit, also when a signal ends the process mid-write. */
const held = new Map<string, string>();
let exitHookInstalled = false;

function releaseAllOnExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const [dir, token] of held) release(dir, token);
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
      token: typeof raw.token === "string" ? raw.token : "",
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

/**
 * When the holder last showed it is alive, in its own clock's time: the refresh record it keeps
 * beside its owner record, else when it took the lock. Not the directory's mtime: the kernel sets
 * that from the system clock on every entry added, which an injected or shifted clock never sees.
 */
function refreshedAt(lockDir: string, owner: LockOwner): number {
  try {
    const at = Number(fs.readFileSync(path.join(lockDir, refreshFile(owner.token)), "utf8"));
    return Number.isFinite(at) ? at : owner.since;
  } catch {
    return owner.since;
  }
}

function refreshFile(token: string): string {
  return `refreshed-${token}`;
}

/**
 * A lock is stale when its holder on this host is gone, or nobody has refreshed it for a while.
 * A lock without our owner record (another tool's) ages by its directory's mtime, its convention.
 */
function isStale(lockDir: string, owner: LockOwner | undefined, now: number): boolean {
  if (owner && owner.host === os.hostname() && !isAlive(owner.pid)) return true;
  if (owner?.token) return now - refreshedAt(lockDir, owner) > STALE_MS;
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

/**
 * Records that the holder of `token` is alive at `now`, written whole (temporary name, then rename)
 * so no waiter reads half a number; also touches the directory for tools that age locks by mtime.
 */
function touch(lockDir: string, token: string, now: number): void {
  const record = path.join(lockDir, refreshFile(token));
  fs.writeFileSync(`${record}.tmp`, String(now), { mode: 0o600 });
  fs.renameSync(`${record}.tmp`, record);
  const t = new Date(now);
  fs.utimesSync(lockDir, t, t);
}

function tryTake(lockDir: string, file: string, now: number): string | undefined {
  try {
    fs.mkdirSync(lockDir, { mode: 0o700 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EEXIST") return undefined;
    throw fsFailure("lock_failed", "lock", file, err);
  }
  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    command: process.argv.slice(2, 6).join(" ") || "openclaw",
    since: now,
    token: crypto.randomBytes(12).toString("hex"),
  };
  fs.writeFileSync(path.join(lockDir, OWNER_FILE), JSON.stringify(owner), { mode: 0o600 });
  return owner.token;
}

/** Moves `lockDir` out of the way under a unique name and deletes it: nobody can take it meanwhile. */
function discard(lockDir: string): void {
  const aside = `${lockDir}.gone-${crypto.randomBytes(6).toString("hex")}`;
  try {
    fs.renameSync(lockDir, aside);
  } catch {
    return; // already gone
  }
  fs.rmSync(aside, { recursive: true, force: true });
}

/** Removes the lock only if it still holds `token`: a lock taken over from us is someone else's now. */
function release(lockDir: string, token: string): void {
  if (readOwner(lockDir)?.token === token) discard(lockDir);
}

/**
 * Takes a stale lock over. Several waiters may judge the same lock stale, and one of them may be
 * delayed until another has taken over and holds a fresh lock at the same path. So a waiter first
 * claims the stale holder's lock by making a marker named after that holder's token inside it
 * (`mkdir` is atomic: one claimant per holder), then checks the lock at the path is still that
 * holder's. A late waiter claims inside the new holder's lock, sees another token, and backs off.
 */
function takeOver(lockDir: string, stale: LockOwner | undefined): void {
  const marker = path.join(lockDir, `takeover-${stale?.token || "unowned"}`);
  try {
    fs.mkdirSync(marker);
  } catch {
    return; // another waiter claimed it, or the lock is gone: just try again
  }
  if ((readOwner(lockDir)?.token ?? "") === (stale?.token ?? "")) discard(lockDir);
  else fs.rmSync(marker, { recursive: true, force: true });
}

/** Options of {@link withFileLock}. */
export interface FileLockOptions {
  /** How long to wait for another holder before failing (default 15 s). */
  readonly deadlineMs?: number;
  /** The time lock ages are measured in (the system clock by default). */
  readonly clock?: Clock;
  /**
   * Runs after a waiter has judged a lock stale and before it takes it over: tests pause here to
   * put the race on a slow machine in front of the code.
   */
  readonly beforeTakeover?: () => Promise<void>;
}

/**
 * Runs `fn` while holding a cross-process lock on `file`: a sibling `<file>.lock` directory made
 * with one atomic `mkdir` (the convention proper-lockfile uses too), with an owner record inside.
 * Waiting is asynchronous, so SIGINT and SIGTERM are handled mid-wait, and bounded: at the deadline
 * the error names the lock and its holder. A lock whose holder died is taken over at once.
 */
export async function withFileLock<T>(file: string, fn: () => T | Promise<T>, opts: FileLockOptions = {}): Promise<T> {
  const lockDir = `${file}.lock`;
  const clock = opts.clock ?? systemClock;
  const deadline = clock() + (opts.deadlineMs ?? DEFAULT_DEADLINE_MS);
  let token: string | undefined;
  // A lock without an owner record may be one being made right now (its record follows the mkdir):
  // it counts as stale only when it was ownerless and stale at the previous look too.
  let ownerlessBefore = false;
  for (let attempt = 0; (token = tryTake(lockDir, file, clock())) === undefined; attempt++) {
    const now = clock();
    const owner = readOwner(lockDir);
    const stale = now < deadline && isStale(lockDir, owner, now);
    const ownerlessAndStale = stale && owner === undefined;
    if (stale && (owner !== undefined || ownerlessBefore)) {
      await opts.beforeTakeover?.();
      takeOver(lockDir, owner);
      ownerlessBefore = false;
      continue;
    }
    ownerlessBefore = ownerlessAndStale;
    if (now >= deadline) {
      throw new UserFacingError(
        userError(
          "file_locked",
          `Timed out waiting for the lock ${shortPath(lockDir)}: ${describeHolder(lockDir, owner, now)}.`,
          "Try again when that process has finished, or stop it.",
        ),
      );
    }
    await sleep(backoffDelay(WAIT, attempt));
  }
  const mine = token;
  held.set(lockDir, mine);
  releaseAllOnExit();
  const refresh = setInterval(() => {
    // Only our own lock is refreshed: one taken over from us must age for its new holder's waiters.
    if (readOwner(lockDir)?.token === mine) {
      try {
        touch(lockDir, mine, clock());
      } catch {
        // Gone meanwhile; the release below finds that out too.
      }
    }
  }, REFRESH_MS);
  refresh.unref();
  try {
    return await fn();
  } finally {
    clearInterval(refresh);
    held.delete(lockDir);
    release(lockDir, mine);
  }
}
