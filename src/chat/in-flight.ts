import type { Step } from "./pipeline.js";
import { SHUTDOWN_NOTE, STOPPED_NOTE } from "./stop.js";
import { said, stoppedBy, type Turn, type TurnOutcome, type TurnReply } from "./turn.js";

/**
 * The turns in flight: `/stop` aborts the one of a session, close() every one (a shutdown does not
 * wait out a slow provider).
 */
export class InFlight {
  private readonly shutdown = new AbortController();
  private readonly running = new Map<string, AbortController>();

  /** Aborted by close(); every turn's calls listen to it. */
  get signal(): AbortSignal {
    return this.shutdown.signal;
  }

  /** The step that registers a turn for `/stop` while the steps after it run. */
  readonly step: Step<Turn, TurnOutcome> = async (turn, next) => {
    const key = turn.ctx.sessionKey;
    this.running.set(key, turn.stop);
    try {
      return await next(turn);
    } finally {
      if (this.running.get(key) === turn.stop) this.running.delete(key);
    }
  };

  /** Aborts the turn in flight in a session. False when there was none (or it was stopped already). */
  stop(sessionKey: string): boolean {
    const stop = this.running.get(sessionKey);
    if (!stop || stop.signal.aborted) return false;
    stop.abort();
    return true;
  }

  /** Aborts every turn's calls, now and later. */
  close(): void {
    this.shutdown.abort();
  }
}

/**
 * The reply of a call that failed because its turn was stopped: what was written stays, with a
 * note; undefined when the turn was not stopped. The credential did nothing wrong.
 */
export function stoppedReply(turn: Turn, partial: string): TurnReply | undefined {
  switch (stoppedBy(turn)) {
    case "shutdown":
      return said(partial === "" ? SHUTDOWN_NOTE : `${partial}\n\n${SHUTDOWN_NOTE}`);
    case "stop":
      return said(partial === "" ? STOPPED_NOTE.trim() : `${partial}${STOPPED_NOTE}`);
    case undefined:
      return undefined;
  }
}
