import type { RunningChannel } from "./channel.js";
import { errorMessage, type Log } from "./log.js";
import type { Readiness } from "./readiness.js";
import { backoffDelay, type Backoff } from "../util/backoff.js";
import { UserFacingError, userErrorLine } from "../util/user-error.js";

/** Back-off between attempts to start a channel that cannot connect (default: 2 s, doubling, 5 min at most). */
export type RetryPolicy = Backoff;

/** The production back-off. */
export const DEFAULT_RETRY: RetryPolicy = { initialMs: 2000, maxMs: 5 * 60_000 };

/** A channel being kept up. */
export interface SupervisedChannel {
  readonly name: string;
  /** Stops retrying, aborts an attempt in progress, then stops the channel if it started. */
  stop(): Promise<void>;
}

function failureText(err: unknown): string {
  if (err instanceof UserFacingError) return userErrorLine(err.detail);
  return errorMessage(err);
}

function duration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

/**
 * Starts a channel in the background and retries with a doubling back-off while it cannot connect
 * (an unreachable Telegram, a Discord outage), logging each retry as a warning with its wait and
 * reporting the channel `down` to {@link Readiness} meanwhile. The gateway and its HTTP server stay
 * up, so `/healthz` answers and `/readyz` says what is wrong.
 */
export function superviseChannel(opts: {
  readonly name: string;
  readonly mode: string;
  /** One attempt to connect; `signal` aborts it when the gateway stops meanwhile. */
  readonly start: (signal: AbortSignal) => Promise<RunningChannel>;
  readonly readiness: Readiness;
  readonly log: Log;
  readonly retry?: RetryPolicy;
}): SupervisedChannel {
  const { name, mode, readiness, log } = opts;
  const retry = opts.retry ?? DEFAULT_RETRY;
  let stopping = false;
  const abort = new AbortController();
  let wake: (() => void) | undefined;
  readiness.set({ name, mode, state: "connecting" });
  const attempts = (async (): Promise<RunningChannel | undefined> => {
    for (let attempt = 1; !stopping; attempt++) {
      try {
        const channel = await opts.start(abort.signal);
        readiness.set({ name, mode, state: "connected" });
        return channel;
      } catch (err) {
        const detail = failureText(err);
        readiness.set({ name, mode, state: "down", detail });
        if (stopping) return undefined;
        const wait = backoffDelay(retry, attempt - 1);
        log(
          "warn",
          `${name}: could not connect (attempt ${attempt}): ${detail.replace(/\.$/, "")}; retrying in ${duration(wait)}`,
        );
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, wait);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    }
    return undefined;
  })();
  return {
    name,
    async stop() {
      stopping = true;
      abort.abort();
      wake?.();
      const channel = await attempts;
      await channel?.stop();
    },
  };
}
