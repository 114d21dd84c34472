/**
 * A loopback fake of an OAuth 2 token endpoint (`refresh_token` grant), as Anthropic and OpenAI
 * run them: JSON or form bodies, rotating refresh tokens (a spent one is refused with
 * `invalid_grant`, as providers that rotate do), a revoked login, and a hang.
 */
import crypto from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** How the fake answers a grant. */
export type TokenMode =
  /** New access and refresh token; the old refresh token is spent. */
  | "rotate"
  /** New access token; the refresh token stays valid and none is returned. */
  | "keep"
  /** Every grant: 400 `invalid_grant` (the login was revoked). */
  | "revoked"
  /** Never answers (until the fake closes). */
  | "hang";

/** One grant request as the fake received it. */
export interface RecordedGrant {
  readonly contentType: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly at: number;
}

/** Handle on a running fake; see {@link startFakeTokenEndpoint}. */
export interface FakeTokenEndpoint {
  /** The token URL: `http://127.0.0.1:<port>/v1/oauth/token`. */
  readonly url: string;
  readonly grants: readonly RecordedGrant[];
  /** Access tokens issued, oldest first. */
  readonly issued: readonly string[];
  /** The refresh token the fake accepts now. */
  readonly validRefresh: string;
  mode: TokenMode;
  /** Lifetime of issued access tokens, seconds (default 3600). */
  expiresIn: number;
  /** Delay before each answer, ms (default 0): widens the window in which callers overlap. */
  delayMs: number;
  close(): Promise<void>;
}

/** The whole request body as text. */
export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function parseFields(contentType: string, text: string): Record<string, string> {
  if (contentType.includes("json")) {
    const raw = JSON.parse(text) as Record<string, unknown>;
    return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
  }
  return Object.fromEntries(new URLSearchParams(text));
}

/** Starts the fake on an ephemeral loopback port; `refresh` is the refresh token it accepts first. */
export async function startFakeTokenEndpoint(opts: { refresh: string }): Promise<FakeTokenEndpoint> {
  const grants: RecordedGrant[] = [];
  const issued: string[] = [];
  const hanging = new Set<ServerResponse>();
  let valid = opts.refresh;

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  const server = createServer(async (req, res) => {
    const contentType = String(req.headers["content-type"] ?? "");
    const text = await readBody(req);
    if (req.method !== "POST" || req.url !== "/v1/oauth/token") return send(res, 404, { error: "not_found" });
    let fields: Record<string, string>;
    try {
      fields = parseFields(contentType, text);
    } catch {
      return send(res, 400, { error: "invalid_request", error_description: "unreadable body" });
    }
    grants.push({ contentType, fields, at: Date.now() });
    if (fake.mode === "hang") {
      hanging.add(res);
      return;
    }
    if (fake.delayMs > 0) await new Promise((r) => setTimeout(r, fake.delayMs));
    if (fields.grant_type !== "refresh_token")
      return send(res, 400, { error: "unsupported_grant_type", error_description: "only refresh_token" });
    if (fake.mode === "revoked" || fields.refresh_token !== valid)
      return send(res, 400, { error: "invalid_grant", error_description: "Refresh token not found or invalid" });
    const access = `sk-ant-oat01-fake-${crypto.randomBytes(24).toString("hex")}`;
    issued.push(access);
    const body: Record<string, unknown> = { token_type: "Bearer", access_token: access, expires_in: fake.expiresIn };
    if (fake.mode === "rotate") {
      valid = `sk-ant-ort01-fake-${crypto.randomBytes(24).toString("hex")}`;
      body.refresh_token = valid;
    }
    send(res, 200, body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const fake: FakeTokenEndpoint = {
    url: `http://127.0.0.1:${port}/v1/oauth/token`,
    grants,
    issued,
    get validRefresh() {
      return valid;
    },
    mode: "rotate",
    expiresIn: 3600,
    delayMs: 0,
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

/** The id of the OAuth profile the refresh tests start from. */
export const OAUTH_ID = "anthropic:me@example.com";

/** That profile as stored (OpenClaw's fields), with the given tokens and expiry. */
export function oauthProfile(access: string, refresh: string, expires: number): Record<string, unknown> {
  return { type: "oauth", provider: "anthropic", access, refresh, expires, email: "me@example.com" };
}
