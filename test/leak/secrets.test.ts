/**
 * Secret hygiene end to end (DESIGN section 6, and "keys left in plaintext backups" in section 7).
 * Known secrets of every kind go into the places they belong (auth-profiles.json, `<state>/.env`,
 * the working directory's `.env`); then every CLI command and a gateway on each channel run,
 * including their error paths (a provider that answers 401/429/402 and echoes the key it was
 * given, a Bot API error that echoes the bot token). Afterwards no output, no log and no file
 * outside those secret stores holds a secret, whole or as a long fragment.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeDiscord, type FakeDiscord } from "../fakes/discord-api.js";
import { startFakeProvider, type FakeProvider } from "../fakes/provider-api.js";
import { startFakeTelegram, type FakeTelegram } from "../fakes/telegram-bot-api.js";
import { removeSandboxes, requireBuild, sandbox, type RunOptions, type RunResult, type Sandbox } from "../cli/support.js";
import { GatewayChild } from "../scaleout/support.js";

const CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
function random(n: number, chars = CHARS): string {
  return Array.from(crypto.randomBytes(n), (b) => chars[b % chars.length]).join("");
}

/** Every secret this file creates, by what it is. */
const S = {
  setupToken: `sk-ant-oat01-${random(90)}`,
  anthropicKey: `sk-ant-api03-${random(90)}`,
  onboardKey: `sk-ant-api03-${random(90)}`,
  onboardToken: `sk-ant-oat01-${random(90)}`,
  openaiKey: `sk-proj-${random(100)}`,
  listKey1: `sk-ant-api03-${random(90)}`,
  listKey2: `sk-ant-api03-${random(90)}`,
  cwdKey: `sk-ant-api03-${random(90)}`,
  telegramToken: `7${random(9, "0123456789")}:AA${random(33)}`,
  discordToken: `${Buffer.from(`12${random(16, "0123456789")}`).toString("base64url")}.${random(6)}.${random(38)}`,
} as const;

/** Forms a secret could leak in: whole, URL-encoded, and a 24-character middle (more than a mask shows). */
function leakForms(secret: string): string[] {
  const mid = Math.floor(secret.length / 2);
  return [...new Set([secret, encodeURIComponent(secret), secret.slice(mid - 12, mid + 12)])];
}

/** Which secret (by name) `text` contains, if any. */
function leakedIn(text: string): string[] {
  return Object.entries(S)
    .filter(([, secret]) => leakForms(secret).some((f) => text.includes(f)))
    .map(([name]) => name);
}

/**
 * Every file under the sandbox's state dir, working directory and HOME, except the secret stores
 * themselves (`<state>/.env`, auth-profiles.json, `./.env`): which hold a secret, and which look
 * like temp or backup files (any content).
 */
function scanFiles(sb: Sandbox): { leaks: string[]; leftovers: string[]; files: string[] } {
  const stores = new Set([path.join(sb.state, ".env"), sb.profilesPath(), path.join(sb.cwd, ".env")]);
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) files.push(p);
    }
  };
  for (const root of [sb.state, sb.cwd, sb.home]) walk(root);
  const leftovers = files.filter((f) => /\.(tmp|bak|orig|old)$|~$|\.swp$/i.test(f));
  const leaks: string[] = [];
  for (const file of files) {
    if (stores.has(file)) continue;
    // latin1 keeps every byte, so a secret inside a binary SQLite page is still found.
    const names = leakedIn(fs.readFileSync(file).toString("latin1"));
    if (names.length > 0) leaks.push(`${path.relative(sb.root, file)}: ${names.join(", ")}`);
  }
  return { leaks, leftovers, files };
}

const OWNER_TG = 5550001;
const OWNER_DC = { id: "2200000000000000777", username: "owner" };
const GUILD = "3300000000000000777";
const CHANNEL = "4400000000000000777";

describe("no secret leaks from any command, log or leftover file", () => {
  let sb: Sandbox;
  let provider: FakeProvider;
  let telegram: FakeTelegram;
  let discord: FakeDiscord;
  const gateways: GatewayChild[] = [];
  /** Every output seen, with what produced it. */
  const transcripts: { what: string; text: string }[] = [];

  beforeAll(async () => {
    requireBuild();
    provider = await startFakeProvider();
    telegram = await startFakeTelegram({ token: S.telegramToken });
    discord = await startFakeDiscord({ token: S.discordToken, guilds: [{ id: GUILD, channels: [{ id: CHANNEL }] }] });

    // A provider that echoes the credential in its error messages, as some proxies do.
    provider.script(S.setupToken, { kind: "status", status: 401, message: `OAuth token ${S.setupToken} is invalid` });
    provider.script(
      S.anthropicKey,
      { kind: "status", status: 401, message: `invalid x-api-key ${S.anthropicKey}` },
      { kind: "status", status: 429, retryAfterSeconds: 7, message: `rate limited: ${S.anthropicKey}` },
    );
    provider.script(S.listKey1, { kind: "status", status: 429, message: `key ${S.listKey1} is over its rate limit` });
    provider.script(S.listKey2, { kind: "status", status: 402, message: `no credit left on ${S.listKey2}` });
    provider.script(S.openaiKey, { kind: "status", status: 401, message: `Incorrect API key provided: ${S.openaiKey}.` });
    provider.script(S.onboardKey, { kind: "text", text: "fine" });
    provider.script(S.onboardToken, { kind: "status", status: 403, message: `token ${S.onboardToken} lacks permission` });

    sb = sandbox();
    fs.mkdirSync(sb.state, { recursive: true, mode: 0o700 });
    writeConfig({ telegram: true, discord: true });
    fs.writeFileSync(
      path.join(sb.state, ".env"),
      [
        `OPENAI_API_KEY=${S.openaiKey}`,
        `ANTHROPIC_API_KEYS=${S.listKey1},${S.listKey2}`,
        `TELEGRAM_BOT_TOKEN=${S.telegramToken}`,
        `DISCORD_BOT_TOKEN=${S.discordToken}`,
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    // Refused by design (provider keys never come from the working directory), and never printed.
    fs.writeFileSync(path.join(sb.cwd, ".env"), `ANTHROPIC_API_KEY=${S.cwdKey}\n`, { mode: 0o600 });
  }, 20_000);

  afterAll(async () => {
    await Promise.allSettled(gateways.map((g) => g.stop()));
    await Promise.allSettled([provider?.close(), telegram?.close(), discord?.close()]);
    removeSandboxes();
  });

  function writeConfig(channels: { telegram: boolean; discord: boolean }): void {
    sb.writeConfig({
      models: { providers: { anthropic: { baseUrl: provider.url }, openai: { baseUrl: `${provider.url}/v1` } } },
      channels: {
        telegram: { enabled: channels.telegram, apiRoot: telegram.apiRoot },
        discord: { enabled: channels.discord, apiBase: discord.restApi, guildIds: [GUILD] },
      },
      commands: { ownerAllowFrom: [`telegram:${OWNER_TG}`, `discord:${OWNER_DC.id}`] },
    });
  }

  async function cli(args: string[], opts: RunOptions = {}): Promise<RunResult> {
    const r = await sb.run(args, opts);
    transcripts.push({ what: `openclaw ${args.join(" ")}`, text: `${r.stdout}\n${r.stderr}` });
    return r;
  }

  it("stores credentials with every CLI way of adding one", async () => {
    // Wrapped at a line break, as a terminal copy often is.
    const wrapped = `${S.setupToken.slice(0, 50)}\n${S.setupToken.slice(50)}\n`;
    const results = [
      await cli(["models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", "anthropic:sub", "--expires-in", "365d"], { input: wrapped }),
      await cli(["models", "auth", "paste-api-key", "--provider", "anthropic", "--profile-id", "anthropic:key"], { input: `${S.anthropicKey}\n` }),
      await cli(["onboard", "--non-interactive", "--accept-risk", "--auth-choice", "apiKey", "--anthropic-api-key", S.onboardKey, "--profile-id", "anthropic:onboard"]),
      await cli(["onboard", "--non-interactive", "--auth-choice", "token", "--token-stdin", "--profile-id", "anthropic:onboard-token", "--model", "sonnet"], {
        input: `${S.onboardToken}\n`,
      }),
    ];
    for (const r of results) expect(r.code, r.stderr).toBe(0);
    const stored = sb.readProfiles().profiles as Record<string, { key?: string; token?: string }>;
    expect(stored["anthropic:sub"]?.token).toBe(S.setupToken);
    expect(stored["anthropic:key"]?.key).toBe(S.anthropicKey);
    expect(stored["anthropic:onboard"]?.key).toBe(S.onboardKey);
    expect(stored["anthropic:onboard-token"]?.token).toBe(S.onboardToken);
  });

  it("runs every read, order, session and doctor command, and their error paths", async () => {
    const commands: Array<[string[], RunOptions?]> = [
      [["models"]],
      [["models", "status"]],
      [["models", "status", "--json"]],
      [["models", "status", "--plain"]],
      [["models", "status", "--check"]],
      [["models", "status", "--probe"]],
      [["models", "status", "--probe", "--json"]],
      [["models", "list"]],
      [["models", "list", "--json"]],
      [["models", "list", "--plain"]],
      [["models", "auth", "list"]],
      [["models", "auth", "list", "--json"]],
      [["models", "auth", "order", "get", "--provider", "anthropic"]],
      [["models", "auth", "order", "set", "anthropic:key", "anthropic:sub", "--provider", "anthropic"]],
      [["models", "auth", "order", "get", "--provider", "anthropic", "--json"]],
      [["models", "auth", "order", "clear", "--provider", "anthropic"]],
      [["doctor"]],
      [["doctor", "--json"]],
      [["doctor", "--fix"]],
      [["sessions", "list"]],
      [["sessions", "list", "--json"]],
      // Secrets typed where something else was expected end up in error messages.
      [["models", "auth", "order", "set", S.anthropicKey, "--provider", "anthropic"]],
      [["models", "auth", "order", "set", S.telegramToken, "--provider", "anthropic"], { env: { OPENCLAW_DEBUG: "1" } }],
      [["models", "auth", "order", "set", S.discordToken, S.listKey2, "--provider", "anthropic"]],
      [["models", "auth", "paste-api-key", "--provider", S.openaiKey], { input: `${S.anthropicKey}\n` }],
      [["models", "auth", "paste-api-key", "--provider", "openai", "--profile-id", "openai:wrong"], { input: `${S.setupToken}\n` }],
      [["models", "auth", "paste-token", "--provider", "anthropic", "--profile-id", "anthropic:bad"], { input: `${S.discordToken}\n` }],
      [["models", "auth", "logout", S.onboardKey, "--yes"]],
      [["models", "auth", "logout", "anthropic:onboard", "--yes"]],
      [["models", "status", "--agent", S.anthropicKey]],
    ];
    for (const [args, opts] of commands) {
      const r = await cli(args, opts);
      expect(r.code, `${args.join(" ")}\n${r.stdout}\n${r.stderr}`).not.toBeNull();
    }
    // The probes really reached the fake with the stored and env credentials (and their echoing errors).
    for (const secret of [S.setupToken, S.anthropicKey, S.openaiKey]) expect(provider.requestsFor(secret).length).toBeGreaterThan(0);
  });

  it("runs a console gateway session: /model, list, status, a pin, and messages that fail with 401 and 429", async () => {
    writeConfig({ telegram: false, discord: false });
    const lines = [
      "/model",
      "/model list",
      "/model status",
      "hello, unpinned", // every Anthropic candidate fails: 401, 401, 429, 402, 403 (each echoing its key)
      "/model sonnet@anthropic:key",
      "hello, pinned", // 429 with retry-after, or refused while the key cools down
      "/model status",
      "/model gpt",
      "hello, openai", // 401 echoing the OpenAI key
      "/model haiku@anthropic:nope",
      "/model default",
    ];
    const r = await cli(["gateway"], { input: lines.map((l) => `${l}\n`).join("") });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Providers");
    expect(r.stdout).toMatch(/anthropic:key/);
    expect(provider.requestsFor(S.anthropicKey).length).toBeGreaterThanOrEqual(1);
    expect(provider.requestsFor(S.openaiKey).length).toBeGreaterThanOrEqual(1);
    // The error paths did print something about the failures.
    expect(r.stdout + r.stderr).toMatch(/401|429|rate|invalid|rejected|cool/i);
  });

  it("runs Telegram and Discord in one gateway, with a Bot API error that echoes the token", async () => {
    writeConfig({ telegram: true, discord: true });
    const gw = new GatewayChild(sb.state, { HOME: sb.home }, sb.cwd);
    gateways.push(gw);
    await gw.listening();
    await gw.waitFor("stderr", /discord: registered/);

    telegram.failNext("sendMessage", { error_code: 400, description: `Bad Request: chat not found for bot${S.telegramToken}` });
    telegram.userMessage({ chat: { id: OWNER_TG, type: "private" }, from: { id: OWNER_TG }, text: "/model status" });
    await telegram.waitForCall("sendMessage", undefined, 10_000); // refused by the fake, logged by the gateway
    telegram.userMessage({ chat: { id: OWNER_TG, type: "private" }, from: { id: OWNER_TG }, text: "/model sonnet@anthropic:key" });
    await telegram.waitForCall("sendMessage", (c) => String(c.payload.text).includes("anthropic:key"), 10_000);
    telegram.userMessage({ chat: { id: OWNER_TG, type: "private" }, from: { id: OWNER_TG }, text: "hello from telegram" });
    await telegram.waitForCall("sendMessage", undefined, 10_000);

    const interaction = discord.slashCommand({ name: "model", options: { ref: "status" }, user: OWNER_DC, guildId: GUILD, channelId: CHANNEL });
    discord.sendInteraction(interaction);
    const callback = await discord.waitForRequest((q) => q.path === `/interactions/${interaction.id}/${interaction.token}/callback`, 10_000);
    transcripts.push({ what: "discord interaction reply", text: JSON.stringify(callback.body) });
    for (const c of telegram.calls) transcripts.push({ what: `telegram ${c.method}`, text: JSON.stringify(c.payload) });

    expect(await gw.stop()).toBe(0);
    transcripts.push({ what: "telegram+discord gateway", text: `${gw.stdout}\n${gw.stderr}` });
    expect(gw.stderr).toMatch(/chat not found/); // the echoing error was logged, so its redaction was tested
  });

  it("no output or log holds a secret", () => {
    expect(transcripts.length).toBeGreaterThan(30);
    // The outputs did talk about these credentials, masked (so the check below looks at the right text).
    const all = transcripts.map((t) => t.text).join("\n");
    for (const secret of [S.setupToken, S.anthropicKey, S.openaiKey, S.listKey1]) expect(all).toContain(`${secret.slice(0, 8)}…${secret.slice(-4)}`);
    const leaks = transcripts.flatMap((t) => leakedIn(t.text).map((name) => `${name} in output of ${t.what}:\n${t.text}`));
    expect(leaks).toEqual([]);
  });

  it("no file outside the secret stores holds a secret; no temp or backup file is left; a logged-out key is gone", () => {
    const { leaks, leftovers, files } = scanFiles(sb);
    expect(files).toContain(path.join(sb.state, "state", "sessions.sqlite"));
    expect(leaks).toEqual([]);
    expect(leftovers).toEqual([]);

    const profiles = fs.readFileSync(sb.profilesPath(), "utf8");
    expect(profiles).not.toContain(S.onboardKey);
    expect(sb.readProfiles().profiles["anthropic:onboard"]).toBeUndefined();
    for (const secret of [S.setupToken, S.anthropicKey, S.onboardToken]) expect(profiles).toContain(secret);
  });
});

describe("secrets typed into /model where a model or profile id belongs", () => {
  afterAll(removeSandboxes);

  // A user who pastes a key into the wrong place must not get it echoed back (in a group chat,
  // to everyone), nor have it stored as a "model" in the session store and sent to the provider.
  it("are neither echoed back whole nor stored in the session store", async () => {
    requireBuild();
    const sb = sandbox();
    sb.writeProfiles({ version: 1, profiles: { "anthropic:key": { type: "api_key", provider: "anthropic", key: S.anthropicKey } } });
    fs.writeFileSync(path.join(sb.state, ".env"), `OPENAI_API_KEY=${S.openaiKey}\nANTHROPIC_API_KEYS=${S.listKey1}\n`, { mode: 0o600 });
    const lines = [
      `/model opus@${S.anthropicKey}`, // a stored profile's key as the profile id
      `/model ${S.openaiKey}`, // an env key as the model
      `/model anthropic/${S.listKey1}`, // an env key as an uncatalogued model id of a known provider
      "/model status",
      `/model sonnet@${S.telegramToken}`, // a bot token the gateway does not know
      `/model ${S.discordToken}`,
    ];
    const r = await sb.run(["gateway"], { input: lines.map((l) => `${l}\n`).join("") });
    expect(r.code, r.stderr).toBe(0);
    const echoed = leakedIn(`${r.stdout}\n${r.stderr}`);
    const stored = scanFiles(sb).leaks;
    expect({ echoed, stored }, `gateway output:\n${r.stdout}\n${r.stderr}`).toEqual({ echoed: [], stored: [] });
  });
});
