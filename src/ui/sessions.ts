import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Clock } from "../util/clock.js";

/** How long a `dashboard` link may wait before it is opened. */
export const LINK_TTL_MS = 5 * 60_000;
/** A control page session ends after this long without a request from the person (polls do not count). */
export const SESSION_IDLE_MS = 12 * 3_600_000;
/** A control page session ends this long after its login, however active. */
export const SESSION_MAX_MS = 7 * 24 * 3_600_000;

/** A browser logged in to the control page. */
export interface DashboardSession {
  /** Random; the cookie carries it, and nothing else shows it. */
  readonly id: string;
  /** What logs call it: 8 hex characters of a digest of the id, which give nothing of the id away. */
  readonly label: string;
  /** The token every action must carry (`x-csrf-token` header or `csrf` field). */
  readonly csrf: string;
  /** When its link was opened. */
  readonly startedAt: number;
  /** When the person last asked for something: a page, an action; not a poll. */
  lastSeen: number;
}

/** Whether a request was the person's or the open page's own poll, which must not keep a forgotten tab logged in. */
export type SessionRequest = "person" | "poll";

/** A fresh random token, URL- and cookie-safe. */
function token(): string {
  return randomBytes(32).toString("base64url");
}

/** Tokens are kept hashed: a heap dump holds nothing a browser could replay. */
function digest(value: string): string {
  return createHash("sha256").update(value).digest("hex");
}

/** Neither idle too long nor past its lifetime. */
function live(s: DashboardSession, now: number): boolean {
  return now - s.lastSeen < SESSION_IDLE_MS && now - s.startedAt < SESSION_MAX_MS;
}

/** Compares two strings in time independent of where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The control page's links and sessions, in memory: a gateway restart ends every session, and
 * `openclaw dashboard --revoke` ends them at once. A link's token works once, within
 * {@link LINK_TTL_MS}; a session lapses after {@link SESSION_IDLE_MS} without a request from the
 * person, and {@link SESSION_MAX_MS} after its login in any case.
 */
export class DashboardSessions {
  /** Link token digests and when each lapses. */
  private readonly links = new Map<string, number>();
  /** Sessions by the digest of their id. */
  private readonly sessions = new Map<string, DashboardSession>();

  constructor(private readonly clock: Clock) {}

  /** A new one-time link token and when it lapses. */
  issueLink(): { readonly token: string; readonly expiresAtMs: number } {
    const now = this.clock();
    for (const [key, expires] of this.links) if (expires <= now) this.links.delete(key);
    // Hex: the link is printed, and no run of hex digits looks like a key to the output redactor.
    const value = randomBytes(32).toString("hex");
    const expiresAtMs = now + LINK_TTL_MS;
    this.links.set(digest(value), expiresAtMs);
    return { token: value, expiresAtMs };
  }

  /** Spends a link token: a new session, or undefined when the token is unknown, used or lapsed. */
  login(linkToken: string): DashboardSession | undefined {
    const key = digest(linkToken);
    const expires = this.links.get(key);
    if (expires === undefined) return undefined;
    this.links.delete(key);
    const now = this.clock();
    if (expires <= now) return undefined;
    const id = token();
    const session: DashboardSession = {
      id,
      label: digest(id).slice(0, 8),
      csrf: token(),
      startedAt: now,
      lastSeen: now,
    };
    this.sessions.set(digest(id), session);
    return session;
  }

  /**
   * The live session a cookie value names, or undefined when there is none; a request of the
   * person's restarts its idle time, a poll leaves it running.
   */
  session(id: string | undefined, by: SessionRequest): DashboardSession | undefined {
    if (id === undefined) return undefined;
    const key = digest(id);
    const found = this.sessions.get(key);
    if (!found) return undefined;
    const now = this.clock();
    if (!live(found, now)) {
      this.sessions.delete(key);
      return undefined;
    }
    if (by === "person") found.lastSeen = now;
    return found;
  }

  /** Ends every session and unused link; returns how many sessions were live. */
  revokeAll(): number {
    const now = this.clock();
    let count = 0;
    for (const s of this.sessions.values()) if (live(s, now)) count++;
    this.sessions.clear();
    this.links.clear();
    return count;
  }
}
