import crypto from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maskSecret } from "../../src/util/mask.js";
import { normaliseSecret, PIECE, SecretRedactor, secretPieces } from "../../src/auth/redact.js";

const CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const random = (n: number) => Array.from(crypto.randomBytes(n), (b) => CHARS[b % CHARS.length]).join("");

/** The pieces of `secret` found in `text` (those past its public prefix `sk-ant-api03-`). */
function piecesIn(text: string, secret: string): string[] {
  return secretPieces(secret).filter((piece) => text.includes(piece));
}

describe("SecretRedactor", () => {
  const key = `sk-ant-api03-${random(90)}`;
  // No shape a pattern would know: only registration can find it.
  const opaque = random(40);
  const r = new SecretRedactor();
  r.register([key, opaque, "short", undefined, ""]);

  it("masks a whole unregistered key as one, even when its first characters begin a registered key too", () => {
    // Two keys whose random part starts alike share the pieces that overlap `sk-ant-api03-`.
    const registered = `sk-ant-api03-Xf${random(88)}`;
    const other = `sk-ant-api03-Xf${random(88)}`;
    const own = new SecretRedactor();
    own.register([registered]);
    expect(own.redact(`Unknown provider "${other}".`)).toBe(`Unknown provider "${maskSecret(other)}".`);
  });

  it("masks a secret registered after the same text was redacted, and one no longer after clear()", () => {
    const own = new SecretRedactor();
    const late = random(40);
    const text = `Pinned profile: work, password ${late}`;
    expect(own.redact(text)).toBe(text);
    expect(own.redact(text)).toBe(text);
    own.register([late]);
    expect(own.redact(text)).toBe(`Pinned profile: work, password ${maskSecret(late)}`);
    own.clear();
    expect(own.redact(text)).toBe(text);
  });

  it("masks a whole registered key as usual", () => {
    expect(r.redact(`invalid x-api-key ${key}.`)).toBe(`invalid x-api-key ${maskSecret(key)}.`);
    expect(r.redact(`token=${opaque}`)).toBe(`token=${maskSecret(opaque)}`);
  });

  it.each([
    ["a line break", "\n"],
    ["CRLF", "\r\n"],
    ["spaces and a tab", "  \t"],
    ["quotes", `"'`],
    ["JSON escapes", "\\r\\n"],
    ["a JSON-escaped quote", '\\"'],
    ["a unicode escape", "\\u000a"],
  ])("masks a key split by %s as the whole key", (_name, split) => {
    for (const secret of [key, opaque]) {
      const at = 17;
      const text = `detail="Headers.append: \\"Bearer ${secret.slice(0, at)}${split}${secret.slice(at)}\\" is an invalid header value."`;
      const out = r.redact(text);
      expect(piecesIn(out, secret)).toEqual([]);
      expect(out).toContain(maskSecret(secret));
      expect(out).toMatch(/^detail="Headers\.append: \\"Bearer .* is an invalid header value\."$/);
    }
  });

  it("masks a piece after a backslash, which would read as an escape with the piece's first character", () => {
    // `sk-ant-api03-…`: the piece from index 4 starts with n (`\n`), from index 5 with t (`\t`).
    for (const start of [4, 5]) {
      const piece = key.slice(start, start + PIECE);
      expect(piecesIn(r.redact(`\\${piece}\\`), key)).toEqual([]);
      expect(piecesIn(r.redact(`C:\\Users\\${piece}`), key)).toEqual([]);
    }
  });

  it("leaves our own hint about a key's prefix alone when a registered key's secret part starts like the next word", () => {
    const own = new SecretRedactor();
    // Three characters as the hint has them, then one it does not: only a piece of four or more counts.
    own.register([`sk-ant-api03-andQ${random(86)}`]);
    const hint = "Anthropic API keys start with sk-ant-api03- and are about 108 characters long.";
    expect(own.redact(hint)).toBe(hint);
  });

  it("masks any 12-character piece of a key, alone or inside other text", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: key.length - PIECE }),
        fc.integer({ min: PIECE, max: 40 }),
        fc.string({ maxLength: 20 }),
        (start, len, around) => {
          const piece = key.slice(start, start + len);
          const out = r.redact(`${around}${piece}${around}`);
          expect(piecesIn(out, key)).toEqual([]);
        },
      ),
    );
  });

  it("registers a key in its normalised form, whatever it was read with", () => {
    const wrapped = new SecretRedactor();
    const secret = `sk-ant-oat01-${random(80)}`;
    wrapped.register([`  ${secret.slice(0, 40)}\r\n${secret.slice(40)}\n`]);
    expect(wrapped.size).toBe(1);
    expect(wrapped.redact(`token ${secret} refused`)).toBe(`token ${maskSecret(secret)} refused`);
    expect(normaliseSecret(`"${secret.slice(0, 5)}\\n${secret.slice(5)}"`)).toBe(secret);
  });

  it("registers the items of a key list, so another key's public prefix stays readable", () => {
    const list = new SecretRedactor();
    const [a, b] = [`sk-ant-api03-${random(60)}`, `sk-ant-api03-${random(60)}`];
    list.register([`${a},${b}`]);
    expect(list.size).toBe(2);
    expect(list.redact(`${b} and sk-ant-api03-Fdkz`)).toBe(`${maskSecret(b)} and sk-ant-api03-Fdkz`);
  });

  it("masks a secret echoed URL-encoded, as encodeURIComponent and as a form body write it", () => {
    const own = new SecretRedactor();
    // Base64 and a few more characters that both encodings escape, or only the form encoding.
    const secret = `Zq/8+Wm2=Lr5${random(12)}!Tx9~Vb3(Nc7)/Hd1+Kf6==`;
    own.register([secret]);
    expect(own.size).toBe(1);
    const encoded = encodeURIComponent(secret);
    const formEncoded = new URLSearchParams({ s: secret }).toString().slice(2);
    expect(new Set([secret, encoded, formEncoded]).size).toBe(3);
    for (const echoed of [encoded, formEncoded]) {
      expect(own.redact(`invalid_client: client_secret=${echoed}&grant_type=refresh_token`)).toBe(
        `invalid_client: client_secret=${maskSecret(secret)}&grant_type=refresh_token`,
      );
      expect(own.redact(`{"error":"bad token ${echoed.slice(0, 20)}\n${echoed.slice(20)}"}`)).not.toContain(
        echoed.slice(14, 26),
      );
    }
  });

  it("masks any 12-character piece of a URL-encoded secret, alone or inside other text", () => {
    const alphabet = [..."ABCxyz0189/+=!~()*_-. "];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { minLength: 24, maxLength: 60 }).map((cs) => cs.join("").trim()),
        fc.integer({ min: 0, max: 200 }),
        fc.string({ maxLength: 20 }),
        (secret, at, around) => {
          fc.pre(secret.length >= 24);
          const own = new SecretRedactor();
          own.register([secret]);
          for (const form of [encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)]) {
            const start = at % (form.length - PIECE + 1);
            const out = own.redact(`${around}${form.slice(start, start + PIECE)}${around}`);
            expect(out).not.toContain(form.slice(start, start + PIECE));
            expect(own.redact(`${around}${form}${around}`)).not.toContain(form.slice(start, start + PIECE));
          }
        },
      ),
    );
  });

  it("leaves ordinary text, masks, short values and the public start of keys alone", () => {
    const text = `anthropic:key (${maskSecret(key)}) rejected the credential (401); short stays short; model anthropic/claude-opus-5-5; keys start with sk-ant-api03-`;
    expect(r.redact(text)).toBe(text);
  });
});
