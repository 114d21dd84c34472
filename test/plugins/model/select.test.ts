import fs from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import type { GatewayServices } from "../../../src/gateway/types.js";
import type { SessionStore } from "../../../src/sessions/types.js";
import { storeUnavailable } from "../../../src/sessions/errors.js";
import { modelPlugin } from "../../../plugins/model/index.js";
import { PluginHost } from "../../../src/gateway/host.js";
import { planSelection } from "../../../plugins/model/select.js";
import { createHarness, defaultProfiles, SECRETS, type Harness, type HarnessOptions } from "./services.js";

const BASE = { agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } } };
const DM_KEY = "agent:main:main";
const GROUP = { isGroup: true, chatId: "-500" } as const;
const GROUP_KEY = "agent:main:telegram:group:-500";

let h: Harness;
async function setup(opts: HarnessOptions = {}): Promise<Harness> {
  h = await createHarness({
    config: BASE,
    profiles: defaultProfiles(),
    env: { ANTHROPIC_API_KEY: SECRETS.envAnthropic },
    ...opts,
  });
  return h;
}
afterEach(async () => {
  await h.close();
});

function noSecrets(text: string): void {
  for (const s of Object.values(SECRETS)) expect(text).not.toContain(s);
}

describe("/model <ref>[@profile]", () => {
  test("pins a profile for the session and confirms what the resolver will use, masked", async () => {
    await setup();
    const r = await h.text("/model opus@anthropic:work");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({
      model: "anthropic/claude-opus-5-5",
      profileId: "anthropic:work",
      pinSource: "user",
      setBy: "telegram:100",
    });
    expect(r.text).toContain("Model for this chat: anthropic/claude-opus-5-5 (opus).");
    expect(r.text).toContain(
      "Next request: anthropic/claude-opus-5-5 (opus) with anthropic:work (token sk-ant-o…Fq1x).",
    );
    noSecrets(r.text);
  });

  test("a bare profile name means <provider>:<name>; aliases are case-insensitive", async () => {
    await setup();
    await h.text("/model OPUS@work");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({
      model: "anthropic/claude-opus-5-5",
      profileId: "anthropic:work",
    });
  });

  test("quoted ref and a profile id holding @ and +", async () => {
    await setup();
    const r = await h.text('/model "openai/gpt-5"@"openai:owner+work@example.com" -s');
    expect(await h.sessions.get(DM_KEY)).toMatchObject({
      model: "openai/gpt-5",
      profileId: "openai:owner+work@example.com",
      pinSource: "user",
    });
    expect(r.text).toContain("with openai:owner+work@example.com (api_key sk-proj-…oa12)");
  });

  test("profile ids are exact", async () => {
    await setup();
    const plan = await planSelection(h.ctx(), { kind: "select", ref: "opus", profile: "Anthropic:Work" });
    expect(plan.ok ? plan.value : plan.error.code).toBe("unknown_profile");
  });

  test("a profile of another provider is refused naming both; nothing changes", async () => {
    await setup();
    const r = await h.text("/model gpt@anthropic:ci");
    expect(r.text).toContain("Profile anthropic:ci is for anthropic, but openai/gpt-5.4 runs on openai");
    expect(r.text).toContain("openai:owner+work@example.com");
    expect(await h.sessions.get(DM_KEY)).toBeUndefined();
    const plan = await planSelection(h.ctx(), { kind: "select", ref: "gpt", profile: "anthropic:ci" });
    expect(plan.ok ? plan.value : plan.error.code).toBe("profile_provider_mismatch");
  });

  test("an unknown profile gets the closest ids", async () => {
    await setup();
    const r = await h.text("/model opus@anthropic:wrok");
    expect(r.text).toContain('Unknown profile "anthropic:wrok"');
    expect(r.text).toContain("`anthropic:work`");
    expect(await h.sessions.get(DM_KEY)).toBeUndefined();
  });

  test("an unknown model gets the closest matches and /model list", async () => {
    await setup();
    const r = await h.text("/model opux");
    expect(r.text).toContain('Unknown model "opux"');
    expect(r.text).toContain("`opus`");
    expect(r.text).toContain("/model list");
    const n = await h.text("/model 3");
    expect(n.text).toContain("numbers in lists are not shortcuts");
  });

  test("a bare id in no catalog and no near miss is read with the default provider, with a note", async () => {
    await setup();
    const r = await h.text("/model claude-3-5-sonnet");
    expect(r.text).toContain("Model for this chat: anthropic/claude-3-5-sonnet.");
    expect(r.text).toContain(
      "Note: anthropic/claude-3-5-sonnet is not in the catalog: the bare id was read with the default provider, anthropic;",
    );
    expect((await h.sessions.get(DM_KEY))?.model).toBe("anthropic/claude-3-5-sonnet");
    // A near miss of an alias keeps the error and changes nothing.
    const near = await h.text("/model sonet");
    expect(near.text).toContain('Unknown model "sonet"');
    expect(near.text).toContain("`sonnet`");
    expect((await h.sessions.get(DM_KEY))?.model).toBe("anthropic/claude-3-5-sonnet");
  });

  test("a provider/model of a known provider missing from the catalog is accepted with a note", async () => {
    await setup();
    const r = await h.text("/model openai/gpt-9");
    expect(r.text).toContain("openai/gpt-9 is not in the catalog");
    expect((await h.sessions.get(DM_KEY))?.model).toBe("openai/gpt-9");
  });

  test("a deprecated model is accepted with a warning naming the date", async () => {
    await setup();
    const r = await h.text("/model anthropic/claude-sonnet-4-5");
    expect(r.text).toContain("deprecated: anthropic retires it on 2026-11-30");
    expect((await h.sessions.get(DM_KEY))?.model).toBe("anthropic/claude-sonnet-4-5");
  });

  test("a model whose retirement date has passed is described as retired, loudly, and still selected", async () => {
    await setup();
    h.now = Date.UTC(2026, 10, 28, 12);
    const r = await h.text("/model anthropic/claude-mythos-preview");
    expect(r.text).toContain(
      "⛔ anthropic/claude-mythos-preview was retired on 2026-06-30: anthropic no longer serves it, so requests to it are expected to fail.",
    );
    expect(r.text).toContain("Pick a current model: /models anthropic");
    expect(r.text).not.toContain("retires");
    expect((await h.sessions.get(DM_KEY))?.model).toBe("anthropic/claude-mythos-preview");
    expect((await h.text("/model status")).text.split("\n")[0]).toContain("(retired on 2026-06-30)");
    expect((await h.text("/models anthropic all")).text).toContain(
      "✓ anthropic/claude-mythos-preview — retired on 2026-06-30",
    );
  });

  test("a model-only change keeps a compatible pin and drops another provider's", async () => {
    await setup();
    await h.text("/model opus@work");
    const same = await h.text("/model haiku");
    expect(same.text).toContain("Pinned profile: anthropic:work.");
    expect((await h.sessions.get(DM_KEY))?.profileId).toBe("anthropic:work");
    const other = await h.text("/model gpt");
    expect(other.text).toContain("Unpinned anthropic:work: it is for anthropic, not openai.");
    expect(await h.sessions.get(DM_KEY)).not.toHaveProperty("profileId");
  });

  test("says so when the pinned profile cannot serve the next request", async () => {
    await setup();
    await h.sessions.cooldowns.recordFailure("anthropic:ci", { reason: "auth", now: h.now });
    const r = await h.text("/model opus@ci");
    expect(r.text).toContain("⚠ The next request will fail: The pinned profile anthropic:ci is cooling down for 10m");
    expect(r.text).toContain("/model default");
    const expired = await h.text("/model opus@old");
    expect(expired.text).toContain("The pinned profile anthropic:old expired 1h ago");
  });

  test("pinning in a group needs an owner; a non-owner may not pin the shared main DM session", async () => {
    await setup();
    const refused = await h.text("/model opus@work", { ...GROUP, isOwner: false });
    expect(refused.text).toContain("Only an owner can pin a profile in a group");
    expect(await h.sessions.get(GROUP_KEY)).toBeUndefined();
    const unpinned = await h.text("/model opus", { ...GROUP, isOwner: false });
    expect(unpinned.text).toContain("Model for this chat");
    await h.text("/model opus@work", { ...GROUP, isOwner: true });
    expect((await h.sessions.get(GROUP_KEY))?.profileId).toBe("anthropic:work");
    // dmScope "main": every DM is one session, so a non-owner's pin would pin it for everyone.
    const shared = await h.text("/model opus@ci", { isOwner: false });
    expect(shared.text).toContain("only an owner can pin a profile");
    expect((await h.sessions.get(DM_KEY))?.profileId).toBeUndefined();
    await h.text("/model opus@ci", { isOwner: true });
    expect((await h.sessions.get(DM_KEY))?.profileId).toBe("anthropic:ci");
  });

  test("/model default clears model and pin", async () => {
    await setup();
    await h.text("/model opus@work");
    const r = await h.text("/model default");
    expect(await h.sessions.get(DM_KEY)).toBeUndefined();
    expect(r.text).toContain(
      "This chat now uses anthropic/claude-sonnet-5-5 (sonnet): the default (agents.defaults.model).",
    );
    expect(r.text).toContain("No profile pinned.");
    const g = await h.text("/model default -g");
    expect(g.text).toContain("does not change configured defaults");
  });

  test("a thread inherits the chat's pin, but not one for another provider", async () => {
    await setup();
    await h.text("/model opus@work", GROUP);
    const topic = { ...GROUP, threadId: "7" };
    const inherited = await h.text("/model status", topic);
    expect(inherited.text).toContain("Pinned profile: anthropic:work");
    await h.text("/model gpt", topic);
    const status = await h.text("/model status", topic);
    expect(status.text).toContain("Model: openai/gpt-5.4 (gpt) — chosen for this chat");
    expect(status.text).toContain("Pinned profile: none");
    expect(status.text).toContain("openai:owner+work@example.com api_key sk-proj-…oa12 — next");
  });
});

describe("scope", () => {
  test("-a writes agents.entries.<id>.model as { primary } keeping fallbacks", async () => {
    await setup({
      config: {
        agents: {
          defaults: { model: "anthropic/claude-sonnet-5-5" },
          entries: { main: { model: { primary: "x/y", fallbacks: ["openai/gpt-5"] } } },
        },
      },
    });
    const r = await h.text("/model opus -a");
    expect(r.text).toContain(
      "Model for this chat and agent main's default: anthropic/claude-opus-5-5 (opus) (written to agents.entries.main.model).",
    );
    const cfg = JSON.parse(h.readConfig());
    expect(cfg.agents.entries.main.model).toEqual({
      primary: "anthropic/claude-opus-5-5",
      fallbacks: ["openai/gpt-5"],
    });
    expect(cfg.agents.defaults.model).toBe("anthropic/claude-sonnet-5-5");
    expect((await h.sessions.get(DM_KEY))?.model).toBe("anthropic/claude-opus-5-5");
  });

  test("-a creates the agent entry when there is none", async () => {
    await setup();
    await h.text("/model gpt --agent");
    expect(JSON.parse(h.readConfig()).agents.entries.main.model).toEqual({ primary: "openai/gpt-5.4" });
  });

  test("-g keeps a string a string", async () => {
    await setup();
    await h.text("/model opus -g");
    const cfg = JSON.parse(h.readConfig());
    expect(cfg.agents.defaults.model).toBe("anthropic/claude-opus-5-5");
    expect(cfg.agents.entries).toBeUndefined();
  });

  test("-g keeps an object an object with its fallbacks", async () => {
    await setup({
      config: {
        agents: { defaults: { model: { primary: "anthropic/claude-sonnet-5-5", fallbacks: ["openai/gpt-5"] } } },
        keep: { me: 1 },
      },
    });
    await h.text("/model haiku --global");
    const cfg = JSON.parse(h.readConfig());
    expect(cfg.agents.defaults.model).toEqual({ primary: "anthropic/claude-haiku-5-5", fallbacks: ["openai/gpt-5"] });
    expect(cfg.keep).toEqual({ me: 1 });
  });

  test("a non-owner's -g and -a are refused and leave the file byte-identical", async () => {
    await setup();
    const before = fs.readFileSync(h.configPath);
    const mtime = fs.statSync(h.configPath).mtimeMs;
    for (const line of ["/model opus -g", "/model opus -a", "/opus -g"]) {
      const r = await h.text(line, { isOwner: false });
      expect(r.text).toContain("Only an owner can change");
      expect(r.private).toBe(true);
    }
    expect(fs.readFileSync(h.configPath).equals(before)).toBe(true);
    expect(fs.statSync(h.configPath).mtimeMs).toBe(mtime);
    expect(await h.sessions.get(DM_KEY)).toBeUndefined();
  });

  test("-s and unflagged selections leave the file untouched", async () => {
    await setup();
    const before = fs.readFileSync(h.configPath);
    const mtime = fs.statSync(h.configPath).mtimeMs;
    await h.text("/model opus -s");
    await h.text("/model gpt");
    await h.text("/haiku");
    expect(fs.readFileSync(h.configPath).equals(before)).toBe(true);
    expect(fs.statSync(h.configPath).mtimeMs).toBe(mtime);
  });

  test("modelSelectionScope applies without a flag; for non-owners it narrows to the chat", async () => {
    await setup({
      config: { agents: { defaults: { model: "anthropic/claude-sonnet-5-5", modelSelectionScope: "global" } } },
    });
    const before = fs.readFileSync(h.configPath);
    const narrowed = await h.text("/model opus", { isOwner: false });
    expect(narrowed.text).toContain('Changed for this chat only: agents.defaults.modelSelectionScope is "global"');
    expect(fs.readFileSync(h.configPath).equals(before)).toBe(true);
    await h.text("/model opus");
    expect(JSON.parse(h.readConfig()).agents.defaults.model).toBe("anthropic/claude-opus-5-5");
    await h.text("/model haiku -s");
    expect(JSON.parse(h.readConfig()).agents.defaults.model).toBe("anthropic/claude-opus-5-5");
  });
});

describe("allowlist", () => {
  const allowAnthropic = {
    agents: { defaults: { model: "anthropic/claude-sonnet-5-5", modelPolicy: { allow: ["anthropic/*", "gpt-mini"] } } },
  };

  test("/model refuses a model outside the allowlist naming the key, and changes nothing", async () => {
    await setup({ config: allowAnthropic });
    const r = await h.text("/model gpt");
    expect(r.text).toContain("openai/gpt-5.4 is not allowed here: it is not in agents.defaults.modelPolicy.allow.");
    expect(r.text).toContain('add "openai/gpt-5.4" (or "openai/*") to agents.defaults.modelPolicy.allow');
    expect(await h.sessions.get(DM_KEY)).toBeUndefined();
    const alias = await h.text("/model gpt-mini");
    expect(alias.text).toContain("Model for this chat: openai/gpt-5.4-mini");
  });

  test("an agent's own allowlist replaces the defaults and is the key named", async () => {
    await setup({
      config: {
        agents: { ...allowAnthropic.agents, entries: { main: { modelPolicy: { allow: ["openai/gpt-5.4"] } } } },
      },
    });
    const r = await h.text("/model opus");
    expect(r.text).toContain("it is not in agents.entries.main.modelPolicy.allow");
    expect((await h.text("/model gpt")).text).toContain("Model for this chat: openai/gpt-5.4");
  });

  test("/models and the picker offer only allowed models; alias commands follow", async () => {
    await setup({ config: allowAnthropic });
    const providers = await h.text("/models");
    expect(providers.text).toContain("anthropic — 19 models");
    expect(providers.text).toContain("openai — 1 model");
    expect(providers.text).not.toContain("openrouter");
    const openai = await h.text("/models openai");
    expect(openai.text).toContain("openai/gpt-5.4-mini");
    expect(openai.text).not.toContain("openai/gpt-5.4 ");
    const refused = await h.text("/models openrouter");
    expect(refused.text).toContain("No openrouter model is allowed here (agents.defaults.modelPolicy.allow)");
    const picker = await h.text("/model");
    expect(picker.choices?.map((c) => c.label)).toEqual(["anthropic (19)", "openai (1)"]);
    const names = modelPlugin.commands(h.services).map((c) => c.name);
    expect(names).toContain("opus");
    expect(names).toContain("gpt-mini");
    expect(names).not.toContain("gpt");
    expect(names).not.toContain("gemini");
  });
});

describe("alias commands", () => {
  const config = {
    agents: {
      defaults: {
        model: "anthropic/claude-sonnet-5-5",
        models: {
          "openai/gpt-4o": { alias: "fast" },
          "anthropic/claude-opus-4-8": { alias: "Opus" },
          "openai/gpt-4.1": { alias: "new" },
          "openai/o3": { alias: "models" },
          "openai/o4-mini": { alias: "two words" },
        },
      },
    },
  };

  test("one command per alias, user aliases win, colliding and untypeable ones skipped", async () => {
    await setup({ config });
    const cmds = modelPlugin.commands(h.services);
    const names = cmds.map((c) => c.name);
    expect(names.slice(0, 4)).toEqual(["model", "models", "new", "reset"]);
    expect(names).toEqual(
      expect.arrayContaining(["opus", "sonnet", "haiku", "gpt", "gpt-mini", "gemini", "gemini-flash", "fast"]),
    );
    expect(names.filter((n) => n === "new" || n === "models")).toHaveLength(2);
    expect(names).not.toContain("two words");
    expect(cmds.find((c) => c.name === "opus")?.description).toBe("Switch this chat to anthropic/claude-opus-4-8");
    for (const c of cmds) expect(c.description.length).toBeLessThanOrEqual(100);
    expect(modelPlugin.commands(h.services)).toBe(cmds);
  });

  test("/opus, /opus@work and /opus -g behave like /model opus…", async () => {
    await setup();
    await h.command("opus");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({ model: "anthropic/claude-opus-5-5" });
    await h.command("sonnet", "@work");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({
      model: "anthropic/claude-sonnet-5-5",
      profileId: "anthropic:work",
    });
    await h.command("haiku", "@MyGatewayBot");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({
      model: "anthropic/claude-haiku-5-5",
      profileId: "anthropic:work",
    });
    await h.command("opus", " -g");
    expect(JSON.parse(h.readConfig()).agents.defaults.model).toBe("anthropic/claude-opus-5-5");
  });
});

describe("inline directive (onMessage)", () => {
  test("sets the session model and sends on only the rest", async () => {
    await setup();
    const out = await h.message("/model opus explain this\n  please");
    expect(out?.text).toBe("explain this\n  please");
    expect(out?.notice).toContain("Model for this chat: anthropic/claude-opus-5-5 (opus).");
    expect((await h.sessions.get(DM_KEY))?.model).toBe("anthropic/claude-opus-5-5");
    const colon = await h.message("/model: gpt what is 2+2?");
    expect(colon?.text).toBe("what is 2+2?");
    const alias = await h.message("/haiku@work -s tell me");
    expect(alias?.text).toBe("tell me");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({
      model: "anthropic/claude-haiku-5-5",
      profileId: "anthropic:work",
    });
  });

  test("a refused directive changes nothing and sends nothing on", async () => {
    await setup();
    const out = await h.message("/model opux explain this");
    expect(out?.text).toBe("");
    expect(out?.notice).toContain('Unknown model "opux"');
    const group = await h.message("/model opus@work hi", { ...GROUP, isOwner: false });
    expect(group).toEqual({ text: "", notice: expect.stringContaining("Only an owner can pin") });
    expect(await h.sessions.get(DM_KEY)).toBeUndefined();
    expect(await h.sessions.get(GROUP_KEY)).toBeUndefined();
  });

  test("leaves other messages alone", async () => {
    await setup();
    expect(await h.message("hello there")).toBeUndefined();
    expect(await h.message("/model list")).toBeUndefined();
    // An inline shortcut is answered and stripped (test/gateway/shortcuts.test.ts), directives aside.
    expect(await h.message("/help me")).toEqual({ text: "me", notice: expect.stringContaining("Commands:") });
  });
});

describe("/new", () => {
  test("/new opus selects the model under /model's rules and drops an auto pin", async () => {
    await setup();
    await h.sessions.update(
      DM_KEY,
      { model: "anthropic/claude-sonnet-5-5", profileId: "anthropic:ci", pinSource: "auto" },
      h.now,
    );
    const r = await h.text("/new opus");
    expect(r.text).toContain("New conversation started.");
    expect(r.text).toContain("Model for this chat: anthropic/claude-opus-5-5 (opus).");
    const rec = await h.sessions.get(DM_KEY);
    expect(rec?.model).toBe("anthropic/claude-opus-5-5");
    expect(rec).not.toHaveProperty("profileId");
    // As OpenClaw's `/new <model>`: a first word that names no model is the message.
    expect(await h.message("/new opux")).toEqual({
      text: "opux",
      notice: expect.stringContaining("New conversation started."),
    });
    expect((await h.sessions.get(DM_KEY))?.model).toBe("anthropic/claude-opus-5-5");
  });

  test("/new keeps a valid user pin and drops one whose profile is gone", async () => {
    await setup();
    await h.text("/model opus@work");
    const kept = await h.text("/new");
    expect(kept.text).toContain("Pinned profile: anthropic:work");
    expect((await h.sessions.get(DM_KEY))?.profileId).toBe("anthropic:work");
    await h.sessions.update(DM_KEY, { profileId: "anthropic:gone", pinSource: "user" }, h.now);
    const dropped = await h.text("/reset");
    expect(dropped.text).toContain("Unpinned anthropic:gone: that profile no longer exists.");
    expect(await h.sessions.get(DM_KEY)).toMatchObject({ model: "anthropic/claude-opus-5-5" });
    expect(await h.sessions.get(DM_KEY)).not.toHaveProperty("profileId");
  });

  test("asks the chat responder to forget the conversation", async () => {
    await setup();
    const resets: string[] = [];
    const services: GatewayServices = {
      ...h.services,
      chat: {
        respond: async () => ({ text: "" }),
        reset: async (k) => void resets.push(k),
        stop: () => false,
        close: () => undefined,
      },
    };
    const def = modelPlugin.commands(services).find((c) => c.name === "new");
    await def?.handler({ ...h.ctx({}, { command: "new" }), services });
    expect(resets).toEqual([DM_KEY]);
  });
});

describe("store unavailable", () => {
  test("commands and directives answer 'temporarily unavailable' through the host, never a crash", async () => {
    await setup();
    const fail = async (): Promise<never> => {
      throw storeUnavailable();
    };
    const down: SessionStore = {
      get: fail,
      update: fail,
      delete: fail,
      list: fail,
      dropAutoPins: fail,
      cooldowns: h.sessions.cooldowns,
      leases: { acquire: fail, release: fail },
      claimOnce: fail,
      ledger: {
        record: fail,
        totals: fail,
        summarize: fail,
        rollUp: fail,
        footer: fail,
        setFooter: fail,
      },
      close: async () => undefined,
    };
    const services: GatewayServices = { ...h.services, sessions: down };
    const logs: string[] = [];
    // The store's failure is caught once, by the host, for every plugin.
    const host = new PluginHost(services, [modelPlugin], (_level, line) => void logs.push(line));
    const local = { channel: "console", senderId: "local" } as const;
    for (const [name, args] of [
      ["model", ""],
      ["model", "opus"],
      ["model", "status"],
      ["models", "anthropic"],
      ["new", ""],
    ] as const) {
      const { invocation, capabilities } = h.ctx(local, { command: name, args });
      const r = await host.handleCommand(invocation, capabilities);
      expect(r?.text).toContain("temporarily unavailable");
    }
    const { invocation, capabilities } = h.ctx(local);
    // Refused, so nothing goes on to the model.
    const out = await host.handleMessage({ ...invocation, command: "", args: "" }, "/model opus hi", capabilities);
    expect(out).toEqual([{ text: expect.stringContaining("temporarily unavailable"), private: true }]);
    expect(logs).toEqual([]);
  });
});

describe("findProfile", () => {
  test("an exact id of the model's provider, then <provider>:<name>, then another provider's exact id (refused)", async () => {
    const { findProfile } = await import("../../../plugins/model/select.js");
    const file = {
      version: 1,
      profiles: {
        work: { provider: "openai", key: "k" },
        "anthropic:work": { provider: "anthropic", key: "k" },
        solo: { provider: "openai", key: "k" },
      },
    };
    const opus = { provider: "anthropic", ref: "anthropic/claude-opus-5-5" };
    const gpt = { provider: "openai", ref: "openai/gpt-5.4" };
    expect(findProfile(file, opus, "work", false)).toEqual({ ok: true, value: "anthropic:work" });
    expect(findProfile(file, gpt, "work", false)).toEqual({ ok: true, value: "work" });
    const r = findProfile(file, opus, "solo", false);
    expect(r.ok ? r.value : r.error.code).toBe("profile_provider_mismatch");
    expect(findProfile(file, opus, "MyBot", true)).toEqual({ ok: true, value: undefined });
    const notBot = findProfile(file, opus, "MyBot", false);
    expect(notBot.ok ? notBot.value : notBot.error.code).toBe("unknown_profile");
  });
});
