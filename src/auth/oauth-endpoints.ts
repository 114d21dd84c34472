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

/** The command that replaces a dead OAuth login. Our CLI does not run browser logins; OpenClaw's does. */
export function loginAgainCommand(provider: string, profileId: string): string {
  return `openclaw models auth login --provider ${provider} --profile-id ${profileId}`;
}
