import crypto from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Clock } from "../util/clock.js";
import { userError, type UserError } from "../util/user-error.js";
import type { OAuthEndpoint, OAuthLogin } from "./oauth-endpoints.js";
import { errorCode as oauthError, postForJson, tokenGrant } from "./token-endpoint.js";

/** What a login produced, with the identity fields OpenClaw stores beside the tokens. */
export interface LoginTokens {
  readonly access: string;
  readonly refresh: string;
  /** Epoch ms. */
  readonly expires: number;
  readonly email?: string;
  readonly accountId?: string;
  readonly chatgptPlanType?: string;
  /** OpenClaw's profile name: the account's email, else a stable id of the account, else `default`. */
  readonly profileName: string;
}

/** The outcome of a login. A failure's texts never hold a token or a code. */
export type LoginResult =
  | { readonly ok: true; readonly tokens: LoginTokens }
  | { readonly ok: false; readonly error: UserError };

/** What a login needs from outside: time, and a way to show the user where to go. */
export interface LoginDeps {
  readonly clock: Clock;
  /** Shows the authorize URL (and opens it where that makes sense). */
  readonly showUrl: (url: string) => void | Promise<void>;
  /** Shows where to enter the device code, and the code. */
  readonly showDeviceCode: (code: DeviceCodePrompt) => void | Promise<void>;
  /** Waits between device-code polls; a test advances its own clock instead. */
  readonly sleep: (ms: number) => Promise<void>;
  /** How long the browser login waits for the redirect (default 5 minutes). */
  readonly callbackTimeoutMs?: number;
  /** Per request to the provider (default 30 s, as OpenClaw). */
  readonly requestTimeoutMs?: number;
}

/** The device-code prompt: open `verificationUrl` anywhere and enter `userCode`. */
export interface DeviceCodePrompt {
  readonly verificationUrl: string;
  readonly userCode: string;
  readonly expiresInMs: number;
}

const CALLBACK_TIMEOUT_MS = 5 * 60_000;
const REQUEST_TIMEOUT_MS = 30_000;
// OpenClaw's device-code timings for OpenAI: 15 minutes to approve, polls 5 s apart (at least 1 s).
const DEVICE_CODE_TTL_MS = 15 * 60_000;
const DEVICE_POLL_MS = 5_000;
const DEVICE_POLL_MIN_MS = 1_000;
const SLOW_DOWN_MS = 5_000;

type Step<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: UserError };

const failed = (code: string, message: string, hint?: string): { ok: false; error: UserError } => ({
  ok: false,
  error: userError(code, message, hint),
});

const base64url = (bytes: Buffer): string => bytes.toString("base64url");

/** Control characters and escapes out, length bounded: provider text is shown to people. */
function clean(text: string, max = 200): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, max);
}

/** The JWT payload of a token, unverified: only for the identity fields OpenClaw keeps. */
function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split(".")[1];
  if (!part) return {};
  try {
    const parsed: unknown = JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
    return typeof parsed === "object" && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function claimObject(claims: Record<string, unknown>, key: string): Record<string, unknown> {
  const v = claims[key];
  return typeof v === "object" && v !== null ? (v as Record<string, unknown>) : {};
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v.trim() : undefined);

/**
 * The account a ChatGPT access token belongs to, read as OpenClaw reads it: email from the profile
 * claim, account id and plan from the auth claim, and a profile name (the email, else `id-` and
 * the base64url of the most stable subject, else `default`).
 */
function chatGptIdentity(access: string): Omit<LoginTokens, "access" | "refresh" | "expires"> {
  const claims = jwtClaims(access);
  const auth = claimObject(claims, "https://api.openai.com/auth");
  const profile = claimObject(claims, "https://api.openai.com/profile");
  const email = str(profile.email);
  const accountId = str(auth.chatgpt_account_id);
  const chatgptPlanType = str(auth.chatgpt_plan_type);
  const issuer = str(claims.iss);
  const subject = str(claims.sub);
  const stable =
    str(auth.chatgpt_account_user_id) ??
    str(auth.chatgpt_user_id) ??
    str(auth.user_id) ??
    (issuer && subject ? `${issuer}|${subject}` : subject);
  const profileName = email ?? (stable ? `id-${Buffer.from(stable).toString("base64url")}` : "default");
  return {
    profileName,
    ...(email ? { email } : {}),
    ...(accountId ? { accountId } : {}),
    ...(chatgptPlanType ? { chatgptPlanType } : {}),
  };
}

/** Redeems an authorization code at the token endpoint; a refresh token is required (OpenClaw's rule). */
async function redeemCode(
  login: OAuthLogin,
  grant: { code: string; verifier: string; redirectUri: string },
  deps: LoginDeps,
): Promise<LoginResult> {
  const endpoint: OAuthEndpoint = { tokenUrl: login.tokenUrl, clientId: login.clientId, body: "form" };
  const result = await tokenGrant(
    endpoint,
    {
      grant_type: "authorization_code",
      code: grant.code,
      code_verifier: grant.verifier,
      redirect_uri: grant.redirectUri,
    },
    { timeoutMs: deps.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, now: deps.clock },
  );
  if (!result.ok)
    return failed(
      "login_token_failed",
      `The token endpoint did not complete the login: ${result.detail}. Nothing was stored.`,
      "Start the login again; if it keeps failing, check models.providers.<provider>.oauth.tokenUrl in model-gateway.json.",
    );
  if (result.refresh === undefined)
    return failed(
      "login_token_failed",
      "The token endpoint answered without a refresh token, so the login could not be kept. Nothing was stored.",
    );
  return {
    ok: true,
    tokens: {
      access: result.access,
      refresh: result.refresh,
      expires: result.expires,
      ...chatGptIdentity(result.access),
    },
  };
}

/** A loopback server waiting for the one redirect that ends a browser login. */
interface CallbackServer {
  /** The redirect URI as sent: with the port the server really listens on. */
  readonly redirectUri: string;
  readonly code: Promise<Step<string>>;
  close(): void;
}

function page(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", connection: "close" });
  res.end(`<!doctype html><meta charset="utf-8"><title>OpenClaw login</title><p>${text}</p>`);
}

/**
 * Listens at the redirect URI's host, port (0: any free one) and path for the provider's redirect.
 * The first redirect with a `state` ends the wait: its code, its `error` (consent refused), or a
 * state mismatch (a redirect this login did not start, refused). Other paths get a 404.
 */
function listenForCallback(redirectUri: string, state: string, timeoutMs: number): Promise<Step<CallbackServer>> {
  const target = new URL(redirectUri);
  const host = target.hostname.replace(/^\[(.*)\]$/, "$1");
  let settle: (v: Step<string>) => void = () => {};
  const code = new Promise<Step<string>>((resolve) => {
    settle = resolve;
  });
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname !== target.pathname) return page(res, 404, "Not found.");
    const error = url.searchParams.get("error");
    if (url.searchParams.get("state") !== state) {
      page(res, 400, "State mismatch: this is not the login that was started. Nothing was stored.");
      return settle(
        failed(
          "login_state_mismatch",
          "The login's redirect carried a state this login did not send, so it was refused. Nothing was stored.",
          "Start the login again from this terminal; a redirect from an older or foreign login is never accepted.",
        ),
      );
    }
    if (error !== null) {
      const description = url.searchParams.get("error_description");
      page(res, 400, "The login was not completed. You can close this window.");
      const said = `${clean(error, 60)}${description ? `: ${clean(description)}` : ""}`;
      return settle(
        error === "access_denied"
          ? failed("login_denied", `The sign-in was declined at the consent page (${said}). Nothing was stored.`)
          : failed("login_failed", `The provider ended the login with an error (${said}). Nothing was stored.`),
      );
    }
    const got = url.searchParams.get("code");
    if (!got) {
      page(res, 400, "Missing authorization code.");
      return settle(failed("login_failed", "The login's redirect carried no authorization code. Nothing was stored."));
    }
    page(res, 200, "Signed in. You can close this window and return to the terminal.");
    settle({ ok: true, value: got });
  });
  const timer = setTimeout(
    () =>
      settle(
        failed(
          "login_timeout",
          `No sign-in arrived within ${Math.round(timeoutMs / 60_000)} min. Nothing was stored.`,
          "Run the login again, or use --device-code when the browser is on another machine.",
        ),
      ),
    timeoutMs,
  );
  timer.unref();
  const close = () => {
    clearTimeout(timer);
    server.close();
    server.closeAllConnections();
  };
  return new Promise((resolve) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      close();
      resolve(
        failed(
          "login_callback_unavailable",
          `Cannot receive the login's redirect at ${target.host} (${err.code ?? err.message}).`,
          "Close the program using that port (another login?), or log in with --device-code.",
        ),
      );
    });
    server.listen(Number(target.port || 80), host, () => {
      const actual = new URL(redirectUri);
      actual.port = String((server.address() as AddressInfo).port);
      resolve({ ok: true, value: { redirectUri: actual.toString(), code, close } });
    });
  });
}

/**
 * The browser login (OAuth 2 authorization code with PKCE, S256), as OpenClaw runs it: a random
 * `state` and verifier, the consent page shown through `deps.showUrl`, the redirect received on
 * the loopback address and its `state` checked, the code redeemed at the token endpoint.
 */
export async function browserLogin(login: OAuthLogin, deps: LoginDeps): Promise<LoginResult> {
  const verifier = base64url(crypto.randomBytes(32));
  const challenge = base64url(crypto.createHash("sha256").update(verifier).digest());
  const state = crypto.randomBytes(16).toString("hex");
  const server = await listenForCallback(login.redirectUri, state, deps.callbackTimeoutMs ?? CALLBACK_TIMEOUT_MS);
  if (!server.ok) return server;
  const { redirectUri } = server.value;
  try {
    const url = new URL(login.authorizeUrl);
    const params: Record<string, string> = {
      response_type: "code",
      client_id: login.clientId,
      redirect_uri: redirectUri,
      scope: login.scope,
      code_challenge: challenge,
      code_challenge_method: "S256",
      state,
      ...login.authorizeParams,
    };
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    await deps.showUrl(url.toString());
    const code = await server.value.code;
    if (!code.ok) return code;
    const result = await redeemCode(login, { code: code.value, verifier, redirectUri }, deps);
    // OpenClaw refuses a ChatGPT login whose token names no account: its requests need the id.
    if (result.ok && result.tokens.accountId === undefined)
      return failed(
        "login_no_account",
        "The access token names no ChatGPT account (chatgpt_account_id), so the login cannot be used. Nothing was stored.",
      );
    return result;
  } finally {
    server.value.close();
  }
}

/** One JSON POST to a device-code endpoint: status and parsed body, or why it could not be sent. */
async function postJson(
  url: string,
  body: Record<string, string>,
  timeoutMs: number,
): Promise<Step<{ status: number; body: Record<string, unknown> }>> {
  const answer = await postForJson(url, body, {
    json: true,
    timeoutMs,
    what: "the device-code endpoint",
    headers: { originator: "openclaw" },
  });
  if (!answer.ok) return failed("login_unreachable", `${clean(answer.detail.replace(/^./, (c) => c.toUpperCase()))}.`);
  return { ok: true, value: { status: answer.status, body: answer.body ?? {} } };
}

/** `HTTP 400 expired_token: ...` from an error answer, for messages. */
function errorText(status: number, body: Record<string, unknown>): string {
  const { code, description } = oauthError(body);
  return `HTTP ${status}${code ? ` ${clean(code, 60)}` : ""}${description ? `: ${clean(description)}` : ""}`;
}

const expiredCode = (minutes: number) =>
  failed(
    "login_device_code_expired",
    `The device code expired before the sign-in was approved (it was valid for ${minutes} min). Nothing was stored.`,
    "Run the login again and enter the new code within its time.",
  );

/**
 * The device-code login where the browser is on another machine, as OpenClaw runs it for OpenAI:
 * a user code from `deviceCodeUrl`, shown with its verification page; polls of the sibling
 * `token` endpoint until the user approves (pending answers 403/404; `slow_down` adds 5 s, as RFC
 * 8628 says; `access_denied` and `expired_token` end it); then the authorization code and verifier
 * it returns are redeemed at the token endpoint. The code's lifetime is the endpoint's
 * `expires_in` when it gives one, else OpenClaw's 15 minutes, measured on `deps.clock`.
 */
export async function deviceCodeLogin(login: OAuthLogin, deps: LoginDeps): Promise<LoginResult> {
  const timeoutMs = deps.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  const start = await postJson(login.deviceCodeUrl, { client_id: login.clientId }, timeoutMs);
  if (!start.ok) return start;
  const { status, body } = start.value;
  if (status === 404)
    return failed(
      "login_device_code_unavailable",
      "Device-code login is not enabled at this server. Nothing was stored.",
      "Log in without --device-code (browser login).",
    );
  if (status < 200 || status >= 300)
    return failed("login_failed", `The device-code request failed (${errorText(status, body)}). Nothing was stored.`);
  const deviceAuthId = str(body.device_auth_id);
  const userCode = str(body.user_code) ?? str(body.usercode);
  if (!deviceAuthId || !userCode)
    return failed("login_failed", "The device-code answer lacks the device or user code. Nothing was stored.");
  const seconds = (v: unknown) => (typeof v === "number" && v > 0 ? v * 1000 : undefined);
  const ttlMs = seconds(body.expires_in) ?? DEVICE_CODE_TTL_MS;
  let intervalMs = Math.max(seconds(body.interval) ?? DEVICE_POLL_MS, DEVICE_POLL_MIN_MS);
  const minutes = Math.max(1, Math.round(ttlMs / 60_000));
  const deadline = deps.clock() + ttlMs;
  await deps.showDeviceCode({
    verificationUrl: new URL("/codex/device", login.deviceCodeUrl).toString(),
    userCode,
    expiresInMs: ttlMs,
  });
  const pollUrl = new URL("token", login.deviceCodeUrl).toString();
  while (deps.clock() < deadline) {
    const poll = await postJson(pollUrl, { device_auth_id: deviceAuthId, user_code: userCode }, timeoutMs);
    // A network hiccup while the user is still approving is not the end of the login.
    if (poll.ok && poll.value.status >= 200 && poll.value.status < 300) {
      const code = str(poll.value.body.authorization_code);
      const verifier = str(poll.value.body.code_verifier);
      if (!code || !verifier)
        return failed("login_failed", "The approved device login lacks its exchange code. Nothing was stored.");
      const redirectUri = new URL("/deviceauth/callback", login.deviceCodeUrl).toString();
      return redeemCode(login, { code, verifier, redirectUri }, deps);
    }
    if (poll.ok && poll.value.status !== 403 && poll.value.status !== 404) {
      const kind = oauthError(poll.value.body).code;
      if (kind === "expired_token") return expiredCode(minutes);
      if (kind === "access_denied" || kind === "authorization_denied")
        return failed("login_denied", "The sign-in was declined on the device page. Nothing was stored.");
      if (kind === "slow_down") intervalMs += SLOW_DOWN_MS;
      else if (kind !== "authorization_pending")
        return failed(
          "login_failed",
          `The device login failed (${errorText(poll.value.status, poll.value.body)}). Nothing was stored.`,
        );
    }
    await deps.sleep(Math.min(intervalMs, Math.max(0, deadline - deps.clock())));
  }
  return expiredCode(minutes);
}
