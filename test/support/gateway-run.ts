import { PassThrough } from "node:stream";
import { runGateway } from "../../src/app/run.js";
import type { RetryPolicy } from "../../src/gateway/channel-supervisor.js";
import { writeStateDir } from "./state.js";
import { eventually } from "../sessions/child.js";

/** A setup-token stored in every state dir {@link startGateway} writes; it expires in 5 h. */
export const TOKEN = `sk-ant-oat01-${"Q".repeat(84)}Fq1x`;

/** An in-process gateway on a random port. */
export interface Running {
  readonly stateDir: string;
  readonly port: number;
  readonly base: string;
  readonly logs: string[];
  readonly input: PassThrough;
  readonly output: PassThrough;
  stop(): Promise<void>;
}

const running: Running[] = [];
const fakes: { close(): Promise<void> }[] = [];

/** Registers a fake (a channel's far end) to close after the gateways in {@link stopGateways}. */
export function closeAfter<T extends { close(): Promise<void> }>(fake: T): T {
  fakes.push(fake);
  return fake;
}

/** Stops every gateway {@link startGateway} started, then closes the fakes they talked to. */
export async function stopGateways(): Promise<void> {
  for (const r of running.splice(0)) await r.stop();
  for (const f of fakes.splice(0)) await f.close();
}

/**
 * Runs the gateway in-process on a random port until `stop`, over a fresh state dir holding
 * `config` and {@link TOKEN} (or over `shared.stateDir`, as a second instance). Channel retries
 * are fast (20 ms, at most 40 ms) unless `shared.retry` says otherwise.
 */
export async function startGateway(
  config: object,
  env: Record<string, string> = {},
  shared?: { stateDir?: string; retry?: RetryPolicy },
): Promise<Running> {
  const stateDir =
    shared?.stateDir ??
    writeStateDir({
      prefix: "openclaw-obs-",
      config,
      authProfiles: {
        version: 1,
        profiles: {
          "anthropic:work": { type: "token", provider: "anthropic", token: TOKEN, expires: Date.now() + 5 * 3_600_000 },
        },
      },
    });
  const logs: string[] = [];
  const input = new PassThrough();
  const output = new PassThrough();
  let stop!: () => void;
  const stopSignal = new Promise<void>((resolve) => (stop = resolve));
  let listening!: (port: number) => void;
  const port = new Promise<number>((resolve) => (listening = resolve));
  const done = runGateway({
    processEnv: { OPENCLAW_STATE_DIR: stateDir, ...env },
    cwd: stateDir,
    input,
    output,
    log: (level, message) => void logs.push(`[${level}] ${message}`),
    stopSignal,
    retry: shared?.retry ?? { initialMs: 20, maxMs: 40 },
    onListening: listening,
  });
  const bound = await Promise.race([
    port,
    done.then(() => Promise.reject(new Error(`gateway ended: ${logs.join("\n")}`))),
  ]);
  const r: Running = {
    stateDir,
    port: bound,
    base: `http://127.0.0.1:${bound}`,
    logs,
    input,
    output,
    stop: async () => {
      stop();
      input.end();
      await done;
    },
  };
  running.push(r);
  return r;
}

/** Sends one console line and resolves with what the console printed until `expected` matched it. */
export async function consoleLine(r: Running, line: string, expected: RegExp, waitMs = 20_000): Promise<string> {
  let seen = "";
  const onData = (chunk: Buffer) => void (seen += chunk.toString("utf8"));
  r.output.on("data", onData);
  r.input.write(`${line}\n`);
  await eventually(() => expected.test(seen), waitMs, `a reply to ${line}`);
  r.output.off("data", onData);
  return seen;
}
