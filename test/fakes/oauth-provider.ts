/**
 * A loopback fake of OpenAI's login server as OpenClaw's ChatGPT login uses it: the consent page
 * (`/oauth/authorize`, answered with the redirect a browser would follow), the token endpoint
 * (`/oauth/token`, `authorization_code` grant with the PKCE verifier checked), and the device-code
 * pair (`/api/accounts/deviceauth/usercode` and `/token`). Access tokens are JWTs carrying the
 * account claims OpenClaw reads.
 */
import crypto from "node:crypto";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody } from "./token-endpoint.js";

/** What the consent page does with the next authorize request. */
export type ConsentMode = "approve" | "deny" | "wrong-state";
/** What the device token endpoint answers to polls. */
export type DeviceMode = "approve" | "pending" | "deny" | "expired";

/** Handle on a running fake; see {@link startFakeOAuthProvider}. */
export interface FakeOAuthProvider {
  readonly origin: string;
  /** `models.providers.openai.oauth` pointing at this fake (`redirectUri` on any free port). */
  readonly settings: Readonly<Record<string, string>>;
  consent: ConsentMode;
  device: DeviceMode;
  /** Pending polls before `device: "approve"` approves (default 0). */
  pendingPolls: number;
  /** Device-code lifetime the fake announces, seconds (undefined: none, as OpenAI). */
  deviceExpiresIn: number | undefined;
  /** When set, every token grant fails with this HTTP status. */
  tokenFailure: number | undefined;
  /** Query of each authorize request. */
  readonly authorizeRequests: URLSearchParams[];
  /** Fields of each token grant. */
  readonly grants: Record<string, string>[];
  /** Device token polls received. */
  polls: number;
  /** Tokens issued, for leak checks. */
  readonly issued: string[];
  readonly email: string;
  readonly accountId: string;
  close(): Promise<void>;
}

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString("base64url");

/** An unsigned JWT with OpenAI's account claims, as the fake's access token. */
function accessJwt(email: string, accountId: string, expSeconds: number): string {
  const payload = {
    iss: "https://auth.openai.com",
    sub: "user-fake",
    exp: expSeconds,
    "https://api.openai.com/auth": { chatgpt_account_id: accountId, chatgpt_plan_type: "plus" },
    "https://api.openai.com/profile": { email },
  };
  return `${b64({ alg: "none", typ: "JWT" })}.${b64(payload)}.${crypto.randomBytes(24).toString("base64url")}`;
}

/** Starts the fake on an ephemeral loopback port. */
export async function startFakeOAuthProvider(): Promise<FakeOAuthProvider> {
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const devices = new Map<string, { userCode: string; verifier: string }>();

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  const issueCode = (challenge: string, redirectUri: string) => {
    const code = `code-${crypto.randomBytes(12).toString("hex")}`;
    codes.set(code, { challenge, redirectUri });
    return code;
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", fake.origin);
    const text = await readBody(req);
    if (req.method === "GET" && url.pathname === "/oauth/authorize") {
      const q = url.searchParams;
      fake.authorizeRequests.push(q);
      const back = new URL(q.get("redirect_uri") ?? "");
      if (fake.consent === "deny") {
        back.searchParams.set("error", "access_denied");
        back.searchParams.set("error_description", "The user declined");
        back.searchParams.set("state", q.get("state") ?? "");
      } else {
        back.searchParams.set("code", issueCode(q.get("code_challenge") ?? "", back.toString()));
        back.searchParams.set("state", fake.consent === "wrong-state" ? "not-the-state" : (q.get("state") ?? ""));
      }
      res.writeHead(302, { location: back.toString() });
      return res.end();
    }
    if (req.method !== "POST") return json(res, 404, { error: "not_found" });
    if (url.pathname === "/api/accounts/deviceauth/usercode") {
      const id = `dev-${crypto.randomBytes(8).toString("hex")}`;
      devices.set(id, { userCode: "ABCD-1234", verifier: crypto.randomBytes(32).toString("base64url") });
      return json(res, 200, {
        device_auth_id: id,
        user_code: "ABCD-1234",
        interval: 1,
        ...(fake.deviceExpiresIn !== undefined ? { expires_in: fake.deviceExpiresIn } : {}),
      });
    }
    if (url.pathname === "/api/accounts/deviceauth/token") {
      fake.polls++;
      const body = JSON.parse(text) as { device_auth_id?: string; user_code?: string };
      const device = devices.get(body.device_auth_id ?? "");
      if (!device || device.userCode !== body.user_code) return json(res, 400, { error: "invalid_request" });
      if (fake.device === "deny") return json(res, 400, { error: "access_denied" });
      if (fake.device === "expired") return json(res, 400, { error: "expired_token" });
      if (fake.device === "pending" || fake.polls <= fake.pendingPolls)
        return json(res, 403, { error: "authorization_pending" });
      const challenge = crypto.createHash("sha256").update(device.verifier).digest("base64url");
      const redirectUri = new URL("/deviceauth/callback", fake.origin).toString();
      return json(res, 200, { authorization_code: issueCode(challenge, redirectUri), code_verifier: device.verifier });
    }
    if (url.pathname === "/oauth/token") {
      const fields = Object.fromEntries(new URLSearchParams(text));
      fake.grants.push(fields);
      if (fake.tokenFailure !== undefined)
        return json(res, fake.tokenFailure, { error: "server_error", error_description: "token service down" });
      const issued = codes.get(fields.code ?? "");
      codes.delete(fields.code ?? "");
      const verified =
        issued !== undefined &&
        fields.grant_type === "authorization_code" &&
        fields.client_id === "app_EMoamEEZ73f0CkXaXp7hrann" &&
        fields.redirect_uri === issued.redirectUri &&
        crypto
          .createHash("sha256")
          .update(fields.code_verifier ?? "")
          .digest("base64url") === issued.challenge;
      if (!verified) return json(res, 400, { error: "invalid_grant", error_description: "code or verifier wrong" });
      const access = accessJwt(fake.email, fake.accountId, Math.floor(Date.now() / 1000) + 864_000);
      const refresh = `rt_${crypto.randomBytes(32).toString("base64url")}`;
      fake.issued.push(access, refresh);
      return json(res, 200, {
        access_token: access,
        refresh_token: refresh,
        expires_in: 864_000,
        token_type: "Bearer",
      });
    }
    json(res, 404, { error: "not_found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeOAuthProvider = {
    origin,
    settings: {
      authorizeUrl: `${origin}/oauth/authorize`,
      tokenUrl: `${origin}/oauth/token`,
      deviceCodeUrl: `${origin}/api/accounts/deviceauth/usercode`,
      redirectUri: "http://127.0.0.1:0/auth/callback",
    },
    consent: "approve",
    device: "approve",
    pendingPolls: 0,
    deviceExpiresIn: undefined,
    tokenFailure: undefined,
    authorizeRequests: [],
    grants: [],
    polls: 0,
    issued: [],
    email: "me@example.com",
    accountId: "acct-fake-1",
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/**
 * Does what a browser does with an authorize URL: asks the consent page, follows its redirect to
 * the loopback address, and returns what that page answered.
 */
export async function browse(authorizeUrl: string): Promise<{ status: number; text: string }> {
  const consent = await fetch(authorizeUrl, { redirect: "manual" });
  const location = consent.headers.get("location");
  if (!location) throw new Error(`the consent page answered ${consent.status} without a redirect`);
  const back = await fetch(location);
  return { status: back.status, text: await back.text() };
}
