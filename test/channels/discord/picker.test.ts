import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FOREIGN_MENU_TEXT, STALE_MENU_TEXT } from "../../../src/gateway/choice-route.js";
import type { FakeDiscord } from "../../fakes/discord-api.js";
import type { TestGateway } from "../../support/gateway.js";
import {
  button,
  CHANNEL,
  type DiscordOnFake,
  discordOnFake,
  GUILD,
  MEMBER,
  option,
  OWNER,
  parts,
  press,
} from "./support.js";

let fake: FakeDiscord;
let gw: TestGateway;
const sessionKey = `agent:main:discord:channel:${CHANNEL}`;

let running: DiscordOnFake;

beforeAll(async () => {
  running = await discordOnFake();
  ({ fake, gw } = running);
});

afterAll(() => running.close());

describe("the /model picker", () => {
  it("goes provider select → model page → next page → pick, updating the message and the session", async () => {
    const open = fake.slashCommand({ name: "model", user: OWNER, guildId: GUILD, channelId: CHANNEL });
    fake.sendInteraction(open);
    await fake.waitForRequest((r) => r.path === `/interactions/${open.id}/${open.token}/callback`);
    const [opened] = fake.interactionResponses(open.id);
    expect(opened?.body).toMatchObject({ type: 4, data: { flags: 64 } });
    const messageId = opened?.messageId ?? "";
    const menu = () => fake.message(messageId);
    expect(parts(menu()).select?.options.map((o) => o.label)).toEqual([
      "✓ anthropic (29)",
      "openai (13)",
      "openrouter (11)",
    ]);
    expect(parts(menu()).buttons.map((b) => b.label)).toEqual(["Reset to default", "Cancel"]);

    // Provider → its first page of 25 models, with 1/2 (disabled) and Next ▶.
    const providerPage = await press(fake, messageId, parts(menu()).select?.custom_id ?? "", {
      values: [option(menu(), /^✓ anthropic/)],
    });
    expect(providerPage.type).toBe(7);
    expect(parts(menu()).select?.options).toHaveLength(25);
    expect(parts(menu()).buttons.map((b) => [b.label, b.disabled ?? false])).toEqual([
      ["1/2", true],
      ["Next ▶", false],
      ["Back", false],
      ["Reset to default", false],
      ["Cancel", false],
    ]);

    // Next ▶ → the remaining 4 models.
    expect((await press(fake, messageId, button(menu(), /Next/))).type).toBe(7);
    expect(parts(menu()).select?.options.map((o) => o.label)).toEqual([
      "claude-test-7",
      "claude-test-8",
      "claude-test-9",
      "claude-test-10",
    ]);
    expect(
      parts(menu())
        .buttons.map((b) => b.label)
        .slice(0, 2),
    ).toEqual(["◀ Prev", "2/2"]);

    // Pick → the message is replaced by the confirmation; the session has the model.
    const picked = await press(fake, messageId, parts(menu()).select?.custom_id ?? "", {
      values: [option(menu(), /^claude-test-10$/)],
    });
    expect(picked.type).toBe(7);
    expect(menu()?.content).toContain("claude-test-10");
    expect((await gw.services.sessions.get(sessionKey))?.model).toBe("anthropic/claude-test-10");
  });

  it("refuses a press by someone other than the opener, privately, leaving the menu alone", async () => {
    const open = fake.slashCommand({ name: "model", user: OWNER, guildId: GUILD, channelId: CHANNEL });
    fake.sendInteraction(open);
    await fake.waitForRequest((r) => r.path === `/interactions/${open.id}/${open.token}/callback`);
    const messageId = fake.interactionResponses(open.id)[0]?.messageId ?? "";
    const before = JSON.stringify(fake.message(messageId));

    const foreign = await press(fake, messageId, button(fake.message(messageId), /Reset/), { user: MEMBER });
    expect(foreign).toMatchObject({ type: 4, data: { content: FOREIGN_MENU_TEXT, flags: 64 } });
    const select = parts(fake.message(messageId)).select;
    const foreignSelect = await press(fake, messageId, select?.custom_id ?? "", {
      values: [select?.options[1]?.value ?? ""],
      user: MEMBER,
    });
    expect(foreignSelect).toMatchObject({ type: 4, data: { content: FOREIGN_MENU_TEXT, flags: 64 } });
    expect(JSON.stringify(fake.message(messageId))).toBe(before);
    expect((await gw.services.sessions.get(sessionKey))?.model).toBe("anthropic/claude-test-10");

    const forged = await press(fake, messageId, "1.AAAAAAAA.m:r");
    expect(forged).toMatchObject({ type: 4, data: { content: STALE_MENU_TEXT, flags: 64 } });

    // Reset to default by the opener clears the session; Cancel closes the menu.
    expect((await press(fake, messageId, button(fake.message(messageId), /Reset/))).type).toBe(7);
    expect(await gw.services.sessions.get(sessionKey)).toBeUndefined();
  });

  it("closes on Cancel, removing the components", async () => {
    const open = fake.slashCommand({ name: "model", user: MEMBER, guildId: GUILD, channelId: CHANNEL });
    fake.sendInteraction(open);
    await fake.waitForRequest((r) => r.path === `/interactions/${open.id}/${open.token}/callback`);
    const messageId = fake.interactionResponses(open.id)[0]?.messageId ?? "";
    const closed = await press(fake, messageId, button(fake.message(messageId), /Cancel/), { user: MEMBER });
    expect(closed).toMatchObject({ type: 7, data: { content: "Model picker closed.", components: [] } });
    expect(fake.message(messageId)?.components).toEqual([]);
  });
});
