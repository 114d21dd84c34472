import { PassThrough } from "node:stream";
import { runGateway } from "../../src/app/run.js";

/** A gateway running inside the test process, listening on its HTTP port. */
export interface InProcessGateway {
  /** Every line it logged so far, as `[level] message`. */
  readonly logs: string[];
  /** Stops it and waits until it has stopped. */
  stop(): Promise<void>;
}

/**
 * Runs `openclaw gateway` in-process over the state directory `dir` (which is HOME too) with no
 * console input, and resolves once its HTTP server listens: for tests about what start-up does,
 * without a process start.
 */
export async function startInProcessGateway(dir: string, env: Record<string, string> = {}): Promise<InProcessGateway> {
  const logs: string[] = [];
  let stop!: () => void;
  let listening!: () => void;
  const started = new Promise<void>((resolve) => (listening = resolve));
  const done = runGateway({
    processEnv: { OPENCLAW_STATE_DIR: dir, HOME: dir, ...env },
    cwd: dir,
    input: new PassThrough(),
    output: new PassThrough(),
    log: (level, message) => void logs.push(`[${level}] ${message}`),
    stopSignal: new Promise<void>((resolve) => (stop = resolve)),
    onListening: () => listening(),
  });
  await Promise.race([started, done]);
  return {
    logs,
    stop: async () => {
      stop();
      await done;
    },
  };
}
