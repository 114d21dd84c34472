import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { unstartedChannelWarnings } from "../../src/app/channel-warnings.js";
import { writeStateDir } from "../support/state.js";
import { startInProcessGateway } from "../support/in-process-gateway.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** Starts the gateway in-process over `config`, stops it once it listens, and returns its log. */
async function startLog(config: object, env: Record<string, string> = {}): Promise<string[]> {
  const dir = writeStateDir({ prefix: "openclaw-chwarn-", config: { gateway: { port: 0 }, ...config } });
  dirs.push(dir);
  const gateway = await startInProcessGateway(dir, env);
  await gateway.stop();
  return gateway.logs;
}

describe("gateway start: a channel section that cannot start says why", () => {
  it("Telegram and Discord sections without a token name the key, the variable and the .env file", async () => {
    const config = { channels: { telegram: { enabled: true, streaming: { mode: "off" } }, discord: {} } };
    const logs = await startLog(config);
    const dir = dirs[0] ?? "";
    expect(logs).toContain(
      `[warn] channels.telegram is configured but has no bot token, so Telegram is not started: set channels.telegram.botToken, or TELEGRAM_BOT_TOKEN in the environment or ${path.join(dir, ".env")} (or set channels.telegram.enabled to false).`,
    );
    expect(logs.some((l) => l.startsWith("[warn] channels.discord is configured but has no bot token"))).toBe(true);
    expect(logs.join("\n")).toContain("DISCORD_BOT_TOKEN");
  });

  it("says nothing for a disabled section nor for Discord's interactions mode; names a channel only OpenClaw runs", async () => {
    const logs = await startLog({
      channels: {
        telegram: { enabled: false },
        discord: { interactions: { publicKey: "a".repeat(64) } },
        slack: { enabled: true },
        modelByChannel: { discord: { "*": "opus" } },
      },
    });
    expect(logs.filter((l) => l.includes("is configured but has no bot token"))).toEqual([]);
    expect(logs).toContain(
      "[warn] channels.slack is not started: this gateway runs Telegram and Discord only (the section is OpenClaw's).",
    );
    expect(logs.some((l) => l.includes("channels.modelByChannel is not started"))).toBe(false);
  });
});

describe("gateway start: a token from the environment is enough", () => {
  it("a Telegram section with TELEGRAM_BOT_TOKEN set gets no warning", () => {
    const config = { channels: { telegram: { enabled: true } } };
    expect(unstartedChannelWarnings(config, { TELEGRAM_BOT_TOKEN: "123:abc" }, "/state")).toEqual([]);
    expect(unstartedChannelWarnings(config, {}, "/state")).toHaveLength(1);
  });
});
