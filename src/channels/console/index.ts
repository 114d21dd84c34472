import readline from "node:readline";
import type { PluginHost } from "../../gateway/host.js";
import type { ChannelCapabilities, CommandInvocation, Reply } from "../../gateway/types.js";
import { parseCommandText } from "../../gateway/command-text.js";
import { redactSecretShapes } from "../../util/mask.js";

/** The console is a private chat with its operator: no buttons, Telegram-sized messages. */
export const CONSOLE_CAPABILITIES: ChannelCapabilities = { maxLength: 4096, buttons: false, ephemeral: false };

const SENDER = { id: "local", displayName: "console" };

function render(reply: Reply): string {
  return reply.text;
}

/**
 * Handles one console line: a known command goes to its plugin, anything else (plain text or an
 * unknown `/word`) to the model path. Returns what to print.
 */
export async function handleConsoleLine(host: PluginHost, line: string): Promise<string[]> {
  const text = line.trim();
  if (text === "") return [];
  const base = { channel: "console", chatId: "local", sender: SENDER, isGroup: false } as const;
  const parsed = parseCommandText(text);
  if (parsed) {
    const inv: CommandInvocation = { ...base, command: parsed.command, args: parsed.args, via: "text" };
    const reply = await host.handleCommand(inv, CONSOLE_CAPABILITIES);
    if (reply) return [render(reply)];
  }
  const inv: CommandInvocation = { ...base, command: "", args: "", via: "text" };
  return (await host.handleMessage(inv, text, CONSOLE_CAPABILITIES)).map(render);
}

/**
 * Reads lines from `input` and writes replies to `output`, one line at a time and in order, so a
 * piped script (`printf '/model list\n' | openclaw gateway`) gets every reply before EOF ends it.
 * It starts with a line naming the state dir in use. Each answer ends with a blank line; when
 * input is piped (no terminal showed what was typed) the line answered comes first, as `> line`,
 * so a transcript reads as question and answer. `signal` ends reading early (SIGINT/SIGTERM).
 */
export async function runConsole(
  host: PluginHost,
  input: NodeJS.ReadableStream & { readonly isTTY?: boolean },
  output: NodeJS.WritableStream,
  signal?: AbortSignal,
): Promise<void> {
  const echo = input.isTTY !== true;
  output.write(`Console chat · state dir ${host.services.stateDir} · /help lists the commands; end with Ctrl-D\n\n`);
  const rl = readline.createInterface({ input, terminal: false, crlfDelay: Infinity });
  // On shutdown stop reading; the line in progress still finishes and is answered.
  signal?.addEventListener("abort", () => rl.close(), { once: true });
  for await (const line of rl) {
    const replies = await handleConsoleLine(host, line);
    if (replies.length === 0) continue;
    const body = replies.map((r) => r.replace(/\n+$/, "")).join("\n\n");
    // The echo is masked like every reply: a key pasted into the console is not printed back.
    output.write(`${echo ? `> ${redactSecretShapes(line.trim())}\n` : ""}${body}\n\n`);
  }
}
