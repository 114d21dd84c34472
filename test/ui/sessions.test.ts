/**
 * The control page's links and sessions by the clock: a link works once and for 5 minutes, a
 * session lapses after 12 hours without a request (each request restarts that), and a revoke ends
 * them all.
 */
import { describe, expect, it } from "vitest";
import { DashboardSessions, LINK_TTL_MS, SESSION_IDLE_MS } from "../../src/ui/sessions.js";

function clock(start = 1_800_000_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => void (now += ms) };
}

describe("dashboard links and sessions", () => {
  it("lets a link in once", () => {
    const c = clock();
    const s = new DashboardSessions(c.now);
    const link = s.issueLink();
    expect(link.expiresAtMs).toBe(c.now() + LINK_TTL_MS);
    const session = s.login(link.token);
    expect(session?.label).toMatch(/^[0-9a-f]{8}$/);
    expect(s.login(link.token)).toBeUndefined();
    expect(s.session(session?.id)).toBe(session);
  });

  it("refuses a link opened after 5 minutes", () => {
    const c = clock();
    const s = new DashboardSessions(c.now);
    const link = s.issueLink();
    c.advance(LINK_TTL_MS);
    expect(s.login(link.token)).toBeUndefined();
  });

  it("ends a session after 12 hours idle, and each request restarts the 12 hours", () => {
    const c = clock();
    const s = new DashboardSessions(c.now);
    const id = s.login(s.issueLink().token)?.id;
    c.advance(SESSION_IDLE_MS - 1);
    expect(s.session(id)).toBeDefined();
    c.advance(SESSION_IDLE_MS - 1);
    expect(s.session(id)).toBeDefined();
    c.advance(SESSION_IDLE_MS);
    expect(s.session(id)).toBeUndefined();
  });

  it("ends every session and unused link on revoke", () => {
    const c = clock();
    const s = new DashboardSessions(c.now);
    const a = s.login(s.issueLink().token)?.id;
    const b = s.login(s.issueLink().token)?.id;
    const unused = s.issueLink();
    expect(s.revokeAll()).toBe(2);
    expect(s.session(a)).toBeUndefined();
    expect(s.session(b)).toBeUndefined();
    expect(s.login(unused.token)).toBeUndefined();
  });
});
