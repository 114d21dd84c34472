import { afterEach, describe, expect, test } from "vitest";
import { CHANNELS, createHarness, defaultProfiles, type ChannelName, type Harness } from "./services.js";

const MANY = 300;
const manyModels = Array.from({ length: MANY }, (_, i) => ({
  id: `bulk-model-${String(i).padStart(3, "0")}-${"with-a-long-descriptive-suffix".repeat(2)}`,
}));
const CONFIG = {
  agents: {
    defaults: {
      model: "anthropic/claude-sonnet-5-5",
      models: { "x/bulk-model-007-with-a-long-descriptive-suffixwith-a-long-descriptive-suffix": { alias: "seven" } },
    },
  },
  models: { providers: { x: { baseUrl: "http://127.0.0.1:9/v1", models: manyModels } } },
};

let h: Harness;
afterEach(async () => {
  await h.close();
});

/** Follows "Next page:" commands from `first` to the end, returning every page. */
async function walk(first: string, channel: ChannelName): Promise<string[]> {
  const pages: string[] = [];
  let line: string | undefined = first;
  while (line !== undefined && pages.length < 500) {
    const r = await h.text(line, { channel });
    pages.push(r.text);
    line = /^Next page: (.+)$/m.exec(r.text)?.[1];
  }
  return pages;
}

describe("/models paging", () => {
  test.each(["telegram", "discord", "console"] as const)(
    "limit=all on a catalog larger than a message pages to fit %s, covering each model once",
    async (channel) => {
      h = await createHarness({ config: CONFIG, profiles: defaultProfiles() });
      expect(manyModels.map((m) => m.id).join("\n").length).toBeGreaterThan(4096);
      const pages = await walk("/models x limit=all", channel);
      expect(pages.length).toBeGreaterThan(1);
      for (const p of pages) expect(p.length).toBeLessThanOrEqual(CHANNELS[channel].maxLength);
      const listed = pages.flatMap((p) => p.split("\n").filter((l) => l.startsWith("• x/") || l.startsWith("✓ x/")));
      expect(listed).toHaveLength(MANY);
      expect(new Set(listed).size).toBe(MANY);
      expect(pages[0]).toContain(`x — ${MANY} models, page 1/${pages.length}:`);
      expect(pages[0]).toContain("Next page: /models x 2 limit=all");
      expect(pages.at(-1)).not.toContain("Next page");
    },
  );

  test("a large limit is capped by the message limit, a small one is honoured", async () => {
    h = await createHarness({ config: CONFIG, profiles: defaultProfiles() });
    const big = await h.text("/models x limit=1000", { channel: "discord" });
    expect(big.text.length).toBeLessThanOrEqual(2000);
    expect(big.page?.count).toBeGreaterThan(1);
    const small = await h.text("/model list x 3 size=7");
    expect(small.page).toEqual({ index: 2, count: Math.ceil(MANY / 7) });
    expect(small.text.split("\n").filter((l) => l.startsWith("• "))).toHaveLength(7);
    expect(small.text).toContain("• x/bulk-model-014-");
    expect(small.text).toContain("Next page: /models x 4 limit=7");
  });

  test("page 0, a page past the end and limit=0 get clear messages", async () => {
    h = await createHarness({ config: CONFIG, profiles: defaultProfiles() });
    const zero = await h.text("/models x 0 limit=30");
    expect(zero.text).toContain("There is no page 0: x has pages 1–10.");
    const past = await h.text("/models x 11 limit=30");
    expect(past.text).toContain("There is no page 11: x has pages 1–10.");
    const noLimit = await h.text("/models x limit=0");
    expect(noLimit.text).toContain('"limit=0" is not a page size.');
    expect(noLimit.text).toContain("n from 1");
    const onlyOne = await h.text("/models 2");
    expect(onlyOne.text).toContain("There is no page 2: the provider list has only page 1.");
  });

  test("providers with counts, current provider and model marked, aliases and deprecation shown", async () => {
    h = await createHarness({ config: CONFIG, profiles: defaultProfiles() });
    const providers = await h.text("/models");
    expect(providers.text).toContain("Providers (current model: anthropic/claude-sonnet-5-5):");
    expect(providers.text).toContain("✓ anthropic — 19 models");
    expect(providers.text).toContain(`• x — ${MANY} models`);
    const anthropic = await h.text("/model list Anthropic");
    expect(anthropic.text).toContain("✓ anthropic/claude-sonnet-5-5 (sonnet)");
    expect(anthropic.text).toContain("• anthropic/claude-opus-5-5 (opus)");
    expect(anthropic.text).toContain("• anthropic/claude-sonnet-4-5 — deprecated, retires 2026-11-30");
    const x = await h.text("/models x");
    expect(x.text).toContain("-suffix (seven)");
    const unknown = await h.text("/models antropic");
    expect(unknown.text).toContain('Unknown provider "antropic"');
    expect(unknown.text).toContain("anthropic");
  });
});
