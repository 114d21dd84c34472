import * as z from "zod/mini";
import "../util/zod-messages.js";

/** One limit window as a provider reported it; a field it did not send (or sent garbled) is absent. */
const quotaWindowSchema = z.readonly(
  z.object({
    limit: z.optional(z.number()),
    remaining: z.optional(z.number()),
    /** Epoch ms when the window is replenished. */
    resetAt: z.optional(z.number()),
  }),
);

/** The kinds of limit the providers report, in the order status views show them. */
export const QUOTA_KINDS = ["requests", "tokens", "inputTokens", "outputTokens"] as const;
/** A kind of limit: requests, all tokens, input tokens, output tokens (per minute, per day: the provider's window). */
export type QuotaKind = (typeof QUOTA_KINDS)[number];

/**
 * A provider's rate-limit headers of one call, provider-neutral. The one definition: the provider
 * clients produce it, the session store keeps it (validated with this schema).
 */
export const rateLimitsSchema = z.readonly(
  z.object({
    requests: z.optional(quotaWindowSchema),
    tokens: z.optional(quotaWindowSchema),
    inputTokens: z.optional(quotaWindowSchema),
    outputTokens: z.optional(quotaWindowSchema),
  }),
);

/** The latest rate limits a profile reported for one model (its limits are per model). */
export const quotaEntrySchema = z.readonly(
  z.object({
    /** The model ref the call was for; absent when the caller named none. */
    model: z.optional(z.string()),
    /** Epoch ms of the call that reported it. */
    at: z.number(),
    limits: rateLimitsSchema,
  }),
);

/** One limit window as a provider reported it. */
export type QuotaWindow = z.infer<typeof quotaWindowSchema>;
/** A provider's rate-limit headers of one call, provider-neutral. */
export type RateLimits = z.infer<typeof rateLimitsSchema>;
/** The latest rate limits a profile reported for one model. */
export type QuotaEntry = z.infer<typeof quotaEntrySchema>;

/** Models remembered per profile at most; the oldest report goes first. */
const MAX_ENTRIES = 16;

/** Why a profile is out of quota: the kind at zero that resets last, and when. */
export interface QuotaExhaustion {
  readonly kind: QuotaKind;
  readonly limit?: number | undefined;
  /** Epoch ms when every exhausted window has been replenished. */
  readonly until: number;
}

/**
 * The newest report in `quotas` that applies to `model`: the one for that model; with no model
 * (a status view of a provider no model was asked for), the newest of all.
 */
export function quotaFor(quotas: readonly QuotaEntry[] | undefined, model: string | undefined): QuotaEntry | undefined {
  if (!quotas || quotas.length === 0) return undefined;
  if (model === undefined) return quotas[quotas.length - 1];
  return quotas.find((q) => q.model === model);
}

/**
 * Whether a report says the profile has no requests or tokens left before a reset still to come.
 * A window at zero without a reset time says nothing about when it comes back, so it does not
 * count: the provider's own 429 (and its cooldown) decides then.
 */
export function quotaExhaustion(entry: QuotaEntry | undefined, now: number): QuotaExhaustion | undefined {
  if (!entry) return undefined;
  let found: QuotaExhaustion | undefined;
  for (const kind of QUOTA_KINDS) {
    const w = entry.limits[kind];
    if (w?.remaining === undefined || w.remaining > 0 || w.resetAt === undefined || w.resetAt <= now) continue;
    if (!found || w.resetAt > found.until) found = { kind, limit: w.limit, until: w.resetAt };
  }
  return found;
}

/**
 * The quotas after a call reported `limits` for `model`: that model's entry replaced (moved last,
 * as the newest), entries whose every window has reset dropped (what they said is over), at most
 * {@link MAX_ENTRIES} kept.
 */
export function applyRateLimits(
  quotas: readonly QuotaEntry[] | undefined,
  model: string | undefined,
  limits: RateLimits,
  now: number,
): QuotaEntry[] {
  const live = (quotas ?? []).filter((q) => q.model !== model && !allReset(q, now));
  const entry: QuotaEntry = model === undefined ? { at: now, limits } : { model, at: now, limits };
  return [...live, entry].slice(-MAX_ENTRIES);
}

function allReset(q: QuotaEntry, now: number): boolean {
  return QUOTA_KINDS.every((k) => (q.limits[k]?.resetAt ?? 0) <= now);
}

const KIND_WORDS: Record<QuotaKind, string> = {
  requests: "requests",
  tokens: "tokens",
  inputTokens: "input tokens",
  outputTokens: "output tokens",
};

/** A kind of limit in words: `requests`, `input tokens`. */
export function quotaKindText(kind: QuotaKind): string {
  return KIND_WORDS[kind];
}

/**
 * A reset time as people read it in a chat: `14:05 UTC` today, `Dec 8 14:05 UTC` another day
 * (UTC, as every reset and budget period of the gateway).
 */
export function resetTimeText(at: number, now: number): string {
  const d = new Date(at);
  const time = `${String(d.getUTCHours()).padStart(2, "0")}:${String(d.getUTCMinutes()).padStart(2, "0")} UTC`;
  if (d.toISOString().slice(0, 10) === new Date(now).toISOString().slice(0, 10)) return time;
  return `${d.toLocaleString("en-US", { month: "short", timeZone: "UTC" })} ${d.getUTCDate()} ${time}`;
}

/**
 * What a report says is left, for status views: `quota 0/50 requests until 14:05 UTC, 31000/40000
 * tokens until 14:04 UTC`. Windows already reset are left out (their numbers are over); undefined
 * when nothing current is left to say.
 */
export function quotaText(entry: QuotaEntry | undefined, now: number): string | undefined {
  if (!entry) return undefined;
  const parts: string[] = [];
  for (const kind of QUOTA_KINDS) {
    const w = entry.limits[kind];
    if (w?.remaining === undefined || w.resetAt === undefined || w.resetAt <= now) continue;
    const of = w.limit !== undefined ? `${w.remaining}/${w.limit}` : `${w.remaining}`;
    parts.push(`${of} ${KIND_WORDS[kind]} until ${resetTimeText(w.resetAt, now)}`);
  }
  return parts.length > 0 ? `quota ${parts.join(", ")}` : undefined;
}
