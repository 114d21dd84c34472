import { afterEach, describe, expect, test } from "vitest";
import { createHarness, defaultProfiles, HOUR, SECRETS, T0, type Harness, type HarnessOptions } from "./services.js";

const BASE = { agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } } };
const MINUTE = 60_000;

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

function lineOf(text: string, id: string): string {
  return text.split("\n").find((l) => l.includes(`. ${id} `)) ?? `(no line for ${id})`;
}

describe("/model status", () => {
  test("shows model, source, agent, and every candidate in the resolver's order with masked secrets", async () => {
    await setup();
    const r = await h.text("/model status");
    expect(r.private).toBe(true);
    const lines = r.text.split("\n");
    expect(lines[0]).toBe("Model: anthropic/claude-sonnet-5-5 (sonnet) — the default (agents.defaults.model)");
    expect(r.text).toContain("Agent: main");
    expect(r.text).toContain("anthropic — https://api.anthropic.com · anthropic-messages · default order");
    const resolution = h.services
      .resolver()
      .resolve({ agentId: "main", provider: "anthropic", model: "anthropic/claude-sonnet-5-5" });
    const shown = lines.filter((l) => /^ {2}\d+\. /.test(l)).slice(0, resolution.candidates.length);
    expect(shown.map((l) => l.split(" ")[3])).toEqual(resolution.candidates.map((c) => c.id));
    expect(lineOf(r.text, "anthropic:work")).toBe("  1. anthropic:work token sk-ant-o…Fq1x — next, exp 5h");
    expect(lineOf(r.text, "anthropic:old")).toContain("— expired");
    expect(lineOf(r.text, "env:ANTHROPIC_API_KEY")).toBe("  3. env:ANTHROPIC_API_KEY api_key ****");
    expect(r.text).toContain("openai — https://api.openai.com/v1 · openai-completions");
    expect(r.text).not.toContain("openrouter —");
    for (const s of Object.values(SECRETS)) expect(r.text).not.toContain(s);
  });

  test("flags: pinned, cooldown with time left and reason, excluded, incompatible", async () => {
    await setup({ config: { ...BASE, auth: { order: { anthropic: ["anthropic:work", "anthropic:ci"] } } } });
    await h.text("/model opus@ci");
    await h.sessions.cooldowns.recordFailure("anthropic:work", {
      reason: "rate_limit",
      model: "anthropic/claude-opus-5-5",
      retryAfterMs: 4 * MINUTE,
      now: T0,
    });
    h.now = T0 + 30_000;
    const r = await h.text("/model status");
    expect(r.text).toContain("Pinned profile: anthropic:ci (user)");
    expect(r.text).toContain("auth.order");
    expect(lineOf(r.text, "anthropic:ci")).toBe("  1. anthropic:ci api_key sk-ant-a…ci99 — next, pinned");
    expect(lineOf(r.text, "anthropic:work")).toContain("exp 5h, cooldown 4m (rate_limit)");
    expect(lineOf(r.text, "anthropic:old")).toContain("expired, excluded");
    await h.sessions.cooldowns.recordFailure("anthropic:ci", { reason: "incompatible", now: h.now });
    const after = await h.text("/model status");
    expect(lineOf(after.text, "anthropic:ci")).toContain("pinned, incompatible");
    expect(after.text).toContain("⚠ The pinned profile anthropic:ci cannot be used for API requests");
  });

  test("a resolution error is shown with its hint", async () => {
    await setup({ profiles: { version: 1, profiles: {} }, env: {} });
    const r = await h.text("/model status");
    expect(r.text).toContain("(no credentials)");
    expect(r.text).toContain("⚠ No usable credential for anthropic.");
    expect(r.text).toContain("openclaw models auth paste-api-key --provider anthropic");
  });

  test("the current model's provider comes first, and the session source and default are named", async () => {
    await setup();
    await h.text("/model gpt");
    h.now = T0 + 2 * HOUR;
    const r = await h.text("/model status");
    expect(r.text.split("\n")[0]).toBe("Model: openai/gpt-5.4 (gpt) — chosen for this chat by telegram:100");
    expect(r.text).toContain("Default: anthropic/claude-sonnet-5-5 (sonnet) — the default (agents.defaults.model)");
    expect(r.text.indexOf("openai —")).toBeLessThan(r.text.indexOf("anthropic —"));
    expect(lineOf(r.text, "anthropic:work")).toContain("exp 3h");
  });

  test("in a group only owners see it, privately; others are told to use a DM", async () => {
    await setup();
    const refused = await h.text("/model status", { isGroup: true, isOwner: false });
    expect(refused.text).toContain("only an owner may see it");
    expect(refused.text).toContain("direct message");
    expect(refused.private).toBe(true);
    const owner = await h.text("/model status", { isGroup: true, isOwner: true, channel: "discord" });
    expect(owner.private).toBe(true);
    expect(owner.text).toContain("anthropic:work");
    const dm = await h.text("/model status", { isOwner: false });
    expect(dm.text).toContain("anthropic:work");
  });

  test("what /model status refuses a non-owner in a group, no other reply shows them: no profile id, no key fragment", async () => {
    await setup();
    const group = { isGroup: true, chatId: "-500", isOwner: false } as const;
    const ownerInGroup = { ...group, isOwner: true };
    // Every profile id, and every part of a secret a mask or a piece would show.
    const hidden = [
      ...Object.keys((defaultProfiles() as { profiles: Record<string, unknown> }).profiles),
      ...Object.values(SECRETS).flatMap((s) => [s.slice(0, 8), s.slice(-4)]),
      "…",
    ];
    const shows = (text: string) => hidden.filter((h) => text.includes(h));

    const replies: Array<[string, string]> = [];
    // Not the console: its one user is always an owner.
    for (const channel of ["discord", "telegram"] as const) {
      // An owner pinned a profile for the group; the reply names it to the owner.
      const pinned = await h.text("/model opus@work", { ...ownerInGroup, channel });
      expect(pinned.text).toContain("Pinned profile: anthropic:work.");
      expect(pinned.text).toContain("with anthropic:work (token sk-ant-o…Fq1x)");
      const shown = await h.text("/model", { ...group, channel });
      expect(shown.text).toContain("Pinned profile: set (only owners see which in a group)");
      expect(shown.text).toContain("Next request: anthropic/claude-opus-5-5 (opus).");
      replies.push([`/model on ${channel}`, shown.text]);
    }
    const kept = await h.text("/model haiku", group);
    expect(kept.text).toContain("Pinned profile: set (only owners see which in a group).");
    replies.push(["/model haiku", kept.text]);
    const dropped = await h.text("/model gpt", group);
    expect(dropped.text).toContain("Unpinned the profile: it is for anthropic, not openai.");
    expect(dropped.text).toContain("Next request: openai/gpt-5.4 (gpt).");
    replies.push(["/model gpt", dropped.text]);
    await h.sessions.cooldowns.recordFailure("openai:owner+work@example.com", { reason: "auth", now: h.now });
    const failing = await h.text("/new", group);
    expect(failing.text).toContain(
      "⚠ The next request will fail: no credential can serve it. An owner can see why with /model status.",
    );
    replies.push(["/new", failing.text]);
    replies.push(["/model default", (await h.text("/model default", group)).text]);
    for (const [what, text] of replies) expect({ what, shows: shows(text) }).toEqual({ what, shows: [] });

    // The same replies outside the group still say which credential is used.
    expect((await h.text("/model", { isOwner: false })).text).toContain("with anthropic:work (token sk-ant-o…Fq1x)");
  });

  test("a deprecated current model shows its retirement date", async () => {
    await setup();
    await h.text("/model anthropic/claude-opus-4-5");
    expect((await h.text("/model status")).text.split("\n")[0]).toContain("(deprecated, retires 2027-01-22)");
  });
});

describe("/model status: the fallback chain", () => {
  const CHAIN = {
    agents: {
      defaults: {
        model: {
          primary: "anthropic/claude-sonnet-5-5",
          fallbacks: ["openai/gpt-5.2", "haiku", "openrouter/openai/gpt-5", "nope/x"],
        },
        modelPolicy: { allow: ["anthropic/*", "openai/*"] },
      },
    },
  };

  test("lists each fallback with the credential it would use now, or why it is never tried", async () => {
    await setup({ config: CHAIN, env: {} });
    await h.sessions.cooldowns.recordFailure("anthropic:work", {
      reason: "rate_limit",
      model: "anthropic/claude-haiku-5-5",
      retryAfterMs: 4 * MINUTE,
      now: T0,
    });
    await h.sessions.cooldowns.recordFailure("anthropic:ci", { reason: "billing", now: T0 });
    const lines = (await h.text("/model status")).text.split("\n");
    const at = lines.indexOf("Fallbacks (agents.defaults.model.fallbacks):");
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 5)).toEqual([
      "  1. openai/gpt-5.2 — usable now, next openai:owner+work@example.com",
      "  2. anthropic/claude-haiku-5-5 — every anthropic credential is cooling down (rate limit, billing, 4m left)",
      "  3. openrouter/openai/gpt-5 — never tried: not in agents.defaults.modelPolicy.allow",
      '  4. nope/x — never tried: Unknown model "nope/x".',
    ]);
  });

  test("says the chain is not used while the chat has its own model, and none when there is none", async () => {
    await setup({ config: CHAIN });
    await h.text("/model gpt");
    expect((await h.text("/model status")).text).toContain(
      "Fallbacks (agents.defaults.model.fallbacks; not used while this chat has its own model or pin):",
    );
    await h.close();
    await setup();
    expect((await h.text("/model status")).text).toContain("Fallbacks: none (agents.defaults.model.fallbacks)");
  });

  test("an aws-sdk profile is listed under its provider as incompatible, saying why", async () => {
    await setup({
      config: {
        ...BASE,
        auth: { profiles: { "amazon-bedrock:default": { provider: "amazon-bedrock", mode: "aws-sdk" } } },
      },
    });
    const lines = (await h.text("/model status")).text.split("\n");
    const at = lines.findIndex((l) => l.startsWith("amazon-bedrock — "));
    expect(lines[at]).toBe("amazon-bedrock — not in the catalog · default order");
    expect(lines[at + 1]).toBe("  1. amazon-bedrock:default api_key (aws-sdk) — incompatible");
    expect(lines[at + 2]).toContain("AWS SDK credentials, which this gateway cannot use");
  });
});
