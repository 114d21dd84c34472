/**
 * Reads the rate-limit headers both API families send with every answer, a 429 included, into one
 * provider-neutral snapshot (auth/quota.ts keeps it per profile and decides what it means).
 *
 * - Anthropic: `anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,reset}`,
 *   the reset an RFC 3339 time.
 * - OpenAI-compatible: `x-ratelimit-{limit,remaining,reset}-{requests,tokens}`, the reset a
 *   duration from now (`6m0s`, `1s`, `20ms`, `1h2m3.5s`).
 *
 * A value that does not read as its format (a negative count, as some proxies send for "unknown",
 * a date without a zone) is left out rather than guessed at.
 */
import type { QuotaKind, QuotaWindow, RateLimits } from "../auth/quota.js";
import type { Clock } from "../util/clock.js";

/** Response headers as both SDKs expose them (fetch's `Headers`). */
export interface HeaderSource {
  get(name: string): string | null;
}

/** The header word of each kind, per family (OpenAI-compatible servers report no input/output split). */
const ANTHROPIC_KINDS: ReadonlyArray<readonly [QuotaKind, string]> = [
  ["requests", "requests"],
  ["tokens", "tokens"],
  ["inputTokens", "input-tokens"],
  ["outputTokens", "output-tokens"],
];
const OPENAI_KINDS: ReadonlyArray<readonly [QuotaKind, string]> = [
  ["requests", "requests"],
  ["tokens", "tokens"],
];

const COUNT = /^\d{1,15}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
// Go writes microseconds with the micro sign (\u00b5); the CLI bundle must stay ASCII, hence the escape.
const DURATION_PART = /(\d+(?:\.\d+)?)(h|ms|m|s|us|\u00b5s|ns)/y;
const UNIT_MS: Record<string, number> = {
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
  "\u00b5s": 0.001,
  ns: 0.000_001,
};

function count(value: string | null): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  return COUNT.test(v) ? Number(v) : undefined;
}

/** An RFC 3339 time as epoch ms. */
function rfc3339(value: string | null): number | undefined {
  if (value === null) return undefined;
  const v = value.trim();
  if (!RFC3339.test(v)) return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/** A Go-style duration (`1h2m3.5s`, `20ms`; a bare number is seconds) in ms. */
export function durationMs(value: string): number | undefined {
  const v = value.trim();
  if (v === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(v)) return Number(v) * 1000;
  let total = 0;
  DURATION_PART.lastIndex = 0;
  while (DURATION_PART.lastIndex < v.length) {
    const m = DURATION_PART.exec(v);
    const unit = m?.[2];
    if (!m || unit === undefined) return undefined;
    total += Number(m[1]) * (UNIT_MS[unit] ?? 0);
  }
  return Number.isFinite(total) ? Math.round(total) : undefined;
}

function window(
  limit: number | undefined,
  remaining: number | undefined,
  resetAt: number | undefined,
): QuotaWindow | undefined {
  if (limit === undefined && remaining === undefined && resetAt === undefined) return undefined;
  return {
    ...(limit !== undefined ? { limit } : {}),
    ...(remaining !== undefined ? { remaining } : {}),
    ...(resetAt !== undefined ? { resetAt } : {}),
  };
}

/**
 * The rate limits in a response's headers, or undefined when it carries none (a proxy that strips
 * them, a server without limits). `now` (the injected clock) dates the OpenAI-style durations.
 */
export function readRateLimits(headers: HeaderSource | undefined, now: number): RateLimits | undefined {
  if (!headers) return undefined;
  const out: { -readonly [K in QuotaKind]?: QuotaWindow } = {};
  let any = false;
  for (const [kind, word] of ANTHROPIC_KINDS) {
    const w = window(
      count(headers.get(`anthropic-ratelimit-${word}-limit`)),
      count(headers.get(`anthropic-ratelimit-${word}-remaining`)),
      rfc3339(headers.get(`anthropic-ratelimit-${word}-reset`)),
    );
    if (w) {
      out[kind] = w;
      any = true;
    }
  }
  if (any) return out;
  for (const [kind, word] of OPENAI_KINDS) {
    const reset = headers.get(`x-ratelimit-reset-${word}`);
    const after = reset === null ? undefined : durationMs(reset);
    const w = window(
      count(headers.get(`x-ratelimit-limit-${word}`)),
      count(headers.get(`x-ratelimit-remaining-${word}`)),
      after === undefined ? undefined : now + after,
    );
    if (w) {
      out[kind] = w;
      any = true;
    }
  }
  return any ? out : undefined;
}

/** An SDK call (`APIPromise`) whose HTTP response can be had with its result. */
interface WithResponse<T> {
  withResponse(): Promise<{ data: T; response: { headers: HeaderSource } }>;
}

/**
 * Awaits an SDK call with its response headers and hands their rate limits to `keep` as they
 * arrive (for a stream: before its first event), dated by `clock`. Returns the call's result.
 */
export async function withRateLimits<T>(
  call: WithResponse<T>,
  clock: Clock,
  keep: (rateLimits: RateLimits | undefined) => void,
): Promise<T> {
  const { data, response } = await call.withResponse();
  keep(readRateLimits(response.headers, clock()));
  return data;
}

/** `{ rateLimits }` when there are any, to spread into a result. */
export function rateLimitsField(rateLimits: RateLimits | undefined): { rateLimits?: RateLimits } {
  return rateLimits ? { rateLimits } : {};
}
