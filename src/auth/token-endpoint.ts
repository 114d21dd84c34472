import type { OAuthEndpoint } from "./oauth-endpoints.js";

/** New tokens from a refresh; `refresh` is undefined when the provider kept the old one. */
export interface RefreshedTokens {
  readonly access: string;
  readonly refresh: string | undefined;
  /** Epoch ms. */
  readonly expires: number;
}

/**
 * Why a refresh failed. `invalid_grant`: the refresh token is dead (revoked, expired, already
 * spent), only a new login helps. `rejected`: another refusal (e.g. `invalid_client`), fixed in the
 * config, as is `redirected` (a 3xx, never followed: it would re-post the refresh token elsewhere).
 * `timeout`, `unavailable` (network, 5xx, 429) and `bad_response` are transient.
 */
export type RefreshFailureKind =
  | "invalid_grant"
  | "rejected"
  | "redirected"
  | "timeout"
  | "unavailable"
  | "bad_response";

/** The outcome of one `refresh_token` grant. Details never contain a token. */
export type GrantResult =
  | ({ readonly ok: true } & RefreshedTokens)
  | { readonly ok: false; readonly kind: RefreshFailureKind; readonly detail: string };

/** Error codes that mean the refresh token itself is no good (RFC 6749 and what providers send). */
const DEAD_TOKEN = new Set([
  "invalid_grant",
  "invalid_refresh_token",
  "refresh_token_expired",
  "refresh_token_reused",
  "refresh_token_invalidated",
]);
const MAX_BODY_BYTES = 1024 * 1024;

interface ErrorBody {
  error?: unknown;
  error_description?: unknown;
}

/** `error` of an OAuth error body, also in the `{ error: { type|code, message } }` shape some providers use. */
/** The OAuth error code and description of an error answer, in either of the shapes providers use. */
export function errorCode(body: ErrorBody | undefined): { code: string | undefined; description: string | undefined } {
  const e = body?.error;
  if (typeof e === "string")
    return { code: e, description: typeof body?.error_description === "string" ? body.error_description : undefined };
  if (typeof e === "object" && e !== null) {
    const o = e as { type?: unknown; code?: unknown; message?: unknown };
    const code = typeof o.code === "string" ? o.code : typeof o.type === "string" ? o.type : undefined;
    return { code, description: typeof o.message === "string" ? o.message : undefined };
  }
  return { code: undefined, description: undefined };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The endpoint without its query: enough for people to recognise it, and nothing that may be a credential. */
function endpointName(tokenUrl: string): string {
  const url = new URL(tokenUrl);
  return `${url.origin}${url.pathname}`;
}

/**
 * Sends one OAuth 2 `refresh_token` grant to `endpoint` and classifies the answer. Never throws
 * for an HTTP or network failure; the caller decides what a failure means for the profile. A
 * redirect is a failure: following a 307 or 308 would post the refresh token to another address.
 */
export function refreshGrant(
  endpoint: OAuthEndpoint,
  refreshToken: string,
  opts: { readonly timeoutMs: number; readonly now: () => number },
): Promise<GrantResult> {
  return tokenGrant(endpoint, { grant_type: "refresh_token", refresh_token: refreshToken }, opts);
}

/** The answer of {@link postForJson}: the status and the body read as JSON, or why there is none. */
export type JsonAnswer =
  | { readonly ok: true; readonly status: number; readonly body: Record<string, unknown> | undefined }
  | {
      readonly ok: false;
      readonly kind: "redirected" | "timeout" | "unavailable" | "bad_response";
      readonly detail: string;
    };

/**
 * One POST of `fields` (JSON, or form encoded) to an OAuth endpoint, its answer read as JSON: at most
 * {@link MAX_BODY_BYTES}, within `timeoutMs`, and no redirect followed (one would carry the fields,
 * a token among them, to another address). `what` names the endpoint in the details. Never throws.
 */
export async function postForJson(
  url: string,
  fields: Readonly<Record<string, string>>,
  opts: {
    readonly json: boolean;
    readonly timeoutMs: number;
    readonly what: string;
    readonly headers?: Record<string, string>;
  },
): Promise<JsonAnswer> {
  let status: number;
  let text: string;
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": opts.json ? "application/json" : "application/x-www-form-urlencoded",
        accept: "application/json",
        ...opts.headers,
      },
      body: opts.json ? JSON.stringify(fields) : new URLSearchParams(fields).toString(),
      signal: AbortSignal.timeout(opts.timeoutMs),
      redirect: "manual",
    });
    status = res.status;
    if (status >= 300 && status < 400) {
      await res.body?.cancel();
      return {
        ok: false,
        kind: "redirected",
        detail: `${opts.what} ${endpointName(url)} answered HTTP ${status} (a redirect, which is not followed)`,
      };
    }
    const bytes = await res.arrayBuffer();
    if (bytes.byteLength > MAX_BODY_BYTES)
      return { ok: false, kind: "bad_response", detail: `${opts.what} answered ${bytes.byteLength} bytes` };
    text = new TextDecoder().decode(bytes);
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    if (name === "TimeoutError" || name === "AbortError")
      return { ok: false, kind: "timeout", detail: `no answer from ${opts.what} within ${opts.timeoutMs} ms` };
    const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
    return { ok: false, kind: "unavailable", detail: `${opts.what} could not be reached: ${cause}` };
  }
  const parsed = parseJson(text);
  return {
    ok: true,
    status,
    body: typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : undefined,
  };
}

/**
 * Sends one grant (`fields`, plus the endpoint's `client_id`) to the token endpoint and classifies
 * the answer as {@link refreshGrant} does; `models auth login` sends its `authorization_code` here.
 */
export async function tokenGrant(
  endpoint: OAuthEndpoint,
  grant: Readonly<Record<string, string>>,
  opts: { readonly timeoutMs: number; readonly now: () => number },
): Promise<GrantResult> {
  const fields: Record<string, string> = { ...grant };
  if (endpoint.clientId !== undefined) fields.client_id = endpoint.clientId;
  const answer = await postForJson(endpoint.tokenUrl, fields, {
    json: endpoint.body === "json",
    timeoutMs: opts.timeoutMs,
    what: "the token endpoint",
  });
  if (!answer.ok) return answer;
  const { status, body } = answer;
  if (status < 200 || status >= 300) {
    const { code, description } = errorCode(body);
    const said = `HTTP ${status}${code ? ` ${code}` : ""}${description ? `: ${description.slice(0, 200)}` : ""}`;
    if (code !== undefined && DEAD_TOKEN.has(code)) return { ok: false, kind: "invalid_grant", detail: said };
    if (status === 429 || status >= 500) return { ok: false, kind: "unavailable", detail: said };
    return { ok: false, kind: "rejected", detail: said };
  }
  const access = body?.access_token;
  const refresh = body?.refresh_token;
  const expiresIn = body?.expires_in;
  if (typeof access !== "string" || access === "" || typeof expiresIn !== "number" || !(expiresIn > 0))
    return { ok: false, kind: "bad_response", detail: "the token endpoint's answer lacks access_token or expires_in" };
  return {
    ok: true,
    access,
    refresh: typeof refresh === "string" && refresh !== "" ? refresh : undefined,
    expires: opts.now() + Math.round(expiresIn * 1000),
  };
}
