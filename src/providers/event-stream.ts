import { ProviderRequestError } from "./classify.js";

/** How {@link readEvents} watches a provider's event stream. */
export interface EventStreamOptions {
  /** Gives up when no event arrives for this long (the SDKs time out only until the headers). */
  readonly idleMs: number;
  /** The caller's abort (a `/stop`, a shutdown). */
  readonly signal?: AbortSignal;
}

/**
 * Opens a provider's event stream with an abort signal of its own and hands each event to
 * `onEvent`. A stream that stays silent for `idleMs` fails as a timeout; a stream the caller
 * aborted fails as `aborted`, even where the SDK ends its iterator quietly on an abort, so a
 * stopped answer is never taken for a complete one.
 */
export async function readEvents<T>(
  open: (signal: AbortSignal) => Promise<AsyncIterable<T>>,
  opts: EventStreamOptions,
  onEvent: (event: T) => void,
): Promise<void> {
  const local = new AbortController();
  const abort = () => local.abort();
  if (opts.signal?.aborted) abort();
  opts.signal?.addEventListener("abort", abort, { once: true });
  let idle = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      idle = true;
      local.abort();
    }, opts.idleMs);
  };
  try {
    arm();
    const events = await open(local.signal);
    for await (const event of events) {
      arm();
      onEvent(event);
    }
  } catch (err) {
    if (!idle && !opts.signal?.aborted) throw err;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener("abort", abort);
  }
  if (idle) throw new ProviderRequestError("timeout", "timeout", "no answer in time");
  if (opts.signal?.aborted) throw new ProviderRequestError("timeout", "aborted", "the call was cancelled");
}

/**
 * A stream that ended without its closing event (`message_stop`, a `finish_reason`): a dropped
 * connection, or a proxy that answered with something else than events. Never taken as a
 * complete answer.
 */
export function truncatedStream(): ProviderRequestError {
  return new ProviderRequestError("format", "malformed_response", "the stream ended before the answer was complete");
}
