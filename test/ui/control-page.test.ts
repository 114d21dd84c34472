/**
 * The control page in a real browser (issue 31): an owner logs in through an `openclaw dashboard`
 * link, sees a credential cooling down with its time left, sees a pin typed in the console appear
 * by itself, unpins it and the console's next `/model status` says so; no page or API answers
 * without the session cookie, and no action without the CSRF token. Screenshots of each page go to
 * docs/ui/ for the README.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { PassThrough, Readable } from "node:stream";
import type { Browser, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openSessionStore } from "../../src/sessions/open.js";
import { DAY_MS, dayStart } from "../../src/util/utc-period.js";
import { createIo } from "../../src/cli/io.js";
import { runDashboard } from "../../src/cli/dashboard.js";
import type { CredentialsView } from "../../src/ui/credentials.js";
import { packageRoot } from "../../src/util/package-root.js";
import { TOKEN, consoleLine as consoleTo, startGateway, stopGateways, type Running } from "../support/gateway-run.js";
import { runInProcess } from "../support/in-process-cli.js";
import { writeStateDir } from "../support/state.js";
import { scaled } from "../support/slowness.js";
import { buildPageAssets, launchChromium } from "./browser.js";

/** Generous: every wait ends as soon as its condition holds; only a hang reaches it. */
const WAIT_MS = 20_000;
/**
 * Where the screenshots go: the README's own (docs/ui/) when `UI_SCREENSHOTS=1` asks to refresh
 * them, else a temporary directory, so an ordinary run (or CI's run two years ahead) takes them
 * without rewriting the committed images.
 */
const SHOTS =
  process.env.UI_SCREENSHOTS === "1"
    ? path.join(packageRoot(), "docs", "ui")
    : fs.mkdtempSync(path.join(os.tmpdir(), "control-page-shots-"));
const BACKUP_KEY = `sk-ant-api03-${"B".repeat(80)}Zz9w`;
const CONFIG = { gateway: { port: 0 } };

let gw: Running;
let browser: Browser;
let page: Page;

async function dashboard(...flags: string[]) {
  const r = await runInProcess(["dashboard", ...flags], { env: { OPENCLAW_STATE_DIR: gw.stateDir }, cwd: gw.stateDir });
  return { ...r, json: flags.includes("--json") ? (JSON.parse(r.stdout) as Record<string, unknown>) : undefined };
}

/** Sends one console line to the gateway under test. */
const consoleLine = (line: string, expected: RegExp) => consoleTo(gw, line, expected);

beforeAll(async () => {
  buildPageAssets();
  const stateDir = writeStateDir({
    prefix: "openclaw-ui-",
    config: CONFIG,
    own: { budgets: { gateway: { daily: { usd: 10, action: "warn" } } } },
    authProfiles: {
      version: 1,
      profiles: {
        "anthropic:work": { type: "token", provider: "anthropic", token: TOKEN, expires: Date.now() + 5 * 3_600_000 },
        "anthropic:backup": { type: "api_key", provider: "anthropic", key: BACKUP_KEY },
      },
    },
  });
  // State a running gateway would have recorded: a billing failure cooling one profile down, and
  // chats of other channels with their own model.
  const store = await openSessionStore({ config: {}, stateDir });
  await store.cooldowns.recordFailure("anthropic:work", { reason: "billing", now: Date.now() });
  await store.cooldowns.recordRateLimits(
    "anthropic:backup",
    "anthropic/claude-sonnet-5-5",
    { requests: { limit: 50, remaining: 42, resetAt: Date.now() + 3_600_000 } },
    Date.now(),
  );
  for (const [i, chat] of ["-100200300", "-100200301", "-100200302"].entries())
    await store.update(
      `agent:main:telegram:group:${chat}`,
      { model: i === 0 ? "anthropic/claude-haiku-4-5" : "anthropic/claude-opus-4-5", setBy: `telegram:4242${i}` },
      Date.now() - (i + 1) * 3_600_000,
    );
  // A month of turns in the usage ledger: both profiles every day, the backup one costing more.
  const today = dayStart(Date.now());
  for (let day = 0; day < 30; day++)
    for (const [profileId, costUsd, model] of [
      ["anthropic:work", 0.5 + day / 100, "anthropic/claude-sonnet-5-5"],
      ["anthropic:backup", 1.25, "anthropic/claude-haiku-4-5"],
    ] as const)
      await store.ledger.record({
        id: `${profileId}-${day}`,
        at: today - day * DAY_MS,
        channel: "telegram",
        sessionKey: "agent:main:telegram:group:-100200300",
        agentId: "main",
        provider: "anthropic",
        model,
        profileId,
        tokens: { input: 1000, output: 250, cacheRead: 0, cacheWrite: 0 },
        costUsd,
        outcome: "ok",
      });
  await store.close();
  gw = await startGateway(CONFIG, {}, { stateDir });
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1200, height: 760 } });
}, scaled(60_000));

afterAll(async () => {
  await browser?.close();
  await stopGateways();
  if (process.env.UI_SCREENSHOTS !== "1") fs.rmSync(SHOTS, { recursive: true, force: true });
});

describe("the control page", () => {
  it("answers 401 with how to get a link to every page and API without a session", async () => {
    for (const p of ["/ui/", "/ui/chats", "/ui/app.js", "/ui/api/credentials", "/ui/api/chats"]) {
      const res = await fetch(`${gw.base}${p}`);
      expect(res.status, p).toBe(401);
      expect(await res.text(), p).toContain("openclaw dashboard");
    }
    const post = await fetch(`${gw.base}/ui/api/unpin`, { method: "POST", body: '{"key":"agent:main:main"}' });
    expect(post.status).toBe(401);
  });

  it("answers no Host it does not know, as every route of the server", async () => {
    // fetch cannot send another Host; node:http can.
    const status = await new Promise<number | undefined>((resolve, reject) =>
      http
        .get({ host: "127.0.0.1", port: gw.port, path: "/ui/", headers: { host: "evil.example" } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        })
        .on("error", reject),
    );
    expect(status).toBe(421);
  });

  it("logs in through a one-time `openclaw dashboard` link and shows a cooldown with its time left and a quota", async () => {
    const link = await dashboard("--json");
    expect(link.code).toBe(0);
    expect(link.json).toMatchObject({ ok: true, url: expect.stringMatching(/\/ui\/login\?token=[0-9a-f]{64}$/) });
    expect(link.json?.expiresAtMs).toBeGreaterThan(Date.now());
    await page.goto(String(link.json?.url));
    expect(new URL(page.url()).pathname).toBe("/ui/");
    const [cookie] = await page.context().cookies();
    expect(cookie).toMatchObject({ name: "openclaw_ui", httpOnly: true, sameSite: "Strict", path: "/ui" });

    const work = page.getByRole("row", { name: /anthropic:work/ });
    await work.getByText(/^cooldown (9|10)m \(billing\)$/).waitFor({ timeout: scaled(WAIT_MS) });
    await expect(work.getByRole("button", { name: "Clear cooldown of anthropic:work" }).count()).resolves.toBe(1);
    // Masked as /model status masks it; the secret itself is nowhere on the page.
    expect(await work.textContent()).toContain("sk-ant-o…Fq1x");
    const html = await page.content();
    expect(html).not.toContain(TOKEN);
    expect(html).not.toContain(BACKUP_KEY);
    // The plan quota the provider last reported, as /model status words it.
    await page
      .getByRole("row", { name: /anthropic:backup/ })
      .getByText(/^42\/50 requests until \d\d:\d\d UTC$/)
      .waitFor({ timeout: scaled(WAIT_MS) });
    await page.screenshot({ path: path.join(SHOTS, "credentials.png"), fullPage: true });

    // Scripts only from this server, none inline; nothing else loaded from anywhere.
    const shell = await page.request.get(`${gw.base}/ui/`);
    expect(shell.headers()["content-security-policy"]).toMatch(/default-src 'none'; script-src 'self';/);
    expect(await shell.text()).not.toMatch(/<script(?![^>]*\ssrc=)/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);

    // The link worked once.
    const again = await fetch(String(link.json?.url), { redirect: "manual" });
    expect(again.status).toBe(401);
  });

  it("shows a pin typed in the console by itself, unpins it, and the console's /model status says so", async () => {
    await page.goto(`${gw.base}/ui/chats`);
    await page.getByText("3 chats, page 1 of 1").waitFor({ timeout: scaled(WAIT_MS) });
    await consoleLine("/model anthropic/claude-sonnet-4-5@anthropic:backup", /anthropic:backup/);
    // Within 2 s of the reply (the page asks every second), scaled on a busy machine.
    const row = page.getByRole("row", { name: /main/ }).filter({ hasText: "anthropic:backup (user)" });
    await row.waitFor({ timeout: scaled(2000) });
    await page.screenshot({ path: path.join(SHOTS, "chats.png"), fullPage: true });
    const credentials = (await (await page.request.get(`${gw.base}/ui/api/credentials`)).json()) as CredentialsView;
    const backup = credentials.providers[0]?.credentials.find((c) => c.id === "anthropic:backup");
    expect(backup?.flags).toContain("pinned in 1 chat");

    const unpin = row.getByRole("button", { name: /^Unpin anthropic:backup from / });
    await unpin.focus();
    await page.keyboard.press("Enter");
    await page
      .getByRole("status")
      .getByText("unpinned anthropic:backup from agent:main:main")
      .waitFor({
        timeout: scaled(WAIT_MS),
      });
    const status = await consoleLine("/model status", /Pinned profile: [^\n]+/);
    expect(status).toMatch(/Pinned profile: none/);
    expect(gw.logs.join("\n")).toMatch(/dashboard session [0-9a-f]{8}: unpinned anthropic:backup from agent:main:main/);

    // A change another process makes (here the CLI, through its own store connection) shows too.
    await page.getByText("4 chats, page 1 of 1").waitFor({ timeout: scaled(WAIT_MS) });
    const reset = await runInProcess(["sessions", "reset", "agent:main:telegram:group:-100200302"], {
      env: { OPENCLAW_STATE_DIR: gw.stateDir },
      cwd: gw.stateDir,
    });
    expect(reset.code).toBe(0);
    await page.getByText("3 chats, page 1 of 1").waitFor({ timeout: scaled(WAIT_MS) });
  });

  it("marks the page's own polls, not a search the person types, so an open tab alone keeps no session", async () => {
    await page.goto(`${gw.base}/ui/chats`);
    const isChats = (r: Request) => r.url().includes("/ui/api/chats");
    // The page asks every second by itself, and says so.
    await page.waitForRequest((r) => isChats(r) && r.headers()["x-ui-poll"] === "1", { timeout: scaled(WAIT_MS) });
    const typed = page.waitForRequest((r) => isChats(r) && r.url().includes("q=telegram"), {
      timeout: scaled(WAIT_MS),
    });
    await page.getByLabel("Search chats").fill("telegram");
    expect((await typed).headers()["x-ui-poll"]).toBeUndefined();
  });

  it("refuses an action without the CSRF token (403) and takes one with it", async () => {
    const without = await page.request.post(`${gw.base}/ui/api/clear-cooldown`, {
      data: { profileId: "anthropic:work" },
    });
    expect(without.status()).toBe(403);
    const wrong = await page.request.post(`${gw.base}/ui/api/clear-cooldown`, {
      data: { profileId: "anthropic:work" },
      headers: { "x-csrf-token": "not-the-token" },
    });
    expect(wrong.status()).toBe(403);
    await page.goto(`${gw.base}/ui/`);
    const work = page.getByRole("row", { name: /anthropic:work/ });
    await work.getByRole("button", { name: "Clear cooldown of anthropic:work" }).click();
    await work.getByText(/^next$/).waitFor({ timeout: scaled(WAIT_MS) });
  });

  it("reorders a provider's profiles with the same write as `models auth order set`", async () => {
    await page.getByRole("button", { name: "Move anthropic:backup up in the anthropic order" }).click();
    await page
      .getByRole("row", { name: /anthropic:backup/ })
      .getByText(/^next$/)
      .waitFor({ timeout: scaled(WAIT_MS) });
    const order = await runInProcess(["models", "auth", "order", "get", "--provider", "anthropic", "--json"], {
      env: { OPENCLAW_STATE_DIR: gw.stateDir },
      cwd: gw.stateDir,
    });
    expect(JSON.parse(order.stdout)).toMatchObject({ order: ["anthropic:backup", "anthropic:work"] });
  });

  it("switches the default model with the same write as `models set`", async () => {
    await page.getByLabel("New default model").fill("haiku");
    await page.getByRole("button", { name: "Set default model" }).click();
    await page
      .locator("#default-model-now")
      .getByText(/^anthropic\/claude-haiku/)
      .waitFor({ timeout: scaled(WAIT_MS) });
    const status = await consoleLine("/model status", /Default: |Model: [^\n]+/);
    expect(status).toMatch(/claude-haiku/);
  });

  it("charts the ledger's cost per day by profile and its tokens by model, and shows spend today", async () => {
    await page.goto(`${gw.base}/ui/spend`);
    const chart = page.getByRole("img", { name: /^Cost per day from \d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d, \$/ });
    await chart.waitFor({ timeout: scaled(WAIT_MS) });
    // One bar segment per profile and day: 30 days of both.
    expect(await chart.locator("rect.bar").count()).toBe(60);
    expect(await chart.locator('rect[data-profile="anthropic:work"] title').last().textContent()).toMatch(
      /^\d{4}-\d\d-\d\d anthropic:work: \$0\.50$/,
    );
    const tokens = page.getByRole("img", { name: /^Tokens by model: / });
    expect(await tokens.getAttribute("aria-label")).toBe(
      "Tokens by model: anthropic/claude-haiku-4-5 37500, anthropic/claude-sonnet-5-5 37500",
    );
    // Today's turns (both profiles: $1.75) against the gateway's daily budget.
    await page.getByRole("progressbar", { name: "budgets.gateway.daily: 18% used" }).waitFor({
      timeout: scaled(WAIT_MS),
    });
    await page.screenshot({ path: path.join(SHOTS, "spend.png"), fullPage: true });

    const credentials = (await (await page.request.get(`${gw.base}/ui/api/credentials`)).json()) as CredentialsView;
    const spent = credentials.providers[0]?.credentials.map((c) => [c.id, c.spentToday]);
    expect(spent).toEqual(
      expect.arrayContaining([
        ["anthropic:work", "$0.50"],
        ["anthropic:backup", "$1.25"],
      ]),
    );

    // Recording turned off: the page says so and still shows what was recorded.
    fs.writeFileSync(path.join(gw.stateDir, "model-gateway.json"), JSON.stringify({ usage: { ledger: false } }), {
      mode: 0o600,
    });
    await page.locator("#not-recording").waitFor({ timeout: scaled(WAIT_MS) });
    expect(await chart.locator("rect.bar").count()).toBe(60);
  });

  it("opens the link in a browser unless --no-open, and prints it either way", async () => {
    const opened: string[] = [];
    const run = async (opts: { open?: boolean }) => {
      const out: string[] = [];
      const io = createIo({
        env: { OPENCLAW_STATE_DIR: gw.stateDir },
        cwd: gw.stateDir,
        stdin: () => Readable.from([]),
        stdout: { write: (t: string) => out.push(t) },
        stderr: { write: (t: string) => out.push(t) },
        promptOutput: () => new PassThrough(),
      });
      expect(await runDashboard(io, opts, [], (url) => opened.push(url))).toBe(0);
      return out.join("");
    };
    const printed = await run({});
    expect(opened).toHaveLength(1);
    expect(printed).toContain(`Control page: ${opened[0]}`);
    expect(printed).toContain("The link works once");
    await run({ open: false });
    expect(opened).toHaveLength(1);
  });

  it("puts no secret in an API answer or a log line", async () => {
    for (const p of ["/ui/api/credentials", "/ui/api/chats", "/ui/api/spend"]) {
      const text = await (await page.request.get(`${gw.base}${p}`)).text();
      expect(text, p).not.toContain(TOKEN);
      expect(text, p).not.toContain(BACKUP_KEY);
    }
    const logs = gw.logs.join("\n");
    expect(logs).toContain("control page: dashboard session");
    expect(logs).not.toContain(TOKEN);
    expect(logs).not.toContain(BACKUP_KEY);
    expect(logs).not.toMatch(/token=[0-9a-f]{64}/);
  });

  it("ends every session on `openclaw dashboard --revoke`", async () => {
    const revoked = await dashboard("--revoke");
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain("Ended every control page session (1 live)");
    const res = await page.request.get(`${gw.base}/ui/api/credentials`);
    expect(res.status()).toBe(401);
  });

  it("says the gateway is not running, in JSON, and exits 1", async () => {
    const stateDir = gw.stateDir;
    await stopGateways();
    const r = await runInProcess(["dashboard", "--json"], { env: { OPENCLAW_STATE_DIR: stateDir }, cwd: stateDir });
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, reason: expect.stringContaining("not running") });
  });
});
