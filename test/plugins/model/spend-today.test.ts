import { afterEach, expect, test } from "vitest";
import { recordAll, SPEND_NOW } from "../../support/ledger.js";
import { createHarness, defaultProfiles, type Harness } from "./services.js";

let h: Harness;
afterEach(() => h.close());

test("/model status shows each profile's spend today (UTC day), and nothing beside a profile that spent none", async () => {
  h = await createHarness({
    config: { agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } } },
    profiles: defaultProfiles(SPEND_NOW),
  });
  h.now = SPEND_NOW;
  await recordAll(h.sessions.ledger);
  const lines = (await h.text("/model status")).text.split("\n");
  expect(lines).toContain("  1. anthropic:work token sk-ant-o…Fq1x — next, exp 5h · today $0.08");
  expect(lines).toContain("  2. anthropic:ci api_key sk-ant-a…ci99");
  // openai:home spent yesterday, and this agent has no such profile: its own OpenAI key spent nothing today.
  expect(lines.find((l) => l.includes("openai:owner+work@example.com"))).not.toContain("today");
});
