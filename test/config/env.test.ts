import { describe, expect, it } from "vitest";
import { parseEnvFile } from "../../src/config/env.js";

const KEY = "sk-ant-api03-Zq8Wm2Lr5Tx9Vb3Nc7Hd1Kf6Jg4Ps0YeAbCdEfGhIjKlMnOp";

describe("parseEnvFile", () => {
  it("gives a single-key variable back the lines a paste wrapped it onto", () => {
    const text = `ANTHROPIC_API_KEY=${KEY.slice(0, 30)}\n${KEY.slice(30, 50)}\r\n${KEY.slice(50)}\nOTHER=x\n`;
    expect(parseEnvFile(text)).toEqual({
      ANTHROPIC_API_KEY: `${KEY.slice(0, 30)}\n${KEY.slice(30, 50)}\n${KEY.slice(50)}`,
      OTHER: "x",
    });
  });

  it("keeps a quoted multi-line value as dotenv reads it", () => {
    expect(parseEnvFile(`OPENAI_API_KEY="${KEY.slice(0, 30)}\n${KEY.slice(30)}"\n`)).toEqual({
      OPENAI_API_KEY: `${KEY.slice(0, 30)}\n${KEY.slice(30)}`,
    });
  });

  it("joins nothing onto settings, key lists, comments or after a blank line", () => {
    const text = `LOG_LEVEL=info\nstray\nANTHROPIC_API_KEYS=a,b\nc\nTELEGRAM_BOT_TOKEN=123\n\nloose\n# ANTHROPIC_API_KEY=x\ntail\n`;
    expect(parseEnvFile(text)).toEqual({ LOG_LEVEL: "info", ANTHROPIC_API_KEYS: "a,b", TELEGRAM_BOT_TOKEN: "123" });
  });
});
