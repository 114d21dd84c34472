import readline from "node:readline";
import type { PluginHost } from "../../gateway/host.js";
import type { Reply, ReplyStream } from "../../gateway/types.js";
import { parseCommandText } from "../../gateway/command-text.js";
import { redactSecretShapes } from "../../util/mask.js";
import { streamingMode } from "../../gateway/streaming-mode.js";
import { ConsoleStream } from "./stream.js";
import { completeConsoleLine } from "./complete.js";
import { CONSOLE_CAPABILITIES, consoleInvocation } from "./invocation.js";

export { CONSOLE_CAPABILITIES, consoleInvocation } from "./invocation.js";

function render(reply: Reply): string {
  return reply.text;
}

/**
 * Handles one console line: a known command goes to its plugin, anything else (plain text or an
 * unknown `/word`) to the model path. Returns what to print, or, given a `stream`, writes every
 * reply through it and returns nothing.
 */
export async function handleConsoleLine(host: PluginHost, line: string, stream?: ReplyStream): Promise<string[]> {
  const text = line.trim();
  if (text === "") return [];
  const parsed = parseCommandText(text);
  if (parsed) {
    const reply = await host.handleCommand(consoleInvocation(parsed.command, parsed.args), CONSOLE_CAPABILITIES);
    if (reply && stream) await stream.send(reply);
    if (reply) return stream ? [] : [render(reply)];
  }
  return (await host.handleMessage(consoleInvocation(), text, CONSOLE_CAPABILITIES, stream)).map(render);
}

/**
 * Reads lines from `input` and writes replies to `output`, one line at a time and in order, so a
 * piped script (`printf '/model list\n' | openclaw gateway`) gets every reply before EOF ends it.
 * It starts with a line naming the state dir in use. Each answer ends with a blank line; when
 * input is piped (no terminal showed what was typed) the line answered comes first, as `> line`,
 * so a transcript reads as question and answer. Answers appear as they are written (piece by piece
 * on a terminal, whole lines when piped) unless `channels.console.streaming` is `off`. Lines run
 * one after another, except commands that interrupt (`/stop`), which run as soon as they are
 * read. On a terminal, Tab completes command names and declared options that complete.
 * `signal` ends reading early (SIGINT/SIGTERM).
 */
export async function runConsole(
  host: PluginHost,
  input: NodeJS.ReadableStream & { readonly isTTY?: boolean; setRawMode?: (mode: boolean) => unknown },
  output: NodeJS.WritableStream & { readonly isTTY?: boolean },
  signal?: AbortSignal,
): Promise<void> {
  const echo = input.isTTY !== true;
  output.write(`Console chat · state dir ${host.services.stateDir} · /help lists the commands; end with Ctrl-D\n\n`);
  // On a terminal readline can switch to raw mode, it draws the line being typed (the terminal no
  // longer echoes it) and Tab completes it; otherwise lines are read as they come.
  const rl = readline.createInterface(
    input.isTTY === true && typeof input.setRawMode === "function"
      ? { input, output, terminal: true, completer: (line: string) => completeConsoleLine(host, line) }
      : { input, terminal: false, crlfDelay: Infinity },
  );
  // A terminal in readline's raw mode sends Ctrl-C here, not as a signal: pass it on as one.
  rl.on("SIGINT", () => process.kill(process.pid, "SIGINT"));
  // On shutdown stop reading; the line in progress still finishes and is answered.
  signal?.addEventListener("abort", () => rl.close(), { once: true });
  const answer = async (line: string): Promise<void> => {
    // The echo is masked like every reply: a key pasted into the console is not printed back.
    const head = echo ? `> ${redactSecretShapes(line.trim())}\n` : "";
    if (streamingMode(host.services.config().config, "console") === "partial") {
      await handleConsoleLine(host, line, new ConsoleStream(output, output.isTTY === true, head));
      return;
    }
    const replies = await handleConsoleLine(host, line);
    if (replies.length === 0) return;
    output.write(`${head}${replies.map((r) => r.replace(/\n+$/, "")).join("\n\n")}\n\n`);
  };
  let queue = Promise.resolve();
  const interrupting: Promise<void>[] = [];
  for await (const line of rl) {
    const command = parseCommandText(line.trim())?.command;
    if (command !== undefined && host.interrupts(command)) interrupting.push(answer(line));
    else queue = queue.then(() => answer(line));
  }
  await Promise.all([queue, ...interrupting]);
}
