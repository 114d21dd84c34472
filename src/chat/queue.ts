/**
 * One turn at a time per session, so history stays in order when messages arrive together. A turn
 * that fails does not hold up the next; a session leaves the queue once its last turn has ended.
 */
export class SessionQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` after every turn of `key` queued before it; settles as `fn` does. */
  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.tails.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return run;
  }

  /** Sessions with a turn queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
