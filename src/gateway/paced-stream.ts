import type { Choice, Reply, ReplyStream } from "./types.js";

/** How a channel puts a growing answer on screen; {@link PacedStream} decides when. */
export interface StreamRenderer {
  /**
   * Shows the answer so far (or, with `final`, the whole answer) in place of what was shown, with
   * `actions` under it while it grows. Never called twice at once.
   */
  show(text: string, actions: readonly Choice[] | undefined, final: boolean): Promise<void>;
  /** Sends a whole reply the usual way (a notice, or an answer that was never shown growing). */
  send(reply: Reply): Promise<void>;
}

/** When a growing answer is shown. Defaults follow Telegram's and Discord's edit limits. */
export interface PacingOptions {
  /** The first text goes out once it has this many characters... (default 30) */
  readonly firstChars?: number;
  /** ...or once this long has passed since its first piece, in ms (default 1000). */
  readonly firstAfterMs?: number;
  /** At most one change per chat in this many ms (default 1000). */
  readonly intervalMs?: number;
}

/**
 * Remembers when each chat last had a change shown, so streams in one chat (a topic, a second
 * message) share the chat's pace.
 */
export class ChatPacer {
  private readonly last = new Map<string, number>();

  constructor(readonly intervalMs: number) {}

  /** Milliseconds until `chat` may change again. */
  wait(chat: string): number {
    const at = this.last.get(chat);
    return at === undefined ? 0 : Math.max(0, at + this.intervalMs - performance.now());
  }

  /** Records a change shown in `chat` now. */
  mark(chat: string): void {
    const now = performance.now();
    this.last.delete(chat);
    this.last.set(chat, now);
    // Oldest first (insertion order): drop chats quiet for longer than the interval.
    for (const [key, at] of this.last) {
      if (at + this.intervalMs > now) break;
      this.last.delete(key);
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A {@link ReplyStream} that shows an answer as it grows without exceeding a channel's pace: the
 * first text once it is long enough or old enough, then at most one change per chat per interval,
 * each showing the newest text (texts in between are skipped). `finish` waits for the pace too,
 * so the final edit is never the one that trips a rate limit. A renderer failure is reported to
 * `onError` and the stream goes on; the final text is still attempted.
 */
export class PacedStream implements ReplyStream {
  private latest: { text: string; actions: readonly Choice[] | undefined } | undefined;
  private shown: string | undefined;
  private firstAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private due = 0;
  private flushing: Promise<void> = Promise.resolve();
  private busy = false;
  private finished = false;
  private readonly firstChars: number;
  private readonly firstAfterMs: number;

  constructor(
    private readonly renderer: StreamRenderer,
    private readonly pacer: ChatPacer,
    private readonly chat: string,
    private readonly onError: (err: unknown) => void,
    opts: PacingOptions = {},
  ) {
    this.firstChars = opts.firstChars ?? 30;
    this.firstAfterMs = opts.firstAfterMs ?? 1000;
  }

  send(reply: Reply): Promise<void> {
    return this.renderer.send(reply);
  }

  update(textSoFar: string, actions?: readonly Choice[]): void {
    if (this.finished || textSoFar.trim() === "") return;
    this.latest = { text: textSoFar, actions };
    this.firstAt ??= performance.now();
    this.schedule();
  }

  async finish(reply: Reply): Promise<void> {
    this.finished = true;
    clearTimeout(this.timer);
    await this.flushing;
    if (this.shown === undefined) return this.renderer.send(reply);
    await sleep(this.pacer.wait(this.chat));
    try {
      await this.renderer.show(reply.text, undefined, true);
    } finally {
      this.pacer.mark(this.chat);
    }
  }

  private schedule(): void {
    if (this.busy || this.latest === undefined || this.latest.text === this.shown) return;
    const now = performance.now();
    let due: number;
    if (this.shown === undefined) {
      due = this.latest.text.length >= this.firstChars ? now : (this.firstAt ?? now) + this.firstAfterMs;
    } else {
      due = now + this.pacer.wait(this.chat);
    }
    // A first text that just grew long enough goes out now, not when the wait for it ends.
    if (this.timer !== undefined) {
      if (due >= this.due) return;
      clearTimeout(this.timer);
    }
    this.due = due;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.flushing = this.flush();
      },
      Math.max(0, due - now),
    );
  }

  private async flush(): Promise<void> {
    const next = this.latest;
    if (this.finished || next === undefined || next.text === this.shown) return;
    this.busy = true;
    try {
      await this.renderer.show(next.text, next.actions, false);
    } catch (err) {
      this.onError(err);
    } finally {
      // Counted from when the channel answered: the next change cannot reach it sooner than the pace.
      this.pacer.mark(this.chat);
      this.shown = next.text;
      this.busy = false;
    }
    this.schedule();
  }
}
