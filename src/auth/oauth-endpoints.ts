import type { OpenClawConfig } from "../config/schema.js";

/** Where and how an OAuth provider refreshes tokens (OAuth 2 `refresh_token` grant). */
export interface OAuthEndpoint {
  readonly tokenUrl: string;
  /** Sent as `client_id`; a provider that needs none may leave it out. */
  readonly clientId: string | undefined;
  /** How the grant is encoded: RFC 6749's form body, or JSON where the provider takes only that. */
  readonly body: "form" | "json";
}

// The values OpenClaw's own logins use, so profiles it created refresh here too.
const BUILTIN: Readonly<Record<string, OAuthEndpoint>> = {
  anthropic: {
    tokenUrl: "https://platform.claude.com/v1/oauth/token",
    clientId: "9d1c250a-e61b-44d9-88ed-5944d1962f5e",
    body: "json",
  },
  openai: { tokenUrl: "https://auth.openai.com/oauth/token", clientId: "app_EMoamEEZ73f0CkXaXp7hrann", body: "form" },
};

/**
 * The token endpoint of a provider: `models.providers.<p>.oauth.tokenUrl` / `.clientId` over the
 * built-in defaults (Anthropic, OpenAI). Undefined when neither names a token URL.
 */
export function oauthEndpointFor(config: OpenClawConfig, provider: string): OAuthEndpoint | undefined {
  const builtin = BUILTIN[provider];
  const set = config.models?.providers?.[provider]?.oauth;
  const tokenUrl = set?.tokenUrl ?? builtin?.tokenUrl;
  if (tokenUrl === undefined) return undefined;
  return { tokenUrl, clientId: set?.clientId ?? builtin?.clientId, body: builtin?.body ?? "form" };
}

/**
 * How a provider's OAuth login runs (`models auth login`): OpenClaw's endpoints, client id and
 * loopback redirect, each overridable in our settings file for a proxy or a test.
 */
export interface OAuthLogin {
  readonly provider: string;
  readonly clientId: string;
  readonly tokenUrl: string;
  /** The browser login (PKCE): where the user consents. */
  readonly authorizeUrl: string;
  /** The loopback address the browser is sent back to; port 0 means any free port. */
  readonly redirectUri: string;
  readonly scope: string;
  /** Further query parameters of the authorize URL, as OpenClaw sends them. */
  readonly authorizeParams: Readonly<Record<string, string>>;
  /** Where a device code is asked for (the login where the browser is on another machine). */
  readonly deviceCodeUrl: string;
  /** The model OpenClaw recommends after this login (`--set-default`). */
  readonly defaultModel: string;
  /** What the login is good for in this gateway, when that is less than in OpenClaw; said after it. */
  readonly gatewayNote?: string;
}

// OpenClaw's ChatGPT login (its openai plugin): client, scope, callback and extra parameters.
const OPENAI_LOGIN: Omit<OAuthLogin, "provider" | "clientId" | "tokenUrl"> = {
  authorizeUrl: "https://auth.openai.com/oauth/authorize",
  redirectUri: "http://localhost:1455/auth/callback",
  scope: "openid profile email offline_access",
  authorizeParams: { id_token_add_organizations: "true", codex_cli_simplified_flow: "true", originator: "openclaw" },
  deviceCodeUrl: "https://auth.openai.com/api/accounts/deviceauth/usercode",
  defaultModel: "openai/gpt-6-astra",
  gatewayNote:
    "this is a ChatGPT sign-in: OpenClaw calls ChatGPT's own backend with it, but this gateway calls the OpenAI API, which does not accept it, so the gateway sets it aside (incompatible). For the gateway, add an API key: openclaw models auth paste-api-key --provider openai",
};

/** OpenClaw's callback hosts: its `OPENCLAW_OAUTH_CALLBACK_HOST` may pick one of these. */
const CALLBACK_HOSTS = new Set(["localhost", "127.0.0.1", "::1"]);

/**
 * The login of a provider that OpenClaw logs in with OAuth here (only `openai` today), with
 * `models.providers.<p>.oauth.{authorizeUrl, tokenUrl, deviceCodeUrl, redirectUri, clientId}` of
 * our settings over OpenClaw's values. Undefined for any other provider.
 */
export function oauthLoginFor(
  config: OpenClawConfig,
  provider: string,
  env: NodeJS.ProcessEnv = {},
): OAuthLogin | undefined {
  const endpoint = oauthEndpointFor(config, provider);
  if (provider !== "openai" || endpoint?.clientId === undefined) return undefined;
  const set = config.models?.providers?.[provider]?.oauth;
  let redirectUri = set?.redirectUri ?? OPENAI_LOGIN.redirectUri;
  const host = env.OPENCLAW_OAUTH_CALLBACK_HOST?.trim();
  if (set?.redirectUri === undefined && host && CALLBACK_HOSTS.has(host)) {
    const url = new URL(redirectUri);
    url.hostname = host === "::1" ? "[::1]" : host;
    redirectUri = url.toString();
  }
  return {
    ...OPENAI_LOGIN,
    provider,
    clientId: endpoint.clientId,
    tokenUrl: endpoint.tokenUrl,
    authorizeUrl: set?.authorizeUrl ?? OPENAI_LOGIN.authorizeUrl,
    deviceCodeUrl: set?.deviceCodeUrl ?? OPENAI_LOGIN.deviceCodeUrl,
    redirectUri,
  };
}

/** The command that replaces a dead OAuth login. */
export function loginAgainCommand(provider: string, profileId: string): string {
  return `openclaw models auth login --provider ${provider} --profile-id ${profileId}`;
}
