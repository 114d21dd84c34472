/**
 * Turns whatever a provider call threw into one of a few failure kinds that decide what happens
 * next (cooldown, rotation, the reply). Works on both SDKs' errors by shape (status, headers, body),
 * so this module loads no SDK and its table-driven tests need no network.
 */
import { redactText } from "../auth/redact.js";
import type { RateLimits } from "../auth/quota.js";
import { readRateLimits, type HeaderSource } from "./rate-limits.js";

/** What kind of failure a call ended in. */
export type FailureKind =
  /**
   * 401/403: the credential is rejected; or it cannot even be sent (`invalid_header`: a line break
   * or other character a header cannot carry). Cools the profile (10 min, doubling).
   */
  | "auth"
  /** 429: too many requests for this credential and model. Cools the profile for that model. */
  | "rate_limit"
  /** 402 or a credit/billing message: the account cannot pay. Cools the profile. */
  | "billing"
  /** 529/5xx or no connection: the provider's trouble, not the credential's. No cooldown. */
  | "overloaded"
  /**
   * The provider's host does not resolve (`ENOTFOUND`): a wrong `baseUrl` (or no DNS), not an
   * outage. No cooldown, and no other credential is tried: they all go to the same host.
   */
  | "config"
  /** The SDK's timeout or an abort. No cooldown. */
  | "timeout"
  /** 400/404/422 or an unreadable response: the request or answer is wrong; retrying repeats it. */
  | "format"
  /** Anthropic's "only authorized for use with Claude Code": never usable for API requests. */
  | "incompatible"
  | "unknown";

/**
 * A classified failure. `detail` is safe to log and show: the provider's own structured message
 * (one line, redacted, at most {@link MAX_DETAIL} characters), or our fixed wording for failures
 * of the HTTP and SDK layers, whose messages may echo a request header (the credential) or a
 * response body and so never leave this module.
 */
export interface Classification {
  readonly kind: FailureKind;
  /**
   * Stable, finer code for logs, probes and tests: `unauthorized`, `forbidden`, `rate_limited`,
   * `billing`, `overloaded`, `server_error`, `timeout`, `aborted`, `connection_error`,
   * `invalid_request`, `not_found`, `malformed_response`, `claude_code_only`, `invalid_header`,
   * `host_not_found`, `unsupported_api`, `no_base_url`, `unknown`.
   */
  readonly reasonCode: string;
  /** HTTP status, when the provider answered. */
  readonly status?: number;
  /** From `retry-after-ms` / `retry-after` (seconds or HTTP date), for rate limits. */
  readonly retryAfterMs?: number;
  /** The rate-limit headers of the failed answer (a 429 says what is left and when it resets). */
  readonly rateLimits?: RateLimits;
  readonly detail: string;
}

/**
 * A failure found before or after the SDK call (no base URL, an API we do not speak). Thrown by
 * our own code so that it classifies like a provider error.
 */
export class ProviderRequestError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly reasonCode: string,
    message: string,
  ) {
    super(message);
    this.name = "ProviderRequestError";
  }
}

/** Anthropic's wording for a Claude Code-only credential (setup-token used outside Claude Code). */
const CLAUDE_CODE_ONLY = /only authorized for use with claude code/i;
const BILLING_TEXT =
  /credit balance|insufficient[_ ](credits?|balance|funds|quota)|billing|payment required|key limit exceeded|out of credits/i;
const USAGE_WINDOW_TEXT = /(hourly|daily|weekly|monthly) (usage )?limit|spend(ing)? limit|limit reached, resets/i;
const RATE_LIMIT_TEXT = /rate.?limit|too many (concurrent )?requests|throttl|resource.?exhausted/i;
const OVERLOADED_TEXT = /overloaded/i;
const MAX_RETRY_AFTER_MS = 24 * 60 * 60 * 1000;
/** Longest provider message kept as a detail. */
export const MAX_DETAIL = 200;
/** What undici and node:http say when a header value holds a line break or control character. */
const INVALID_HEADER_TEXT = /Headers\.(append|set)|invalid header value|invalid character in header/i;
/** A system error code (`ECONNREFUSED`): safe to show, unlike the message around it. */
const ERRNO_CODE = /^E[A-Z0-9_]{2,}$|^UND_ERR_[A-Z_]+$/;
/** A DNS name as getaddrinfo reports it; anything else is not shown. */
const HOST_NAME = /^[A-Za-z0-9.-]{1,253}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v !== "" ? v : undefined;
}

/** The names of an error's classes, most derived first (`APIConnectionTimeoutError`, `APIConnectionError`, ...). */
function classNames(err: object): string[] {
  const names: string[] = [];
  for (
    let p: unknown = Object.getPrototypeOf(err);
    isRecord(p) && p !== Object.prototype;
    p = Object.getPrototypeOf(p)
  ) {
    const ctor = p.constructor;
    if (typeof ctor === "function" && ctor.name) names.push(ctor.name);
  }
  return names;
}

function headersOf(err: Record<string, unknown>): HeaderSource | undefined {
  const h = err.headers;
  if (isRecord(h) && typeof h.get === "function") return h as unknown as HeaderSource;
  if (isRecord(h)) return { get: (name) => str(h[name]) ?? str(h[name.toLowerCase()]) ?? null };
  return undefined;
}

/**
 * Reads `retry-after-ms` (milliseconds) or `retry-after` (seconds, or an HTTP date relative to
 * `now`). Absent, unreadable or negative values give undefined; absurd ones are capped at 24 h.
 */
export function retryAfterMs(headers: HeaderSource | undefined, now: number): number | undefined {
  if (!headers) return undefined;
  const ms = headers.get("retry-after-ms");
  if (ms !== null && ms.trim() !== "") {
    const n = Number(ms);
    if (Number.isFinite(n) && n >= 0) return Math.min(Math.round(n), MAX_RETRY_AFTER_MS);
  }
  const ra = headers.get("retry-after");
  if (ra === null || ra.trim() === "") return undefined;
  const seconds = Number(ra);
  if (Number.isFinite(seconds))
    return seconds >= 0 ? Math.min(Math.round(seconds * 1000), MAX_RETRY_AFTER_MS) : undefined;
  const date = Date.parse(ra);
  if (Number.isNaN(date)) return undefined;
  return Math.min(Math.max(0, date - now), MAX_RETRY_AFTER_MS);
}

/**
 * The provider's own message from a structured error body, made safe. Without one (an HTML page
 * from a proxy, an empty body) the SDK's message would be the raw body: nothing is kept.
 */
function providerDetail(err: Record<string, unknown>): string {
  const body = isRecord(err.error) ? err.error : undefined;
  const inner = body && isRecord(body.error) ? body.error : body;
  const message = str(err.apiMessage) ?? str(inner?.message);
  return message !== undefined ? safeDetail(message) : "";
}

/** The provider's own message and error type/code, from either SDK's error shape. */
function bodyOf(err: Record<string, unknown>): { message: string; type?: string; code?: string } {
  // Anthropic: `error` is the whole body `{ type: "error", error: { type, message } }`, and the SDK
  // copies `apiMessage`/`type`. OpenAI: `error` is the body's `error` `{ message, type, code }`.
  const body = isRecord(err.error) ? err.error : undefined;
  const inner = body && isRecord(body.error) ? body.error : body;
  const message = str(err.apiMessage) ?? str(inner?.message) ?? str(err.message) ?? "";
  const type = str(err.type) ?? str(inner?.type);
  const code = str(err.code) ?? str(inner?.code) ?? str(err.errorCode);
  return { message, ...(type !== undefined ? { type } : {}), ...(code !== undefined ? { code } : {}) };
}

function byStatus(status: number, text: string, type: string | undefined): Pick<Classification, "kind" | "reasonCode"> {
  // A 402 is an empty wallet, unless it names a usage window: then a short rate-limit cooldown.
  if (status === 402)
    return USAGE_WINDOW_TEXT.test(text)
      ? { kind: "rate_limit", reasonCode: "usage_limit" }
      : { kind: "billing", reasonCode: "billing" };
  // Billing wording wins over the status: Anthropic says "credit balance is too low" with a 400,
  // OpenAI says `insufficient_quota` with a 429, OpenRouter "Key limit exceeded" with a 403.
  if (status < 500 && BILLING_TEXT.test(text)) return { kind: "billing", reasonCode: "billing" };
  if (status === 401) return { kind: "auth", reasonCode: "unauthorized" };
  if (status === 403) return { kind: "auth", reasonCode: "forbidden" };
  if (status === 429) return { kind: "rate_limit", reasonCode: "rate_limited" };
  if (status === 408 || status === 499 || status === 504 || status === 522 || status === 524)
    return { kind: "timeout", reasonCode: "timeout" };
  if (status === 529 || status === 503 || type === "overloaded_error")
    return { kind: "overloaded", reasonCode: "overloaded" };
  if (status >= 500) return { kind: "overloaded", reasonCode: "server_error" };
  if (status === 404) return { kind: "format", reasonCode: "not_found" };
  if (status === 400 || status === 413 || status === 422) return { kind: "format", reasonCode: "invalid_request" };
  return { kind: "unknown", reasonCode: "unknown" };
}

/** A provider's message as one redacted line of at most {@link MAX_DETAIL} characters. */
function safeDetail(text: string): string {
  const line = redactText(text.replace(/[\s\u0000-\u001f\u007f]+/g, " ").trim());
  return line.length > MAX_DETAIL ? `${line.slice(0, MAX_DETAIL - 1)}…` : line;
}

/** The first system error on an error's `cause` chain: its code (`ECONNREFUSED`) and, for a DNS failure, the host. */
function causeOf(err: Record<string, unknown>): { code: string; hostname?: string } | undefined {
  for (let e: unknown = err, depth = 0; isRecord(e) && depth < 5; e = e.cause, depth++) {
    const code = e.code;
    if (typeof code !== "string" || !ERRNO_CODE.test(code)) continue;
    const host = e.hostname;
    return typeof host === "string" && HOST_NAME.test(host) ? { code, hostname: host } : { code };
  }
  return undefined;
}

/** A host that did not resolve: the configuration is wrong, not the provider down. */
function hostNotFound(hostname: string | undefined): Classification {
  return {
    kind: "config",
    reasonCode: "host_not_found",
    detail: `its host ${hostname ?? "(unnamed)"} does not resolve (ENOTFOUND)`,
  };
}

/** A failure of the HTTP or SDK layer (no status): classified by class name and code, never by its text. */
function withoutStatus(err: Error, type: string | undefined, message: string): Classification {
  const names = [err.name, ...classNames(err)];
  const cause = causeOf(err as unknown as Record<string, unknown>);
  const code = cause?.code;
  if (names.some((n) => n === "APIConnectionTimeoutError" || n === "TimeoutError"))
    return { kind: "timeout", reasonCode: "timeout", detail: "no answer in time" };
  if (names.some((n) => n === "APIUserAbortError" || n === "AbortError"))
    return { kind: "timeout", reasonCode: "aborted", detail: "the call was cancelled" };
  // Checked on the whole cause chain: the SDKs wrap fetch's TypeError in a connection error.
  if (chainMatches(err, INVALID_HEADER_TEXT)) {
    return {
      kind: "auth",
      reasonCode: "invalid_header",
      detail: "the credential holds a line break or another character a request header cannot carry",
    };
  }
  if (code === "ENOTFOUND") return hostNotFound(cause?.hostname);
  if (names.includes("APIConnectionError"))
    return {
      kind: "overloaded",
      reasonCode: "connection_error",
      detail: code ? `no connection (${code})` : "no connection",
    };
  // A streamed error event or a wrapped error: the provider's type or wording decides.
  if (type === "rate_limit_error" || RATE_LIMIT_TEXT.test(message))
    return { kind: "rate_limit", reasonCode: "rate_limited", detail: safeDetail(message) };
  if (type === "overloaded_error" || OVERLOADED_TEXT.test(message))
    return { kind: "overloaded", reasonCode: "overloaded", detail: safeDetail(message) };
  if (type === "billing_error" || BILLING_TEXT.test(`${message} ${type ?? ""}`))
    return { kind: "billing", reasonCode: "billing", detail: safeDetail(message) };
  if (type === "authentication_error") return { kind: "auth", reasonCode: "unauthorized", detail: safeDetail(message) };
  if (type === "permission_error") return { kind: "auth", reasonCode: "forbidden", detail: safeDetail(message) };
  if (code) return { kind: "overloaded", reasonCode: "connection_error", detail: `no connection (${code})` };
  return { kind: "unknown", reasonCode: "unknown", detail: `an unexpected ${err.name}` };
}

/** Whether an error or any of its causes has a message matching `re`. */
function chainMatches(err: unknown, re: RegExp): boolean {
  for (let e: unknown = err, depth = 0; isRecord(e) && depth < 5; e = e.cause, depth++) {
    if (typeof e.message === "string" && re.test(e.message)) return true;
  }
  return false;
}

/** Classifies an error thrown by a provider call. `now` dates an HTTP-date `retry-after`. */
export function classifyError(err: unknown, now: number): Classification {
  if (!isRecord(err))
    return { kind: "unknown", reasonCode: "unknown", detail: `an unexpected ${typeof err} was thrown` };
  // Our own wording: it names a provider or an API, never a secret.
  if (err instanceof ProviderRequestError) return { kind: err.kind, reasonCode: err.reasonCode, detail: err.message };
  const { message, type, code } = bodyOf(err);
  const text = `${message} ${type ?? ""} ${code ?? ""}`;
  const status = typeof err.status === "number" ? err.status : undefined;
  const withStatus = status !== undefined ? { status } : {};

  if (CLAUDE_CODE_ONLY.test(message))
    return {
      kind: "incompatible",
      reasonCode: "claude_code_only",
      ...withStatus,
      detail: "only authorized for use with Claude Code",
    };
  // The SDKs let a malformed 200's JSON.parse failure escape as a bare SyntaxError, whose message
  // quotes the body.
  if (err instanceof SyntaxError || err.name === "SyntaxError")
    return { kind: "format", reasonCode: "malformed_response", detail: "the response could not be parsed" };
  if (status === undefined) {
    if (err instanceof Error) return withoutStatus(err, type, message);
    return { kind: "unknown", reasonCode: "unknown", detail: "an unexpected value was thrown" };
  }
  const verdict = byStatus(status, text, type);
  const headers = headersOf(err);
  const after = verdict.kind === "rate_limit" ? retryAfterMs(headers, now) : undefined;
  const detail = providerDetail(err);
  // Written out: spreading `verdict` and a conditional object was 80% of this function's time.
  const out: { -readonly [K in keyof Classification]: Classification[K] } =
    after !== undefined
      ? { kind: verdict.kind, reasonCode: verdict.reasonCode, status, retryAfterMs: after, detail }
      : { kind: verdict.kind, reasonCode: verdict.reasonCode, status, detail };
  const rateLimits = readRateLimits(headers, now);
  if (rateLimits) out.rateLimits = rateLimits;
  return out;
}
