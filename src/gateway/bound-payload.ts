import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sessionStateDir } from "../config/paths.js";
import { ensurePrivateDir, readIfExists } from "../util/secure-fs.js";

/** What became of a pressed button's data. */
export type UnboundPayload =
  | { readonly kind: "ok"; readonly payload: string }
  | { readonly kind: "foreign"; readonly openerId: string }
  | { readonly kind: "invalid" };

function mac(secret: string, chatId: string, openerId: string, payload: string): string {
  return crypto
    .createHmac("sha256", secret)
    .update(`${chatId}\n${openerId}\n${payload}`)
    .digest("base64url")
    .slice(0, 8);
}

/**
 * Binds a plugin's choice payload to the chat and the user who opened the picker:
 * `<openerId base36>.<mac>.<payload>`, where the mac (HMAC-SHA256, 48 bits) is keyed by a secret
 * every instance shares (derived from the bot token), so forged or edited data is rejected and a
 * press by someone else is recognised as such. Telegram callback data is at most 64 bytes: with the
 * host's longest payload (40 bytes, plugin name included) and a 52-bit user id this is 61.
 */
export function bindPayload(secret: string, chatId: string, openerId: string, payload: string): string {
  const opener = /^\d+$/.test(openerId) ? BigInt(openerId).toString(36) : openerId;
  return `${opener}.${mac(secret, chatId, openerId, payload)}.${payload}`;
}

/** Checks data built by {@link bindPayload} against the chat and the presser. Untrusted input in, never throws. */
export function unbindPayload(secret: string, chatId: string, presserId: string, data: string): UnboundPayload {
  const first = data.indexOf(".");
  const second = data.indexOf(".", first + 1);
  if (first <= 0 || second < 0) return { kind: "invalid" };
  const openerRaw = data.slice(0, first);
  let openerId: string;
  try {
    openerId = /^[0-9a-z]+$/.test(openerRaw) && /^\d+$/.test(presserId) ? parseBase36(openerRaw) : openerRaw;
  } catch {
    return { kind: "invalid" };
  }
  const payload = data.slice(second + 1);
  const expected = mac(secret, chatId, openerId, payload);
  const given = data.slice(first + 1, second);
  const valid = given.length === expected.length && crypto.timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  if (!valid) return { kind: "invalid" };
  if (openerId !== presserId) return { kind: "foreign", openerId };
  return { kind: "ok", payload };
}

function parseBase36(s: string): string {
  let n = 0n;
  for (const ch of s) n = n * 36n + BigInt(parseInt(ch, 36));
  return n.toString();
}

/** A stable per-bot secret for {@link bindPayload}: every instance with the same token derives the same one. */
export function payloadSecretFromToken(token: string): string {
  return crypto.createHash("sha256").update(`openclaw-choice:${token}`).digest("base64url");
}

/**
 * A per-installation secret for {@link bindPayload} when no bot token exists to derive one from
 * (Discord HTTP interactions without a token): 32 random bytes in `<state>/state/choice-secret`,
 * 0600, created once and shared by every instance that shares the state directory.
 */
export function payloadSecretFromState(stateDir: string): string {
  const dir = sessionStateDir(stateDir);
  const file = path.join(dir, "choice-secret");
  const existing = readIfExists(file)?.trim();
  if (existing) return existing;
  ensurePrivateDir(dir);
  // Written whole to a temp file, then hard-linked into place: the link fails if another instance
  // got there first, and nobody ever reads a half-written secret.
  const tmp = `${file}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`;
  fs.writeFileSync(tmp, crypto.randomBytes(32).toString("base64url"), { mode: 0o600, flag: "wx" });
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  return (readIfExists(file) ?? "").trim();
}
