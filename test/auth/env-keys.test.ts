import { describe, expect, it } from "vitest";
import { envCredentials, envKeyNotes } from "../../src/auth/env-keys.js";
import { buildCatalog } from "../../src/models/catalog.js";

const catalog = buildCatalog({});
function provider(id: string) {
  const p = catalog.providers.get(id);
  if (!p) throw new Error(`no ${id} in the built-in catalog`);
  return p;
}
const KEY = "sk-ant-api03-Zq8Wm2Lr5Tx9Vb3Nc7Hd1Kf6Jg4Ps0YeAbCdEfGhIjKlMnOp";

describe("env key variables, as OpenClaw reads them", () => {
  it.each([
    ["a line break", `${KEY.slice(0, 30)}\n${KEY.slice(30)}`],
    ["CRLF", `${KEY.slice(0, 30)}\r\n${KEY.slice(30)}`],
    ["surrounding whitespace", `  ${KEY}\n`],
    ["spaces inside", `${KEY.slice(0, 30)}  ${KEY.slice(30)}`],
  ])("joins and trims a single-key variable with %s, and says so by name", (_name, value) => {
    const env = { ANTHROPIC_API_KEY: value };
    expect(envCredentials(provider("anthropic"), env).map((c) => [c.id, c.secret])).toEqual([
      ["env:ANTHROPIC_API_KEY", KEY],
    ]);
    expect(envKeyNotes(provider("anthropic"), env)).toEqual([{ variable: "ANTHROPIC_API_KEY", note: "reformatted" }]);
  });

  it("reads a clean key without a note", () => {
    expect(envKeyNotes(provider("anthropic"), { ANTHROPIC_API_KEY: KEY })).toEqual([]);
  });

  it.each(["undefined", "null", "", "  ", "NULL"])("skips %j beside a key list, and notes it", (value) => {
    const env = {
      OPENAI_API_KEY: value,
      OPENAI_API_KEYS: "sk-one-aaaaaaaaaaaaaaaaaaaaaaaa,sk-two-bbbbbbbbbbbbbbbbbbbbbbbb",
    };
    const creds = envCredentials(provider("openai"), env);
    expect(creds.map((c) => c.id)).toEqual(["env:OPENAI_API_KEYS[1]", "env:OPENAI_API_KEYS[2]"]);
    expect(envKeyNotes(provider("openai"), env)).toEqual([{ variable: "OPENAI_API_KEY", note: "not_a_credential" }]);
  });

  it("skips placeholders inside a key list and in numbered variables", () => {
    const env = { OPENAI_API_KEYS: "undefined,sk-one-aaaaaaaaaaaaaaaaaaaaaaaa", OPENAI_API_KEY_2: "null" };
    expect(envCredentials(provider("openai"), env).map((c) => c.secret)).toEqual(["sk-one-aaaaaaaaaaaaaaaaaaaaaaaa"]);
    expect(envKeyNotes(provider("openai"), env).map((n) => n.variable)).toEqual([
      "OPENAI_API_KEYS",
      "OPENAI_API_KEY_2",
    ]);
  });
});
