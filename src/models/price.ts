/** The four token buckets a provider bills, named as OpenClaw's `cost` and usage fields name them. */
export type TokenKind = "input" | "output" | "cacheRead" | "cacheWrite";

/** Every {@link TokenKind}, in the order footers and metrics list them. */
export const TOKEN_KINDS: readonly TokenKind[] = ["input", "output", "cacheRead", "cacheWrite"];

/**
 * A model's price in USD per million tokens of each kind (OpenClaw's
 * `models.providers.<p>.models[].cost`). `input` is uncached input only: cache reads and writes
 * have their own rates.
 */
export type ModelCost = Readonly<Record<TokenKind, number>>;

/** Token counts by kind, as a provider reported them for one call. */
export type TokenTally = Readonly<Record<TokenKind, number>>;

/** A user's `cost` as written: each figure optional (OpenClaw's schema). */
export type CostInput = { readonly [K in TokenKind]?: number | undefined };

/**
 * The price a model ends up with: the built-in one with the user's figures on top, field by
 * field (OpenClaw's rule: omitted fields inherit the catalog's). A user's `cost` for a model the
 * catalog has no price for prices the missing kinds at 0: the user set a price and left them out.
 * Undefined when neither gives a figure, so the model stays unpriced, never free.
 */
export function mergeCost(builtin: ModelCost | undefined, user: CostInput | undefined): ModelCost | undefined {
  if (!user || TOKEN_KINDS.every((k) => user[k] === undefined)) return builtin;
  return {
    input: user.input ?? builtin?.input ?? 0,
    output: user.output ?? builtin?.output ?? 0,
    cacheRead: user.cacheRead ?? builtin?.cacheRead ?? 0,
    cacheWrite: user.cacheWrite ?? builtin?.cacheWrite ?? 0,
  };
}

/**
 * The estimated cost in USD of one call's tokens at a model's price; undefined when the model has
 * no price (the call is counted as unpriced, never as free).
 */
export function estimateCostUsd(cost: ModelCost | undefined, tokens: TokenTally): number | undefined {
  if (!cost) return undefined;
  return (
    (tokens.input * cost.input +
      tokens.output * cost.output +
      tokens.cacheRead * cost.cacheRead +
      tokens.cacheWrite * cost.cacheWrite) /
    1_000_000
  );
}
