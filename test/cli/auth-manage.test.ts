import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assembleState } from "../support/assembly.js";
import {
  apiKey,
  DAY,
  expectNoSecretLeaked,
  HOUR,
  requireBuild,
  sandbox,
  setupToken,
  type Sandbox,
  removeSandboxes,
} from "./support.js";

beforeAll(requireBuild);
afterAll(removeSandboxes);

/** Two Anthropic profiles and one OpenAI profile in the main agent, referenced from the config. */
function threeProfiles(): Sandbox {
  const sb = sandbox();
  sb.writeConfig({
    auth: {
      profiles: {
        "anthropic:manual": { provider: "anthropic", mode: "token" },
        "anthropic:work": { provider: "anthropic", mode: "api_key" },
        "openai:manual": { provider: "openai", mode: "api_key" },
      },
      order: { anthropic: ["anthropic:work", "anthropic:manual"], openai: ["openai:manual"] },
    },
    gateway: { port: 18789 },
  });
  sb.writeProfiles({
    version: 1,
    profiles: {
      "anthropic:manual": { type: "token", provider: "anthropic", token: setupToken(), expires: Date.now() + 10 * DAY },
      "anthropic:work": { type: "api_key", provider: "anthropic", key: apiKey() },
      "openai:manual": { type: "api_key", provider: "openai", key: apiKey("sk-proj-") },
    },
  });
  return sb;
}

describe("openclaw models auth order", () => {
  it("get explains what applies, set refuses unknown ids and other providers' profiles, clear removes it", async () => {
    const sb = threeProfiles();
    const before = fs.readFileSync(sb.profilesPath(), "utf8");
    const [get, unknown, foreign] = await Promise.all([
      sb.run(["models", "auth", "order", "get", "--provider", "anthropic"]),
      sb.run(["models", "auth", "order", "set", "--provider", "anthropic", "anthropic:manual", "anthropic:wrok"]),
      sb.run(["models", "auth", "order", "set", "--provider", "anthropic", "anthropic:manual", "openai:manual"]),
    ]);
    expect(get.code).toBe(0);
    expect(get.stdout).toContain("No agent order set for anthropic (agent main).");
    expect(get.stdout).toContain(
      `Applies instead: auth.order.anthropic from ${sb.configPath}: anthropic:work, anthropic:manual`,
    );
    expect(get.stdout).toContain("Resolved now: anthropic:work → anthropic:manual");

    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('Unknown profile "anthropic:wrok" for agent main; nothing was changed.');
    expect(unknown.stderr).toContain("Did you mean anthropic:work?");
    expect(foreign.code).toBe(1);
    expect(foreign.stderr).toContain("Profile openai:manual belongs to openai, not anthropic; nothing was changed.");
    expect(fs.readFileSync(sb.profilesPath(), "utf8")).toBe(before);

    const set = await sb.run([
      "models",
      "auth",
      "order",
      "set",
      "--provider",
      "anthropic",
      "anthropic:manual",
      "--json",
    ]);
    expect(set.code, set.stderr).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({
      agentId: "main",
      provider: "anthropic",
      order: ["anthropic:manual"],
      applies: "agent",
      next: "anthropic:manual",
      resolved: [
        { id: "anthropic:manual", usable: true, reasonCode: null },
        { id: "anthropic:work", usable: false, reasonCode: "excluded_by_auth_order" },
      ],
    });
    expect(sb.readProfiles().order).toEqual({ anthropic: ["anthropic:manual"] });

    const clear = await sb.run(["models", "auth", "order", "clear", "--provider", "anthropic"]);
    expect(clear.code).toBe(0);
    expect(clear.stdout).toContain("Cleared the agent order for anthropic (agent main).");
    expect(sb.readProfiles().order).toBeUndefined();
    expect(sb.readConfig().auth.order.anthropic).toEqual(["anthropic:work", "anthropic:manual"]);
  });
});

describe("openclaw models auth list", () => {
  it("shows masked secrets, health and expiry, never a secret, in text and JSON", async () => {
    const sb = threeProfiles();
    const [text, json, filtered] = await Promise.all([
      sb.run(["models", "auth", "list"]),
      sb.run(["models", "auth", "list", "--json"]),
      sb.run(["models", "auth", "list", "--provider", "openai", "--json"]),
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/anthropic:manual\s+anthropic\s+token\s+sk-ant-o…\S{4}\s+ok\s+exp 10d/);
    expect(text.stdout).toMatch(/anthropic:work\s+anthropic\s+api_key\s+sk-ant-a…\S{4}\s+static\s+no expiry/);
    expect(text.stdout).toMatch(/openai:manual\s+openai\s+api_key/);
    const list = JSON.parse(json.stdout);
    expect(list.profiles).toHaveLength(3);
    expect(list.profiles[0]).toMatchObject({
      id: "anthropic:manual",
      type: "token",
      health: "ok",
      inConfig: true,
      disabled: false,
      cooldowns: [],
    });
    expect(list.profiles[0].expiresAt).toMatch(/Z$/);
    expect(JSON.parse(filtered.stdout).profiles.map((p: { id: string }) => p.id)).toEqual(["openai:manual"]);
  });
});

describe("a provider that does not exist or is implied", () => {
  it("auth list --provider and status --probe-provider refuse an unknown provider, listing the known ones", async () => {
    const sb = threeProfiles();
    const [list, listJson, probe, known] = await Promise.all([
      sb.run(["models", "auth", "list", "--provider", "antropic"]),
      sb.run(["models", "auth", "list", "--provider", "foo", "--json"]),
      sb.run(["models", "status", "--probe", "--probe-provider", "anthropic,foo"]),
      sb.run(["models", "auth", "list", "--provider", "openai"]),
    ]);
    expect(list.code).toBe(1);
    expect(list.stdout).toBe("");
    expect(list.stderr).toBe(
      'error: Unknown provider "antropic".\nhint: Did you mean anthropic? Known providers: anthropic, openai, openrouter.\n',
    );
    expect(listJson.code).toBe(1);
    expect(listJson.stderr).toContain('Unknown provider "foo".');
    expect(probe.code).toBe(1);
    expect(probe.stderr).toContain('error: Unknown provider "foo".');
    expect(probe.stderr).toContain("Known providers: anthropic, openai, openrouter.");
    expect(known.code).toBe(0);
  });

  it("order set infers the provider from the ids and refuses ids of different providers", async () => {
    const sb = threeProfiles();
    const inferred = await sb.run(["models", "auth", "order", "set", "anthropic:manual", "anthropic:work"]);
    expect(inferred.code, inferred.stderr).toBe(0);
    expect(inferred.stdout).toContain("Agent order for anthropic (agent main): anthropic:manual, anthropic:work");
    expect(sb.readProfiles().order).toEqual({ anthropic: ["anthropic:manual", "anthropic:work"] });

    const before = fs.readFileSync(sb.profilesPath(), "utf8");
    const [mixed, typo] = await Promise.all([
      sb.run(["models", "auth", "order", "set", "anthropic:work", "openai:manual"]),
      sb.run(["models", "auth", "order", "set", "anthropic:wrok"]),
    ]);
    expect(mixed.code).toBe(1);
    expect(mixed.stderr).toContain(
      "error: These profiles belong to different providers (anthropic: anthropic:work; openai: openai:manual); an order lists one provider's profiles. Nothing was changed.",
    );
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('Unknown profile "anthropic:wrok" for agent main; nothing was changed.');
    expect(typo.stderr).toContain("Did you mean anthropic:work?");
    expect(fs.readFileSync(sb.profilesPath(), "utf8")).toBe(before);
  });
});

describe("openclaw models auth logout", () => {
  it("removes the profile and every reference: config auth.profiles, auth.order lists (dropping empty ones), agent order", async () => {
    const sb = threeProfiles();
    const set = await sb.run(["models", "auth", "order", "set", "--provider", "openai", "openai:manual"]);
    expect(set.code).toBe(0);

    const r = await sb.run(["models", "auth", "logout", "openai:manual", "--yes"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("Removed auth profile openai:manual (agent main).");
    expect(r.stdout).toContain(
      `Also removed from ${sb.profilesPath()}: order.openai (openai:manual was its only entry)`,
    );
    expect(r.stdout).toContain(
      `Also removed from ${sb.configPath}: auth.profiles.openai:manual; auth.order.openai (openai:manual was its only entry)`,
    );
    const file = sb.readProfiles();
    expect(Object.keys(file.profiles).sort()).toEqual(["anthropic:manual", "anthropic:work"]);
    expect(file.order).toBeUndefined();
    const config = sb.readConfig();
    expect(Object.keys(config.auth.profiles).sort()).toEqual(["anthropic:manual", "anthropic:work"]);
    expect(config.auth.order).toEqual({ anthropic: ["anthropic:work", "anthropic:manual"] });
    expect(config.gateway).toEqual({ port: 18789 });

    // One entry of a longer list: said as such, not as if the list went.
    const viaFlag = await sb.run(["models", "auth", "logout", "--profile-id", "anthropic:work", "--yes"]);
    expect(viaFlag.code).toBe(0);
    expect(viaFlag.stdout).toContain(
      `Also removed from ${sb.configPath}: auth.profiles.anthropic:work; anthropic:work from auth.order.anthropic (left: anthropic:manual)`,
    );
    expect(sb.readConfig().auth.order).toEqual({ anthropic: ["anthropic:manual"] });
  });

  it("refuses without --yes when there is no TTY, and names the closest ids for an unknown one", async () => {
    const sb = threeProfiles();
    const [noYes, unknown] = await Promise.all([
      sb.run(["models", "auth", "logout", "anthropic:work"]),
      sb.run(["models", "auth", "logout", "anthropic:wrk", "--yes"]),
    ]);
    expect(noYes.code).toBe(1);
    expect(noYes.stderr).toContain("Refusing to remove anthropic:work without confirmation.");
    expect(noYes.stderr).toContain("Pass --yes");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No stored profile "anthropic:wrk" for agent main; nothing was removed.');
    expect(unknown.stderr).toContain("Did you mean anthropic:work?");
    expect(Object.keys(sb.readProfiles().profiles)).toHaveLength(3);
  });
});

describe("openclaw models auth logout on a terminal", () => {
  it("asks before removing; no keeps everything, yes removes", async () => {
    const sb = threeProfiles();
    const no = await sb.run(["models", "auth", "logout", "anthropic:work"], {
      tty: true,
      answers: [{ after: "Remove auth profile anthropic:work", text: "n\r" }],
    });
    expect(no.code).toBe(1);
    expect(no.stdout).toContain("Nothing was removed.");
    expect(sb.readProfiles().profiles["anthropic:work"]).toBeDefined();
    const yes = await sb.run(["models", "auth", "logout", "anthropic:work"], {
      tty: true,
      answers: [{ after: "Remove auth profile anthropic:work", text: "y\r" }],
    });
    expect(yes.code).toBe(0);
    expect(yes.stdout).toContain("Removed auth profile anthropic:work (agent main).");
    expect(sb.readProfiles().profiles["anthropic:work"]).toBeUndefined();
  });
});

describe("with a session store", () => {
  it("order changes drop the agent's auto pins (never user pins); list and status show cooldowns", async () => {
    const sb = threeProfiles();
    const now = Date.now();
    const before = assembleState(sb.state);
    const store = await before.sessions();
    await store.update(
      "agent:main:main",
      { model: "anthropic/claude-opus-5-5", profileId: "anthropic:work", pinSource: "auto" },
      now,
    );
    await store.update("agent:main:telegram:direct:7", { profileId: "anthropic:manual", pinSource: "user" }, now);
    await store.update("agent:other:main", { profileId: "x:y", pinSource: "auto" }, now);
    await store.cooldowns.recordFailure("anthropic:work", {
      reason: "rate_limit",
      model: "anthropic/claude-sonnet-5-5",
      now,
    });
    await store.cooldowns.recordFailure("openai:manual", { reason: "billing", now });
    await before.close();

    const [list, status] = await Promise.all([
      sb.run(["models", "auth", "list", "--json"]),
      sb.run(["models", "status", "--json"]),
    ]);
    const work = JSON.parse(list.stdout).profiles.find((p: { id: string }) => p.id === "anthropic:work");
    expect(work.cooldowns).toEqual([
      expect.objectContaining({
        reason: "rate_limit",
        model: "anthropic/claude-sonnet-5-5",
        remainingMs: expect.any(Number),
      }),
    ]);
    expect(work.recovery).toMatch(/^none needed: retried automatically in \d+s$/);
    const unusable = JSON.parse(status.stdout).auth.unusableProfiles;
    expect(unusable).toContainEqual(expect.objectContaining({ id: "anthropic:work", reasonCode: "cooldown" }));
    expect(unusable).toContainEqual(
      expect.objectContaining({
        id: "openai:manual",
        reasonCode: "cooldown",
        detail: expect.stringContaining("after billing"),
      }),
    );

    const set = await sb.run(["models", "auth", "order", "set", "--provider", "anthropic", "anthropic:manual"]);
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain("Dropped 1 automatic session pin.");
    const afterApp = assembleState(sb.state);
    const after = await afterApp.sessions();
    try {
      expect((await after.get("agent:main:main"))?.profileId).toBeUndefined();
      expect(await after.get("agent:main:telegram:direct:7")).toMatchObject({
        profileId: "anthropic:manual",
        pinSource: "user",
      });
      expect(await after.get("agent:other:main")).toMatchObject({ profileId: "x:y", pinSource: "auto" });
    } finally {
      await afterApp.close();
    }
  });
});

describe("expiry shown by status after changes", () => {
  it("an expiring token makes --check exit 2 only while nothing is worse", async () => {
    const sb = sandbox();
    const r1 = await sb.run(["models", "auth", "paste-token", "--provider", "anthropic", "--expires-in", "12h"], {
      input: setupToken(),
    });
    expect(r1.code).toBe(0);
    const check = await sb.run(["models", "status", "--check", "--json"]);
    expect(check.code).toBe(2);
    const token = JSON.parse(check.stdout).auth.oauth.profiles[0];
    expect(token.health).toBe("expiring");
    expect(Date.parse(token.expiresAt) - Date.now()).toBeLessThanOrEqual(12 * HOUR);
  });
});

describe("output hygiene", () => {
  it("no output of this file contains a whole secret", () => {
    expectNoSecretLeaked();
  });
});
