import { redactText, registerSecrets } from "../auth/redact.js";
import { systemClock, type Clock } from "../util/clock.js";
import { fdSink, type TextSink } from "./fd-sink.js";

/** The input stream a command reads pasted secrets from. */
export type CliInput = NodeJS.ReadableStream & { readonly isTTY?: boolean };

/**
 * Everything a command touches outside its arguments: environment, working directory, streams and
 * time. Commands never reach for `process` themselves, so the same code runs as the real binary
 * and in-process under a test.
 */
export interface CliIo {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdin: CliInput;
  /** The stream interactive prompts draw on; stderr, so stdout stays clean for pipes. */
  readonly promptOutput: NodeJS.WritableStream;
  readonly clock: Clock;
  /** Writes one or more lines to stdout. Known secrets are masked on the way out. */
  out(text: string): void;
  /** Writes one or more lines to stderr. Known secrets are masked on the way out. */
  err(text: string): void;
  /**
   * Registers secrets this process has seen (stored profiles, env keys, a pasted token) with the
   * process-wide redactor, so that no output line and no error can carry one or a piece of one,
   * whatever code path produced it.
   */
  rememberSecrets(secrets: Iterable<string>): void;
  /** Masks every registered secret (and anything shaped like a key) in `text`. */
  redact(text: string): string;
}

/** Builds a {@link CliIo} over explicit streams; `processIo` is the one the binary uses. */
export function createIo(opts: {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Called on first use: creating `process.stdin` costs start-up time most commands never need. */
  stdin: () => CliInput;
  stdout: TextSink;
  stderr: TextSink;
  /** Called on first use, like `stdin`: the stream prompts draw on. */
  promptOutput: () => NodeJS.WritableStream;
  clock?: Clock;
}): CliIo {
  const redact = redactText;
  const line = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);
  let stdin: CliInput | undefined;
  let promptOutput: NodeJS.WritableStream | undefined;
  return {
    env: opts.env,
    cwd: opts.cwd,
    get stdin() {
      stdin ??= opts.stdin();
      return stdin;
    },
    get promptOutput() {
      promptOutput ??= opts.promptOutput();
      return promptOutput;
    },
    clock: opts.clock ?? systemClock,
    out: (text) => void opts.stdout.write(line(redact(text))),
    err: (text) => void opts.stderr.write(line(redact(text))),
    rememberSecrets: registerSecrets,
    redact,
  };
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return createIo({
    env: process.env,
    cwd: process.cwd(),
    stdin: () => process.stdin,
    stdout: fdSink(1, () => process.stdout),
    stderr: fdSink(2, () => process.stderr),
    promptOutput: () => process.stderr,
  });
}
