import type { CliIo } from "./io.js";
import { fail } from "./errors.js";

/** Largest secret we accept on stdin; anything bigger is not a pasted key. */
const MAX_STDIN = 64 * 1024;

/**
 * Removes every whitespace character, including line breaks inside the value: terminals and chat
 * apps often cut a long token at a line break when it is copied.
 */
export function normalizeSecret(text: string): string {
  return text.replace(/\s+/g, "");
}

/** Reads all of a piped stdin as text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    const buf = typeof chunk === "string" ? Buffer.from(chunk) : (chunk as Buffer);
    size += buf.length;
    if (size > MAX_STDIN) fail("secret_too_large", "stdin holds more than 64 KiB; expected a single key or token.");
    chunks.push(buf);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Gets a secret without it touching argv or shell history: all of stdin when it is piped, else a
 * hidden prompt (@clack/prompts `password`, loaded only here). Returns it with whitespace removed
 * and registers it for output redaction.
 */
export async function readSecret(io: CliIo, message: string): Promise<string> {
  let raw: string;
  if (!io.stdin.isTTY) {
    raw = await readAll(io.stdin);
  } else {
    const { password, isCancel } = await import("@clack/prompts");
    const answer = await password({
      message,
      input: io.stdin as NodeJS.ReadStream,
      output: io.promptOutput as NodeJS.WriteStream,
    });
    if (isCancel(answer)) fail("cancelled", "Cancelled; nothing was stored.");
    raw = answer;
  }
  const secret = normalizeSecret(raw);
  io.rememberSecrets([raw, raw.trim(), secret]);
  if (secret === "")
    fail("secret_empty", "No secret given; nothing was stored.", "Pipe it on stdin or paste it at the prompt.");
  return secret;
}
