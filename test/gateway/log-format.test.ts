import { describe, expect, it } from "vitest";
import { formattedLog, logSettings, splitComponent } from "../../src/gateway/log-format.js";

const KEY = `sk-ant-api03-${"k".repeat(80)}AbCd`;
const at = () => Date.UTC(2026, 10, 29, 5, 0, 0);

function capture(format: "text" | "json", level: "debug" | "info" | "warn" | "error") {
  const lines: string[] = [];
  return { lines, log: formattedLog((l) => void lines.push(l), { format, level }, at) };
}

describe("gateway log lines", () => {
  it("text: time, level and component on every line, one line per event", () => {
    const { lines, log } = capture("text", "info");
    log("warn", "telegram: could not connect (attempt 1): refused; retrying in 2s");
    log("info", "chat session=agent:main:main provider=anthropic status=ok");
    log("error", "something\nspanning lines");
    expect(lines).toEqual([
      "2026-11-29T05:00:00.000Z warn  telegram: could not connect (attempt 1): refused; retrying in 2s",
      "2026-11-29T05:00:00.000Z info  chat: session=agent:main:main provider=anthropic status=ok",
      "2026-11-29T05:00:00.000Z error gateway: something spanning lines",
    ]);
  });

  it("json: one object per line with time, level, component and msg", () => {
    const { lines, log } = capture("json", "info");
    log("info", "discord: connected to the gateway as bot");
    expect(lines.map((l) => JSON.parse(l) as unknown)).toEqual([
      { time: "2026-11-29T05:00:00.000Z", level: "info", component: "discord", msg: "connected to the gateway as bot" },
    ]);
  });

  it("drops lines below the level and never prints a key whole", () => {
    const { lines, log } = capture("text", "warn");
    log("info", "quiet");
    log("error", `chat: provider said no to ${KEY}`);
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(KEY);
  });

  it("reads flags before OPENCLAW_LOG_LEVEL and refuses unknown values", () => {
    expect(logSettings({}, {})).toEqual({ format: "text", level: "info" });
    expect(logSettings({}, { OPENCLAW_LOG_LEVEL: "WARN" })).toEqual({ format: "text", level: "warn" });
    expect(logSettings({ logLevel: "error", logFormat: "json" }, { OPENCLAW_LOG_LEVEL: "debug" })).toEqual({
      format: "json",
      level: "error",
    });
    expect(() => logSettings({ logFormat: "xml" }, {})).toThrow(/--log-format expects text or json/);
    expect(() => logSettings({}, { OPENCLAW_LOG_LEVEL: "loud" })).toThrow(
      /OPENCLAW_LOG_LEVEL expects one of debug, info, warn, error/,
    );
  });

  it("takes the component from the message's first word", () => {
    expect(splitComponent("openclaw gateway 0.1.0; state /x")).toEqual({
      component: "gateway",
      text: "openclaw gateway 0.1.0; state /x",
    });
  });
});
