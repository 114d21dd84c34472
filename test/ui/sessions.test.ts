/**
 * The control page's links and sessions by the clock: a link works once and for 5 minutes, a
 * session lapses after 12 hours without a request from the person (each one restarts that; the
 * open page's polls do not) and 7 days after its login in any case, and a revoke ends them all.
 */
import fs from "node:fs";
import type { IncomingHttpHeaders } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { assemble } from "../../src/app/assemble.js";
import { mountControlPage } from "../../src/app/control-page.js";
import { GatewayHttpServer } from "../../src/gateway/http-server.js";
import { readHandoff } from "../../src/ui/handoff.js";
import { DashboardSessions, LINK_TTL_MS, SESSION_IDLE_MS, SESSION_MAX_MS } from "../../src/ui/sessions.js";
import { writeStateDir } from "../support/state.js";

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
    expect(s.session(session?.id, "person")).toBe(session);
  });

  it("refuses a link opened after 5 minutes", () => {
    const c = clock();
    const s = new DashboardSessions(c.now);
    const link = s.issueLink();
    c.advance(LINK_TTL_MS);
    expect(s.login(link.token)).toBeUndefined();
  });

  it("ends a session after 12 hours idle, and each request of the person's restarts the 12 hours", () => {
    const c = clock();
    const s = new DashboardSessions(c.now);
    const id = s.login(s.issueLink().token)?.id;
    c.advance(SESSION_IDLE_MS - 1);
    expect(s.session(id, "person")).toBeDefined();
    c.advance(SESSION_IDLE_MS - 1);
    expect(s.session(id, "person")).toBeDefined();
    c.advance(SESSION_IDLE_MS);
    expect(s.session(id, "person")).toBeUndefined();
  });

  it("does not let polls restart the 12 hours", () => {
    const c = clock();
    const s = new DashboardSessions(c.now);
    const id = s.login(s.issueLink().token)?.id;
    for (let at = 0; at < SESSION_IDLE_MS; at += 3_600_000) {
      expect(s.session(id, "poll")).toBeDefined();
      c.advance(3_600_000);
    }
    expect(s.session(id, "poll")).toBeUndefined();
    expect(s.session(id, "person")).toBeUndefined();
  });

  it("ends a session 7 days after its login, however busy", () => {
    const c = clock();
    const s = new DashboardSessions(c.now);
    const id = s.login(s.issueLink().token)?.id;
    for (let at = 0; at < SESSION_MAX_MS - 1; at += SESSION_IDLE_MS / 2) {
      expect(s.session(id, "person")).toBeDefined();
      c.advance(Math.min(SESSION_IDLE_MS / 2, SESSION_MAX_MS - 1 - at));
    }
    expect(s.session(id, "person")).toBeDefined();
    c.advance(1);
    expect(s.session(id, "person")).toBeUndefined();
  });

  it("ends every session and unused link on revoke", () => {
    const c = clock();
    const s = new DashboardSessions(c.now);
    const a = s.login(s.issueLink().token)?.id;
    const b = s.login(s.issueLink().token)?.id;
    const unused = s.issueLink();
    expect(s.revokeAll()).toBe(2);
    expect(s.session(a, "person")).toBeUndefined();
    expect(s.session(b, "person")).toBeUndefined();
    expect(s.login(unused.token)).toBeUndefined();
  });
});

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/**
 * The control page as the gateway serves it, over a state dir, with a clock the test moves: its
 * requests are handled in-process, and a session cookie comes from a link as `openclaw dashboard`
 * gets one.
 */
async function controlPage() {
  const stateDir = writeStateDir({ prefix: "openclaw-ui-sessions-", config: {} });
  dirs.push(stateDir);
  const c = clock();
  const app = assemble({
    env: { OPENCLAW_STATE_DIR: stateDir, HOME: stateDir },
    cwd: stateDir,
    clock: c.now,
    log: () => undefined,
  });
  const log = () => undefined;
  const http = new GatewayHttpServer(log);
  mountControlPage(http, { services: await app.gateway(), processEnv: {}, cwd: stateDir, log }).publish(
    "http://127.0.0.1:1",
  );
  const request = (method: string, target: string, headers: IncomingHttpHeaders = {}) => {
    const [p = target, query] = target.split("?");
    return http.handle({ method, path: p, ...(query ? { query } : {}), headers, body: Buffer.alloc(0) });
  };
  const key = readHandoff(stateDir)?.key;
  const link = await request("POST", "/ui/api/link", { authorization: `Bearer ${key}` });
  const login = await request("GET", (link.body as { path: string }).path);
  const cookie = login.headers?.["set-cookie"]?.split(";")[0] ?? "";
  expect(cookie).toMatch(/^openclaw_ui=./);
  return {
    advance: c.advance,
    close: () => app.close(),
    /** The Credentials API as the page's timer asks for it (`poll`), or as a person's search would. */
    credentials: async (by: "poll" | "person") =>
      (await request("GET", "/ui/api/credentials", { cookie, ...(by === "poll" ? { "x-ui-poll": "1" } : {}) })).status,
  };
}

describe("the control page's session and the page's polls", () => {
  it("logs an open tab out after 12 hours of polls alone", async () => {
    const ui = await controlPage();
    try {
      for (let at = 0; at < SESSION_IDLE_MS; at += 3_600_000) {
        expect(await ui.credentials("poll")).toBe(200);
        ui.advance(3_600_000);
      }
      ui.advance(1);
      expect(await ui.credentials("poll")).toBe(401);
      expect(await ui.credentials("person")).toBe(401);
    } finally {
      await ui.close();
    }
  });

  it("keeps the session of a person who asks for something within the 12 hours", async () => {
    const ui = await controlPage();
    try {
      ui.advance(SESSION_IDLE_MS - 1);
      expect(await ui.credentials("person")).toBe(200);
      ui.advance(SESSION_IDLE_MS - 1);
      expect(await ui.credentials("poll")).toBe(200);
      ui.advance(1);
      expect(await ui.credentials("poll")).toBe(401);
    } finally {
      await ui.close();
    }
  });
});
