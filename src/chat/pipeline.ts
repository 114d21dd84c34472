/**
 * One step of a chat turn. It does its part around the steps after it, which `next` runs, as a
 * grammY middleware does around `next()`. `next` takes the context, so a step may hand on a changed
 * one (the history step adds the prompt) or run the rest more than once (the fallback step, once
 * per fallback model).
 */
export type Step<C, R> = (context: C, next: (context: C) => Promise<R>) => Promise<R>;

/**
 * The steps in order, outermost first, ending in `last`. Composed once when the responder is
 * built, so a turn allocates no chain of its own.
 */
export function pipeline<C, R>(
  steps: readonly Step<C, R>[],
  last: (context: C) => Promise<R>,
): (context: C) => Promise<R> {
  return steps.reduceRight<(context: C) => Promise<R>>((next, step) => (context) => step(context, next), last);
}
