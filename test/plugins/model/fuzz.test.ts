import { afterAll, beforeAll, describe, expect, test } from "vitest";
import fc from "fast-check";
import type { Reply } from "../../../src/gateway/types.js";
import { modelPlugin } from "../../../plugins/model/index.js";
import { MAX_LABEL } from "../../../plugins/model/format.js";
import { MAX_PAYLOAD } from "../../../plugins/model/payload.js";
import {
  CHANNELS,
  createHarness,
  defaultProfiles,
  SECRETS,
  type ChannelName,
  type Harness,
  type Who,
} from "./services.js";

// A catalog and credential file built to overflow: many models, a huge id, long aliases and profile ids.
const CONFIG = {
  agents: {
    defaults: {
      model: "anthropic/claude-sonnet-5-5",
      models: { [`x/${"h".repeat(5000)}`]: { alias: "huge" }, "x/m-1": { alias: "a".repeat(32) } },
    },
  },
  models: {
    providers: {
      x: {
        models: [
          { id: "h".repeat(5000) },
          ...Array.from({ length: 400 }, (_, i) => ({ id: `m-${i}-${"z".repeat(i % 90)}` })),
        ],
      },
    },
  },
};
const PROFILES = (() => {
  const base = defaultProfiles() as { version: number; profiles: Record<string, object> };
  for (let i = 0; i < 60; i++)
    base.profiles[`anthropic:${"p".repeat(i * 10)}${i}`] = {
      type: "api_key",
      provider: "anthropic",
      key: `${SECRETS.ci}${i}`,
    };
  return base;
})();

const WORDS = [
  "list",
  "status",
  "default",
  "opus",
  "OPUS",
  "gpt-mini",
  "x",
  "anthropic",
  "openai/gpt-5",
  "huge",
  "all",
  "0",
  "1",
  "2",
  "99",
  "limit=0",
  "limit=1",
  "limit=all",
  "size=3",
  "-s",
  "-a",
  "-g",
  "--global",
  "\u2014agent",
  "-x",
  "@",
  "@work",
  "opus@work",
  "x@",
  "@x",
  '"',
  '"a b"',
  '\\"',
  "\u201c",
  "claude-3-5@2024-10-22",
  "m:s:0:0:0",
];
const word = fc.oneof(
  fc.constantFrom(...WORDS),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: fc.constantFrom("@", '"', "\\", " ", "-", "/", ":", "=", "a", "1"), maxLength: 12 }),
);
const args = fc.oneof(
  fc.array(word, { maxLength: 6 }).map((ws) => ws.join(" ")),
  fc.string({ unit: "binary", maxLength: 80 }),
);
const who = fc.record({
  channel: fc.constantFrom<ChannelName>("telegram", "discord", "console"),
  isGroup: fc.boolean(),
  isOwner: fc.boolean(),
  threadId: fc.option(fc.constantFrom("1", "2"), { nil: undefined }),
});

function checkReply(r: Reply, channel: ChannelName): void {
  expect(r.text.length).toBeLessThanOrEqual(CHANNELS[channel].maxLength);
  expect(r.text.length).toBeGreaterThan(0);
  for (const c of [...(r.choices ?? []), ...(r.actions ?? [])]) {
    expect(c.payload).toMatch(/^[\x20-\x7e]{1,40}$/);
    expect(c.payload.length).toBeLessThanOrEqual(MAX_PAYLOAD);
    expect(c.label.length).toBeLessThanOrEqual(MAX_LABEL);
  }
  expect(r.choices?.length ?? 0).toBeLessThanOrEqual(25);
  for (const s of Object.values(SECRETS)) expect(r.text).not.toContain(s);
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness({ config: CONFIG, profiles: PROFILES, env: { ANTHROPIC_API_KEY: SECRETS.envAnthropic } });
});
afterAll(async () => {
  await h.close();
});

const whoOf = (w: { channel: ChannelName; isGroup: boolean; isOwner: boolean; threadId: string | undefined }): Who => ({
  channel: w.channel,
  isGroup: w.isGroup,
  isOwner: w.isOwner,
  ...(w.threadId !== undefined && w.isGroup ? { threadId: w.threadId } : {}),
});

describe("for any input", () => {
  // Counterexamples the property found once; kept, since its inputs are random per run.
  test.each([
    ["new", ""],
    ["new", ":"],
  ])("/%s%s answers, and the answer fits the channel", async (command, a) => {
    checkReply(await h.command(command, a, { channel: "telegram", isGroup: false, isOwner: false }), "telegram");
  });

  test("commands never throw and every reply fits the channel", async () => {
    const names = modelPlugin.commands(h.services).map((c) => c.name);
    expect(names).toContain("huge");
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...names, "opus"), args, who, async (command, a, w) => {
        const r = await h.command(command, a, whoOf(w));
        checkReply(r, w.channel);
      }),
      { numRuns: 600 },
    );
  });

  test("button presses never throw and every reply fits, including payloads the plugin made", async () => {
    const made: string[] = [];
    for (const channel of ["telegram", "discord"] as const) {
      const home = await h.command("model", "", { channel });
      for (const c of [...(home.choices ?? []), ...(home.actions ?? [])]) made.push(c.payload);
      for (const c of home.choices ?? []) {
        const page = await h.choose(c.payload, { channel });
        for (const x of [...(page.choices ?? []), ...(page.actions ?? [])]) made.push(x.payload);
      }
    }
    const payload = fc.oneof(
      fc.constantFrom(...made),
      fc.string({ unit: "binary", maxLength: 50 }),
      fc.string({ unit: fc.constantFrom("m", ":", "s", "p", "h", "n", "0", "9", "a"), maxLength: 30 }),
    );
    await fc.assert(
      fc.asyncProperty(payload, who, async (p, w) => {
        const r = await h.choose(p, whoOf(w));
        checkReply(r, w.channel);
      }),
      { numRuns: 400 },
    );
  });

  test("messages never throw; a directive's notice fits and its text is a suffix of the message", async () => {
    const head = fc.constantFrom(
      "/model ",
      "/model: ",
      "/MODEL@Bot ",
      "/opus",
      "/opus@work ",
      "/huge ",
      "/models ",
      "",
      "/x ",
    );
    await fc.assert(
      fc.asyncProperty(head, args, fc.string({ unit: "binary", maxLength: 40 }), who, async (hd, a, rest, w) => {
        const text = `${hd}${a} ${rest}`;
        const out = await h.message(text, whoOf(w));
        if (out === undefined) return;
        expect(text.endsWith(out.text)).toBe(true);
        if (out.notice !== undefined) expect(out.notice.length).toBeLessThanOrEqual(CHANNELS[w.channel].maxLength);
      }),
      { numRuns: 400 },
    );
  });
});
