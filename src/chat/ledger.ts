import { randomUUID } from "node:crypto";
import { redactText } from "../auth/redact.js";
import { errorMessage, type Log } from "../gateway/log.js";
import type { GatewayServices } from "../gateway/types.js";
import { estimateCostUsd, type TokenTally } from "../models/price.js";
import type { LedgerEntry, LedgerOutcome } from "../sessions/ledger.js";
import { backoffDelay, type Backoff } from "../util/backoff.js";
import type { Step } from "./pipeline.js";
import { cutOff, stoppedBy, type Attempt, type CallOutcome, type Turn, type TurnSpend } from "./turn.js";

/** The counts of a call whose provider reported none (counted unpriced: its cost is not known). */
const NO_TOKENS: TokenTally = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };

/** How long an entry waits to be written with the others of the moment. */
const FLUSH_MS = 200;
/** How often a ledger write is tried, and how long between tries. */
const WRITE_TRIES = 3;
const WRITE_BACKOFF: Backoff = { initialMs: 250, maxMs: 2_000 };

type FailedCall = Extract<CallOutcome, { ok: false }>;

/**
 * Whether a failed call reached the provider: it answered with an HTTP status, or its answer
 * (a stream, a body) had begun to arrive before it broke. A refused connection, an unknown host
 * or a request stopped before anything came back cost nothing we could count.
 */
function reachedProvider(out: FailedCall): boolean {
  return (
    out.failure.status !== undefined ||
    out.failure.reasonCode === "malformed_response" ||
    out.usage !== undefined ||
    out.partial !== ""
  );
}

/**
 * How the ledger counts a call, or undefined when it never reached the provider:
 * - `cut_off`: answered up to the token limit (`max_tokens`, `length`);
 * - `fallback`: a fallback model's complete answer, given because the configured model could not;
 * - `ok`: any other complete answer;
 * - `stopped`: ended by `/stop` or the gateway's shutdown after the provider began to answer;
 * - `failed`: the provider answered with an error, or its stream broke off.
 */
export function ledgerOutcome(turn: Turn, out: CallOutcome): LedgerOutcome | undefined {
  if (out.ok) {
    if (cutOff(out.result.stopReason)) return "cut_off";
    return turn.fallback ? "fallback" : "ok";
  }
  if (!reachedProvider(out)) return undefined;
  return stoppedBy(turn) ? "stopped" : "failed";
}

/**
 * A provider's error answer that came before any text and reported no usage (a 429, a 401): the
 * provider bills nothing for it, so a priced model's call costs $0 rather than an unknown amount.
 */
function answeredWithError(out: CallOutcome): boolean {
  return !out.ok && out.failure.status !== undefined && out.partial === "";
}

function addSpend(spend: TurnSpend, usage: TokenTally | undefined, costUsd: number | undefined): void {
  if (usage) {
    spend.input += usage.input;
    spend.output += usage.output;
    spend.cacheRead += usage.cacheRead;
    spend.cacheWrite += usage.cacheWrite;
    spend.reported += 1;
  }
  if (costUsd === undefined) spend.unpriced = true;
  else spend.costUsd += costUsd;
}

/**
 * Writes entries off the reply's path: they wait up to {@link FLUSH_MS} and are then written in
 * one go, so no turn waits for the store (the issue allows a crash to lose the last second's
 * turns). A failed write is tried again (the entry's id keeps a write that did land from counting
 * twice), then logged. After close() every entry is written at once, so the turns a shutdown cuts
 * short are still counted before the store closes.
 */
export class LedgerWriter {
  private queue: LedgerEntry[] = [];
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly services: GatewayServices,
    private readonly log: Log,
  ) {}

  /** Queues `entry` for the next flush; returns at once (a write never rejects: its failure is logged). */
  write(entry: LedgerEntry): void {
    this.queue.push(entry);
    if (this.closed) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  /**
   * Writes `entry` now and resolves once it is stored (or its failure logged): for a gateway with
   * budgets, whose next turn in this chat may start as soon as this reply is sent and must find
   * this call in the store it checks.
   */
  writeNow(entry: LedgerEntry): Promise<void> {
    return this.tryWrite(entry);
  }

  /** Starts writing every queued entry now. */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const entries = this.queue;
    this.queue = [];
    for (const entry of entries) void this.tryWrite(entry);
  }

  /** Writes what is queued, and every later entry at once (the gateway is shutting down). */
  close(): void {
    this.closed = true;
    this.flush();
  }

  private async tryWrite(entry: LedgerEntry): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.services.sessions.ledger.record(entry);
        return;
      } catch (err) {
        if (attempt >= WRITE_TRIES) {
          this.log(
            "error",
            redactText(
              `ledger session=${entry.sessionKey} model=${entry.model} credential=${entry.profileId} not recorded: ${errorMessage(err)}`,
            ),
          );
          return;
        }
        await new Promise((r) => setTimeout(r, backoffDelay(WRITE_BACKOFF, attempt - 1)).unref());
      }
    }
  }
}

/**
 * The ledger step, around the call: every call that reached a provider is counted once, with the
 * provider's own token counts (a stream's final count), the cost they come to at the model's price
 * (none when it has no price: unpriced, never free) and how it ended ({@link ledgerOutcome}). It
 * adds to the turn's spend (the footer's figures) and to the metrics, and, unless `recording()`
 * says the ledger is off, writes an entry through `writer`.
 */
export function ledgerStep(
  services: GatewayServices,
  writer: LedgerWriter,
  recording: () => boolean,
): Step<Attempt, CallOutcome> {
  return async (attempt, next) => {
    const out = await next(attempt);
    const { turn, candidate } = attempt;
    const outcome = ledgerOutcome(turn, out);
    if (outcome === undefined) return out;
    const usage = out.ok ? out.result.usage : out.usage;
    const price = turn.model.model?.cost;
    const costUsd = usage ? estimateCostUsd(price, usage) : price && answeredWithError(out) ? 0 : undefined;
    const tokens = usage ?? NO_TOKENS;
    addSpend(turn.spend, usage, costUsd);
    services.observer?.modelUsage(
      { provider: turn.provider.id, model: turn.model.ref, profile: candidate.id },
      tokens,
      costUsd,
    );
    if (!recording()) return out;
    const entry: LedgerEntry = {
      id: randomUUID(),
      at: services.clock(),
      channel: turn.ctx.invocation.channel,
      sessionKey: turn.ctx.sessionKey,
      agentId: turn.ctx.agentId,
      provider: turn.provider.id,
      model: turn.model.ref,
      profileId: candidate.id,
      tokens,
      costUsd,
      outcome,
    };
    if (services.config().config.budgets !== undefined) await writer.writeNow(entry);
    else writer.write(entry);
    return out;
  };
}
