import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { autocompleteChoices } from "../../../src/channels/discord/autocomplete.js";
import { toInvocation, type Place } from "../../../src/channels/discord/invocation.js";
import type { TestGateway } from "../../support/gateway.js";
import { CHANNEL, discordTestGateway, GUILD, leaksNoSecret, MEMBER, OWNER, STRANGER } from "./support.js";

// Labels show a deprecated model's retirement against the gateway's clock: fixed before the
// catalog's dates, so the test reads the same on any day.
const BEFORE_RETIREMENT = Date.parse("2026-11-01T00:00:00Z");
const AFTER_RETIREMENT = Date.parse("2026-12-01T00:00:00Z");

let gw: TestGateway;
let limited: TestGateway;

beforeAll(async () => {
  gw = await discordTestGateway({}, {}, { clock: () => BEFORE_RETIREMENT });
  limited = await discordTestGateway(
    {},
    { agents: { defaults: { modelPolicy: { allow: ["openai/*", "opus"] } } } },
    { clock: () => BEFORE_RETIREMENT },
  );
});

afterAll(async () => {
  await gw.close();
  await limited.close();
});

function place(user: { id: string; username: string }, guild = true): Place {
  return { user, channelId: CHANNEL, ...(guild ? { guildId: GUILD } : {}) };
}

function suggest(
  g: TestGateway,
  typed: string,
  opts: { user?: { id: string; username: string }; guild?: boolean; command?: string; option?: string } = {},
) {
  const inv = toInvocation(place(opts.user ?? OWNER, opts.guild ?? true), opts.command ?? "model", typed, "native");
  return autocompleteChoices(g.host, inv, { name: opts.option ?? "ref", value: typed });
}

describe("autocomplete for /model ref", () => {
  it("offers the keywords, aliases and models when nothing is typed, at most 25", () => {
    const choices = suggest(gw, "");
    expect(choices.length).toBe(25);
    expect(choices.slice(0, 4)).toEqual([
      { name: "list", value: "list" },
      { name: "status", value: "status" },
      { name: "default", value: "default" },
      { name: "opus → anthropic/claude-opus-5-5", value: "opus" },
    ]);
    for (const c of choices) {
      expect(c.name.length).toBeLessThanOrEqual(100);
      expect(c.value.length).toBeLessThanOrEqual(100);
    }
  });

  it("matches models and aliases by what is typed, prefix matches first", () => {
    const choices = suggest(gw, "son");
    expect(choices[0]).toEqual({ name: "sonnet → anthropic/claude-sonnet-5-5", value: "sonnet" });
    expect(choices.map((c) => c.value)).toContain("anthropic/claude-sonnet-4-5");
    expect(choices.find((c) => c.value === "anthropic/claude-sonnet-4-5")?.name).toBe(
      "anthropic/claude-sonnet-4-5 · Claude Sonnet 4.5 (retires 2026-11-30)",
    );
    expect(suggest(gw, "gpt-4o").map((c) => c.value)).toEqual(["openai/gpt-4o", "openai/gpt-4o-mini"]);
    expect(suggest(gw, "sta")).toEqual([{ name: "status", value: "status" }]);
  });

  it("says a model was retired once its date has passed", async () => {
    const later = await discordTestGateway({}, {}, { clock: () => AFTER_RETIREMENT });
    try {
      expect(suggest(later, "son").find((c) => c.value === "anthropic/claude-sonnet-4-5")?.name).toBe(
        "anthropic/claude-sonnet-4-5 · Claude Sonnet 4.5 (retired on 2026-11-30)",
      );
    } finally {
      await later.close();
    }
  });

  it("respects agents.defaults.modelPolicy.allow", () => {
    const values = suggest(limited, "").map((c) => c.value);
    expect(values).toContain("opus");
    expect(values).toContain("openai/gpt-5.4");
    expect(values).not.toContain("sonnet");
    expect(values.some((v) => v.startsWith("anthropic/") && v !== "anthropic/claude-opus-5-5")).toBe(false);
    expect(suggest(limited, "sonnet")).toEqual([]);
    expect(suggest(limited, "sonnet@")).toEqual([]);
  });

  it("after an @, offers the caller's pinnable profiles of that model's provider: ids only", () => {
    const choices = suggest(gw, "opus@");
    expect(choices.map((c) => c.value).sort()).toEqual(["opus@anthropic:personal", "opus@anthropic:work"]);
    expect(choices.find((c) => c.value === "opus@anthropic:work")?.name).toBe("opus@anthropic:work (api_key)");
    expect(suggest(gw, "anthropic/claude-haiku-4-5@w").map((c) => c.value)).toEqual([
      "anthropic/claude-haiku-4-5@anthropic:work",
    ]);
    expect(suggest(gw, "gpt@").map((c) => c.value)).toEqual(["gpt@openai:main"]);
    expect(leaksNoSecret(JSON.stringify(suggest(gw, "opus@")))).toBe(true);
  });

  it("offers profiles only where the caller may pin: owners anywhere, others in a DM session of their own", async () => {
    expect(suggest(gw, "opus@", { user: MEMBER })).toEqual([]);
    expect(suggest(gw, "", { user: MEMBER }).map((c) => c.value)).not.toContain("status");
    // session.dmScope "main" (the default): every DM shares one session, where only owners may pin.
    expect(suggest(gw, "opus@", { user: MEMBER, guild: false })).toEqual([]);
    expect(suggest(gw, "opus@", { user: OWNER, guild: false }).length).toBe(2);
    expect(suggest(gw, "", { user: MEMBER, guild: false }).map((c) => c.value)).toContain("status");
    const ownDms = await discordTestGateway(
      {},
      { session: { dmScope: "per-channel-peer" } },
      { clock: () => BEFORE_RETIREMENT },
    );
    try {
      expect(
        suggest(ownDms, "opus@", { user: MEMBER, guild: false })
          .map((c) => c.value)
          .sort(),
      ).toEqual(["opus@anthropic:personal", "opus@anthropic:work"]);
      expect(suggest(ownDms, "opus@", { user: MEMBER })).toEqual([]);
    } finally {
      await ownDms.close();
    }
  });

  it("gives unauthorised users an empty list", () => {
    expect(suggest(gw, "", { user: STRANGER })).toEqual([]);
    expect(suggest(gw, "opus@", { user: STRANGER, guild: false })).toEqual([]);
    expect(suggest(gw, "", { user: STRANGER, command: "models", option: "provider" })).toEqual([]);
  });
});

describe("autocomplete for /models provider", () => {
  it("offers providers with allowed models", () => {
    expect(suggest(gw, "", { command: "models", option: "provider" }).map((c) => c.value)).toEqual([
      "anthropic",
      "openai",
      "openrouter",
    ]);
    expect(suggest(gw, "open", { command: "models", option: "provider" })).toEqual([
      { name: "OpenAI (openai)", value: "openai" },
      { name: "OpenRouter (openrouter)", value: "openrouter" },
    ]);
    expect(suggest(limited, "", { command: "models", option: "provider" }).map((c) => c.value)).toEqual([
      "anthropic",
      "openai",
    ]);
  });
});
