import { PassThrough, Readable } from "node:stream";
import { createIo } from "../../src/cli/io.js";
import { runCli } from "../../src/cli/program.js";
import type { Clock } from "../../src/util/clock.js";

/** What one in-process CLI run printed and how it exited. */
export interface InProcessResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function collect(stream: PassThrough): () => string {
  let text = "";
  stream.setEncoding("utf8").on("data", (d: string) => (text += d));
  return () => text;
}

/**
 * Runs `openclaw <args>` inside the test process, with piped (non-TTY) stdin: the same code as the
 * binary without a process start, for tests that are about behaviour, not about the process.
 */
export async function runInProcess(
  args: readonly string[],
  opts: { env: NodeJS.ProcessEnv; cwd: string; input?: string; clock?: Clock },
): Promise<InProcessResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const io = createIo({
    env: opts.env,
    cwd: opts.cwd,
    stdin: () => Readable.from([opts.input ?? ""]),
    stdout,
    stderr,
    promptOutput: () => stderr,
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const code = await runCli(args, io);
  return { code, stdout: out(), stderr: err() };
}
