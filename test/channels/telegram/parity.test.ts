/**
 * OpenClaw parity through the real Telegram adapter: owner-only scope flags in groups, menus that
 * follow the allowlist, and the inline directive reaching a (fake) model with only the rest.
 */
import fs from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createChatResponder } from "../../../src/chat/responder.js";
import { startFakeProvider, type FakeProvider } from "../../fakes/provider-api.js";
import { nextMessage, startHarness, textOf, type Harness } from "./harness.js";

const ALICE = { id: 1001, first_name: "Alice" }; // owner
const CAROL = { id: 1003, first_name: "Carol" }; // allowed, not an owner
const GROUP = { id: -3001, type: "group" } as const;
const DM = { id: ALICE.id, type: "private" } as const;
const KEY = `sk-ant-api03-${"P".repeat(40)}yy77`;

let provider: FakeProvider;
let h: Harness | undefined;
beforeAll(async () => {
  provider = await startFakeProvider();
});
afterAll(async () => {
  await provider.close();
});
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(extra: Record<string, unknown> = {}): Promise<Harness> {
  h = await startHarness({
    config: {
      agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
      commands: { allowFrom: { telegram: ["1001", "1003"] }, ownerAllowFrom: ["telegram:1001"] },
      models: { providers: { anthropic: { baseUrl: provider.url } } },
      ...extra,
    },
    authProfiles: { version: 1, profiles: { "anthropic:ci": { type: "api_key", provider: "anthropic", key: KEY } } },
  });
  h.gateway.useChat(createChatResponder(h.gateway.services, () => undefined));
  return h;
}

async function ask(
  harness: Harness,
  chat: typeof GROUP | typeof DM,
  from: typeof ALICE,
  text: string,
): Promise<string> {
  harness.fake.userMessage({ chat, from, text });
  return textOf(await nextMessage(harness.fake, chat.id));
}

describe("Telegram: OpenClaw /model parity", () => {
  it("refuses a non-owner's -g in a group and leaves openclaw.json untouched; an owner's -g writes it", async () => {
    const harness = await start();
    const before = fs.readFileSync(harness.gateway.configPath, "utf8");
    const refused = await ask(harness, GROUP, CAROL, "/model gpt -g");
    expect(refused).toMatch(/owner/i);
    expect(fs.readFileSync(harness.gateway.configPath, "utf8")).toBe(before);

    await ask(harness, DM, ALICE, "/model haiku -g");
    const after = JSON.parse(fs.readFileSync(harness.gateway.configPath, "utf8"));
    expect(after.agents.defaults.model).toBe("anthropic/claude-haiku-5-5");
    expect(after.commands.ownerAllowFrom).toEqual(["telegram:1001"]);
  });

  it("offers only allowed models in the command menu", async () => {
    const harness = await start({
      agents: { defaults: { model: "anthropic/claude-sonnet-5-5", modelPolicy: { allow: ["anthropic/*"] } } },
    });
    const menu = (await harness.fake.waitForCall("setMyCommands")).payload.commands as Array<{ command: string }>;
    const names = menu.map((c) => c.command);
    expect(names).toEqual(expect.arrayContaining(["model", "models", "opus", "sonnet", "haiku"]));
    expect(names).not.toContain("gpt");
    expect(names).not.toContain("gemini");
    expect(await ask(harness, DM, ALICE, "/model gpt")).toContain("agents.defaults.modelPolicy.allow");
  });

  it("leaves an alias with a dot out of the menu; /model test.alias and a typed /test.alias still switch", async () => {
    const harness = await start({
      agents: {
        defaults: {
          model: "anthropic/claude-sonnet-5-5",
          models: { "anthropic/claude-haiku-4-5": { alias: "test.alias" } },
        },
      },
    });
    const menu = (await harness.fake.waitForCall("setMyCommands")).payload.commands as Array<{ command: string }>;
    expect(menu.map((c) => c.command)).toEqual(expect.arrayContaining(["model", "opus"]));
    expect(menu.map((c) => c.command).filter((n) => n.includes("test"))).toEqual([]);
    expect(await ask(harness, DM, ALICE, "/model test.alias")).toContain(
      "Model for this chat: anthropic/claude-haiku-4-5 (test.alias).",
    );
    await ask(harness, DM, ALICE, "/model default");
    expect(await ask(harness, DM, ALICE, "/test.alias")).toContain("anthropic/claude-haiku-4-5 (test.alias)");
  });

  it("applies an inline directive and sends only the rest of the message to the model", async () => {
    provider.script(KEY, { kind: "text", text: "It renames a variable." });
    const harness = await start();
    const first = await ask(harness, DM, ALICE, "/model haiku explain this diff");
    const second = first.includes("renames") ? first : textOf(await nextMessage(harness.fake, DM.id));
    expect(`${first}\n${second}`).toContain("claude-haiku-5-5");
    expect(second).toContain("It renames a variable.");
    const sent = provider.requestsFor(KEY).at(-1);
    expect(sent?.model).toBe("claude-haiku-5-5");
    expect(sent?.messages?.at(-1)).toMatchObject({ role: "user", content: "explain this diff" });
    expect((await harness.gateway.services.sessions.get("agent:main:main"))?.model).toBe("anthropic/claude-haiku-5-5");
  });

  it("applies an inline directive in a group without a mention", async () => {
    provider.script(KEY, { kind: "text", text: "Group answer." });
    const harness = await start();
    harness.fake.userMessage({ chat: GROUP, from: ALICE, text: "/opus summarise the thread" });
    const texts = [
      textOf(await nextMessage(harness.fake, GROUP.id)),
      textOf(await nextMessage(harness.fake, GROUP.id)),
    ].join("\n");
    expect(texts).toContain("claude-opus-5-5");
    expect(texts).toContain("Group answer.");
    expect(provider.requestsFor(KEY).at(-1)?.messages?.at(-1)).toMatchObject({
      role: "user",
      content: "summarise the thread",
    });
  });
});
