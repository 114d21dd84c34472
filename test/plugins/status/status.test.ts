/**
 * `/status`, `/whoami` (`/id`), the inline shortcuts and `/new <text>`, on the console and on
 * Telegram (grammY against the fake Bot API), with the chat responder pointed at the loopback
 * provider fake, which records every request: what never reaches a model is seen there.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleConsoleLine } from "../../../src/channels/console/index.js";
import { createChatResponder } from "../../../src/chat/responder.js";
import { stopPlugin } from "../../../src/chat/stop.js";
import { modelPlugin } from "../../../plugins/model/index.js";
import { statusPlugin } from "../../../plugins/status/index.js";
import { useFakeProvider } from "../../fakes/use-fake-provider.js";
import { fakeProviders, testClock, type TestClock } from "../../chat/harness.js";
import { createTestGateway, type TestGateway } from "../../support/gateway.js";
import { ask, nextMessage, startHarness, textOf, type Harness } from "../../channels/telegram/harness.js";

const ANTHROPIC_KEY = `sk-ant-api03-${"S".repeat(40)}st01`;
const OPENAI_KEY = `sk-proj-${"O".repeat(40)}st02`;
const PROFILES = {
  version: 1,
  profiles: {
    "anthropic:work": { type: "api_key", provider: "anthropic", key: ANTHROPIC_KEY },
    "openai:work": { type: "api_key", provider: "openai", key: OPENAI_KEY },
  },
};
const MODEL = { primary: "anthropic/claude-sonnet-5-5", fallbacks: ["openai/gpt-5"] };
const plugins = () => [modelPlugin, stopPlugin, statusPlugin];
const HOUR = 3_600_000;

const provider = useFakeProvider();

/** The text of every message the model was sent, in order (the last one is the new message). */
function sentTexts(): string[] {
  return provider.requests.map((r) => {
    const last = r.messages?.at(-1) as { content?: unknown } | undefined;
    return typeof last?.content === "string" ? last.content : JSON.stringify(last?.content);
  });
}

describe("on the console", () => {
  let gw: TestGateway;
  let clock: TestClock;
  beforeAll(async () => {
    clock = testClock();
    gw = await createTestGateway({
      config: { agents: { defaults: { model: MODEL } }, models: { providers: fakeProviders(provider) } },
      authProfiles: PROFILES,
      plugins: plugins(),
      clock,
      chat: (services) => createChatResponder(services, () => undefined),
    });
  });
  afterAll(() => gw.close());
  const say = async (line: string) => (await handleConsoleLine(gw.host, line)).join("\n---\n");

  it("/status answers locally: model and source, the masked credential, fallbacks, uptime by the clock", async () => {
    clock.advance(2 * HOUR);
    const text = await say("/status");
    expect(text.split("\n")).toEqual([
      "Model: anthropic/claude-sonnet-5-5 (sonnet) — the default (agents.defaults.model)",
      "Credential: anthropic:work (api_key sk-ant-a…st01)",
      "Fallbacks: openai/gpt-5 (agents.defaults.model.fallbacks)",
      "Uptime: 2h",
    ]);
    expect(text).not.toContain(ANTHROPIC_KEY);
    expect(provider.requests).toEqual([]);
  });

  it("/status follows this chat's own model and pin", async () => {
    await say("/model openai/gpt-5@openai:work");
    const text = await say("/status");
    expect(text).toContain("Model: openai/gpt-5 — chosen for this chat by console:local");
    expect(text).toContain("Credential: openai:work (api_key sk-proj-…st02), pinned");
    expect(text).toContain("not used while this chat has its own model or pin");
    await say("/model default");
  });

  it("/whoami and /id say what the console user is", async () => {
    const text = await say("/whoami");
    expect(text).toBe(
      "You are the console user: always an owner, so commands.allowFrom and commands.ownerAllowFrom do not apply here.",
    );
    expect(await say("/id")).toBe(text);
  });

  it("inline shortcuts are answered and stripped; only the rest reaches the model", async () => {
    provider.defaultText("four");
    const out = await handleConsoleLine(gw.host, "what is 2+2? /status");
    expect(out[0]).toMatch(/^Model: anthropic\/claude-sonnet-5-5/);
    expect(out.at(-1)).toBe("four");
    expect(sentTexts()).toEqual(["what is 2+2?"]);

    const both = await handleConsoleLine(gw.host, "/whoami tell me a joke /HELP");
    expect(both[0]).toContain("You are the console user");
    expect(both[1]).toContain("Commands:");
    expect(both[1]).toContain("/status — This chat's model");
    expect(sentTexts().at(-1)).toBe("tell me a joke");
  });

  it("a message of shortcuts alone never reaches the model", async () => {
    const out = await handleConsoleLine(gw.host, "/status /id");
    expect(out).toHaveLength(2);
    expect(provider.requests).toEqual([]);
    // A `/word` that is part of a path or word stays text.
    provider.defaultText("ok");
    await say("look at /usr/status and x/whoami");
    expect(sentTexts()).toEqual(["look at /usr/status and x/whoami"]);
  });

  it("/new <text> and /reset <text> start a fresh conversation and send the text", async () => {
    provider.defaultText("answer");
    await say("remember the word apple");
    const out = await handleConsoleLine(gw.host, "/new what word did I say?");
    expect(out[0]).toMatch(/^New conversation started\./);
    expect(out.at(-1)).toBe("answer");
    // The model saw only the new message: the history was forgotten.
    expect(provider.requests.at(-1)?.messages).toHaveLength(1);
    expect(sentTexts().at(-1)).toBe("what word did I say?");

    const reset = await handleConsoleLine(gw.host, "/reset opus   hello  there");
    expect(reset[0]).toContain("Model for this chat: anthropic/claude-opus-5-5 (opus).");
    expect(provider.requests.at(-1)).toMatchObject({ model: "claude-opus-5-5" });
    expect(sentTexts().at(-1)).toBe("hello  there");
    expect(provider.requests.at(-1)?.messages).toHaveLength(1);
    await say("/model default");
  });
  it("a native /new with text (a Discord slash command) answers the text in the same reply", async () => {
    provider.defaultText("native answer");
    const inv = {
      channel: "console",
      chatId: "local",
      sender: { id: "local" },
      isGroup: false,
      command: "new",
      args: "hello from a slash command",
      via: "native",
    } as const;
    const reply = await gw.host.handleCommand(inv, { maxLength: 2000, buttons: true, ephemeral: true });
    expect(reply?.text).toMatch(/^New conversation started\.[\s\S]*\n\nnative answer$/);
    expect(sentTexts().at(-1)).toBe("hello from a slash command");

    // An answer longer than one message comes whole: the adapter splits it, as any chat answer.
    const long = Array.from({ length: 120 }, (_, i) => `line ${i} of a long answer`).join("\n");
    provider.defaultText(long);
    const whole = await gw.host.handleCommand(inv, { maxLength: 2000, buttons: true, ephemeral: true });
    expect(whole?.text.endsWith(long)).toBe(true);
  });
});

describe("on Telegram", () => {
  const ALICE = { id: 1001, first_name: "Alice" }; // owner
  const BOB = { id: 1002, first_name: "Bob" }; // may use commands, no owner
  const CAROL = { id: 1003, first_name: "Carol" }; // nobody
  const DM = { id: ALICE.id, type: "private" } as const;
  const GROUP = { id: -4101, type: "group" } as const;
  let t: Harness;
  // One bot for the whole block: each test leaves the DM as the next expects it.
  beforeAll(async () => {
    t = await startHarness({
      config: {
        agents: { defaults: { model: MODEL } },
        commands: { allowFrom: { telegram: ["1002"] }, ownerAllowFrom: ["telegram:1001"] },
        models: { providers: fakeProviders(provider) },
        channels: { telegram: { streaming: "off" } },
      },
      authProfiles: PROFILES,
      plugins: plugins(),
      clock: testClock(),
      chat: (services) => createChatResponder(services, () => undefined),
    });
  });
  afterAll(() => t.close());

  it("/status never reaches the model; in a group only an owner sees the credential", async () => {
    const dm = await ask(t, DM, ALICE, "/status");
    expect(dm.text).toContain("Credential: anthropic:work (api_key sk-ant-a…st01)");
    expect(dm.text).toContain("Uptime: 0s");
    const owner = await ask(t, GROUP, ALICE, "/status");
    expect(owner.text).toContain("Credential: anthropic:work");
    const guest = await ask(t, GROUP, BOB, "/status");
    expect(guest.text).toContain("Model: anthropic/claude-sonnet-5-5");
    expect(guest.text).toContain("Credential: only owners see which in a group; ask me in a direct message");
    expect(guest.text).not.toContain("anthropic:work");
    const refused = await ask(t, { id: CAROL.id, type: "private" }, CAROL, "/status");
    expect(refused.text).toBe("You are not allowed to use commands with this bot.");
    expect(provider.requests).toEqual([]);
  });

  it("/whoami and /id give the ids commands.allowFrom and ownerAllowFrom take", async () => {
    const me = await ask(t, { id: BOB.id, type: "private" }, BOB, "/whoami");
    expect(me.text.split("\n")).toEqual([
      "You are telegram:1002 (Bob).",
      'commands.ownerAllowFrom entry: "telegram:1002"',
      'commands.allowFrom.telegram entry: "1002"',
      "You may use commands here; you are not an owner.",
    ]);
    expect((await ask(t, GROUP, ALICE, "/id")).text).toContain("You are an owner here.\nChat: -4101");
    expect((await ask(t, { id: CAROL.id, type: "private" }, CAROL, "/whoami")).text).toBe(
      "You are not allowed to use commands with this bot.",
    );
  });

  it("an inline /status is answered and stripped; /status with text after it is such a message", async () => {
    provider.defaultText("fine");
    const first = await ask(t, DM, ALICE, "how are you /status");
    expect(first.text).toMatch(/^Model: anthropic\/claude-sonnet-5-5/);
    expect(textOf(await nextMessage(t.fake, DM.id))).toBe("fine");
    const second = await ask(t, DM, ALICE, "/status and you?");
    expect(second.text).toMatch(/^Model: /);
    expect(textOf(await nextMessage(t.fake, DM.id))).toBe("fine");
    expect(sentTexts()).toEqual(["how are you", "and you?"]);
  });

  it("/new <text> starts over and sends the text; /new <model> <text> switches first", async () => {
    provider.defaultText("hi!");
    await ask(t, DM, ALICE, "first message");
    const started = await ask(t, DM, ALICE, "/new hello again");
    expect(started.text).toMatch(/^New conversation started\./);
    expect(textOf(await nextMessage(t.fake, DM.id))).toBe("hi!");
    expect(sentTexts().at(-1)).toBe("hello again");
    expect(provider.requests.at(-1)?.messages).toHaveLength(1);

    const switched = await ask(t, DM, ALICE, "/reset opus hello");
    expect(switched.text).toContain("Model for this chat: anthropic/claude-opus-5-5 (opus).");
    await nextMessage(t.fake, DM.id);
    expect(provider.requests.at(-1)).toMatchObject({ model: "claude-opus-5-5" });
    expect(sentTexts().at(-1)).toBe("hello");
    // Alone, /new still only starts over.
    const before = provider.requests.length;
    expect((await ask(t, DM, ALICE, "/new")).text).toMatch(/^New conversation started\./);
    expect(provider.requests).toHaveLength(before);
  });
});
