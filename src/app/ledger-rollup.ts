import { errorMessage, type Log } from "../gateway/log.js";
import type { UsageLedger } from "../sessions/ledger.js";
import { DAY_MS, utcDay } from "../util/utc-period.js";
import type { Clock } from "../util/clock.js";

/** `usage.retainDays` when the config does not set it. */
export const DEFAULT_RETAIN_DAYS = 90;

/** Options of {@link scheduleRollUp}. */
export interface RollUpOptions {
  readonly ledger: UsageLedger;
  /** Days of raw entries kept (`usage.retainDays`), read at every run so a config edit applies at the next. */
  readonly retainDays: () => number;
  readonly clock: Clock;
  readonly log: Log;
  /** How often the clock is looked at for a new UTC day, in ms (default one hour). */
  readonly checkEveryMs?: number;
}

/** A running schedule. */
export interface RollUpSchedule {
  /** Stops the schedule and waits for a roll-up in progress, so the store can close after it. */
  stop(): Promise<void>;
}

/**
 * Rolls the ledger's old raw entries up now and then once per UTC day of `clock` (looked at every
 * `checkEveryMs`, so a clock that jumps ahead is followed). Every gateway instance runs it; a
 * second roll-up of the same days folds nothing. A failure (the store unreachable) is logged and
 * tried again at the next check.
 */
export function scheduleRollUp(opts: RollUpOptions): RollUpSchedule {
  let doneFor: string | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;
  const check = () => {
    const now = opts.clock();
    const today = utcDay(now);
    if (running || stopped || today === doneFor) return;
    const days = opts.retainDays();
    running = opts.ledger
      .rollUp(now - days * DAY_MS)
      .then((folded) => {
        doneFor = today;
        const what = folded === 1 ? "1 entry" : `${folded} entries`;
        if (folded > 0) opts.log("info", `usage ledger: ${what} older than ${days} days rolled up by day`);
      })
      .catch((err: unknown) =>
        opts.log("warn", `usage ledger roll-up failed (tried again later): ${errorMessage(err)}`),
      )
      .finally(() => {
        running = undefined;
      });
  };
  check();
  const timer = setInterval(check, opts.checkEveryMs ?? 3_600_000);
  timer.unref();
  return {
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
