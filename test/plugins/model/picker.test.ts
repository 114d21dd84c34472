import fs from "node:fs";
import { afterEach, describe, expect, test } from "vitest";
import type { Choice, Reply } from "../../../src/gateway/types.js";
import { decodePayload, encodePayload, MAX_PAYLOAD, PLUGIN_NAME } from "../../../plugins/model/payload.js";
import { MAX_ROUTED_PAYLOAD_BYTES, readRoute, STALE_MENU_TEXT } from "../../../src/gateway/choice-route.js";
import { createHarness, defaultProfiles, type Harness, type HarnessOptions } from "./services.js";

const BASE = { agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } } };
const DM_KEY = "agent:main:main";

let h: Harness;
async function setup(opts: HarnessOptions = {}): Promise<Harness> {
  h = await createHarness({ config: BASE, profiles: defaultProfiles(), ...opts });
  return h;
}
afterEach(async () => {
  await h.close();
});

function find(list: readonly Choice[] | undefined, label: string | RegExp): Choice {
  const c = list?.find((x) => (typeof label === "string" ? x.label === label : label.test(x.label)));
  if (!c) throw new Error(`no choice ${String(label)} in ${JSON.stringify(list?.map((x) => x.label))}`);
  return c;
}

function payloadsOf(r: Reply): string[] {
  return [...(r.choices ?? []), ...(r.actions ?? [])].map((c) => c.payload);
}

/** The /model plugin's own part of a payload the host routed to it. */
function own(payload: string): string {
  const route = readRoute(payload);
  expect(route?.plugin).toBe(PLUGIN_NAME);
  return route?.payload ?? "";
}

describe("picker", () => {
  test("/model with buttons: current model and provider choices with counts, two columns", async () => {
    await setup();
    const r = await h.text("/model");
    expect(r.text).toContain("Model: anthropic/claude-sonnet-5-5 (sonnet)");
    expect(r.text).toContain("Choose a provider:");
    expect(r.columns).toBe(2);
    expect(r.choices?.map((c) => [c.label, c.selected ?? false])).toEqual([
      ["anthropic (19)", true],
      ["openai (13)", false],
      ["openrouter (11)", false],
    ]);
    expect(r.actions?.map((a) => a.label)).toEqual(["Reset to default", "Cancel"]);
    expect(r.replace).toBeUndefined();
  });

  test("Telegram: a provider's models 8 per page with ✓, navigation, Back, Reset, Cancel", async () => {
    await setup();
    const home = await h.text("/model");
    const page1 = await h.choose(find(home.choices, "anthropic (19)").payload);
    expect(page1.replace).toBe(true);
    expect(page1.choices).toHaveLength(8);
    expect(page1.page).toEqual({ index: 0, count: 3 });
    expect(find(page1.choices, "claude-sonnet-5-5 · sonnet").selected).toBe(true);
    expect(page1.actions?.map((a) => a.label)).toEqual(["1/3", "Next ▶", "Back", "Reset to default", "Cancel"]);
    const page2 = await h.choose(find(page1.actions, "Next ▶").payload);
    expect(page2.actions?.map((a) => a.label)).toEqual([
      "◀ Prev",
      "2/3",
      "Next ▶",
      "Back",
      "Reset to default",
      "Cancel",
    ]);
    const same = await h.choose(find(page2.actions, "2/3").payload);
    expect(same).toEqual(page2);
    const page3 = await h.choose(find(page2.actions, "Next ▶").payload);
    expect(page3.choices).toHaveLength(3);
    expect(find(page3.choices, /^claude-sonnet-4-5/).label).toBe("claude-sonnet-4-5 (retires 2026-11-30)");
    const back = await h.choose(find(page3.actions, "Back").payload);
    expect(back.replace).toBe(true);
    expect(back.choices?.[0]?.label).toBe("anthropic (19)");
  });

  test("Discord: up to 25 per page", async () => {
    await setup();
    const home = await h.text("/model", { channel: "discord" });
    const page = await h.choose(find(home.choices, "anthropic (19)").payload, { channel: "discord" });
    expect(page.choices).toHaveLength(19);
    expect(page.actions?.map((a) => a.label)).toEqual(["Back", "Reset to default", "Cancel"]);
  });

  test("pressing a model selects it for the session only and confirms in place", async () => {
    await setup({
      config: { agents: { defaults: { model: "anthropic/claude-sonnet-5-5", modelSelectionScope: "global" } } },
    });
    const before = fs.readFileSync(h.configPath);
    const home = await h.text("/model");
    const openai = await h.choose(find(home.choices, "openai (13)").payload);
    const r = await h.choose(find(openai.choices, "gpt-5.4 · gpt").payload);
    expect(r.replace).toBe(true);
    expect(r.choices).toBeUndefined();
    expect(r.text).toContain("Model for this chat: openai/gpt-5.4 (gpt).");
    expect((await h.sessions.get(DM_KEY))?.model).toBe("openai/gpt-5.4");
    expect(fs.readFileSync(h.configPath).equals(before)).toBe(true);
  });

  test("Reset to default and Cancel", async () => {
    await setup();
    await h.text("/model opus@work");
    const home = await h.text("/model");
    const reset = await h.choose(find(home.actions, "Reset to default").payload);
    expect(reset.replace).toBe(true);
    expect(reset.text).toContain("This chat now uses anthropic/claude-sonnet-5-5");
    expect(await h.sessions.get(DM_KEY)).toBeUndefined();
    const cancel = await h.choose(find(home.actions, "Cancel").payload);
    expect(cancel).toEqual({ text: "Model picker closed.", replace: true });
  });

  test("only allowed models are offered; a press made stale by an allowlist change is refused", async () => {
    await setup({
      config: {
        agents: {
          defaults: {
            model: "anthropic/claude-sonnet-5-5",
            modelPolicy: { allow: ["anthropic/claude-opus-5-5", "openai/*"] },
          },
        },
      },
    });
    const home = await h.text("/model");
    expect(home.choices?.map((c) => c.label)).toEqual(["anthropic (1)", "openai (13)"]);
    const openai = await h.choose(find(home.choices, "openai (13)").payload);
    const gpt = find(openai.choices, "gpt-5.4 · gpt").payload;
    const config = JSON.parse(h.readConfig());
    config.agents.defaults.modelPolicy.allow = ["anthropic/*"];
    fs.writeFileSync(h.configPath, JSON.stringify(config));
    h.now += 1000; // another process's edit is seen within the gateway's poll interval
    const stale = await h.choose(gpt);
    expect(stale).toEqual({ text: "This picker is out of date; run /model again.", replace: true });
    expect(await h.sessions.get(DM_KEY)).toBeUndefined();
  });

  test("forged and malformed payloads get 'out of date', never a throw", async () => {
    await setup();
    const home = await h.text("/model");
    const version = decodePayload(own(find(home.choices, "anthropic (19)").payload));
    expect(version?.kind).toBe("provider");
    const v = version && "version" in version ? version.version : "";
    const forged = [
      "",
      "m",
      "m:",
      "x:p:0:0",
      "m:s",
      `m:s:${v}:0`,
      `m:s:${v}:9:0`,
      `m:s:${v}:0:999`,
      `m:p:${v}:0:99`,
      `m:h:${v}:5`,
      `m:h:${v}:0:0:0`,
      `m:s:zzzzzz:0:0`,
      `m:s:${v}:-1:0`,
      `m:s:${v}:0:1e3`,
      "m:r:extra",
      `m:s:${"9".repeat(60)}`,
      "\u0000\uffff",
    ];
    for (const p of forged) {
      // Routed to the plugin, which judges its own payload; data of no plugin gets the host's text.
      const r = await h.choose(`${PLUGIN_NAME}:${p}`);
      expect(r.text, p).toBe("This picker is out of date; run /model again.");
      expect((await h.choose(p)).text, p).toBe(STALE_MENU_TEXT);
    }
    expect(await h.sessions.get(DM_KEY)).toBeUndefined();
  });

  test("every payload is ASCII, at most 40 bytes, and decodes to what was encoded", async () => {
    await setup();
    const seen: string[] = [];
    const home = await h.text("/model", { channel: "discord" });
    seen.push(...payloadsOf(home));
    for (const c of home.choices ?? []) seen.push(...payloadsOf(await h.choose(c.payload, { channel: "discord" })));
    for (const routed of seen) {
      expect(Buffer.byteLength(routed, "utf8")).toBeLessThanOrEqual(MAX_ROUTED_PAYLOAD_BYTES);
      expect(routed).toMatch(/^[\x20-\x7e]+$/);
      const p = own(routed);
      expect(Buffer.byteLength(p, "utf8")).toBeLessThanOrEqual(MAX_PAYLOAD);
      const a = decodePayload(p);
      expect(a).toBeDefined();
      if (a) expect(encodePayload(a)).toBe(p);
    }
  });

  test("without buttons: a numbered list of aliases and how to pick", async () => {
    await setup();
    const r = await h.text("/model", { channel: "console" });
    expect(r.choices).toBeUndefined();
    expect(r.text).toContain("1. opus — anthropic/claude-opus-5-5");
    expect(r.text).toContain("2. sonnet — anthropic/claude-sonnet-5-5 ✓");
    expect(r.text).toContain("Providers: anthropic (19), openai (13), openrouter (11)");
    expect(r.text).toContain("Switch with /model <alias or provider/model>");
    expect(r.text).toContain("for a while: /model opus --for 2h; for one message: /model opus --once <message>.");
  });
});
