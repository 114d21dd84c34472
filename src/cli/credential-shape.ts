import type { CredentialType } from "../auth/profiles.js";
import { fail } from "./errors.js";

/** Prefix of Anthropic setup-tokens printed by `claude setup-token`. */
export const ANTHROPIC_SETUP_TOKEN_PREFIX = "sk-ant-oat01-";
/** Shortest plausible setup-token; a shorter value was cut while copying. */
export const ANTHROPIC_SETUP_TOKEN_MIN = 80;

/**
 * Refuses values that cannot be the credential asked for, before anything is stored. Messages
 * describe the value (length, kind) and never echo it.
 */
export function checkCredentialShape(provider: string, type: CredentialType, secret: string): void {
  if (!/^[\x21-\x7e]+$/.test(secret)) {
    fail(
      "secret_bad_chars",
      "The value contains characters that never appear in keys or tokens (non-ASCII or control characters).",
      "Copy it again from the source and paste only the key.",
    );
  }
  if (provider !== "anthropic") {
    if (secret.startsWith("sk-ant-")) {
      fail(
        "anthropic_credential_for_other_provider",
        `That is an Anthropic credential; it cannot authenticate with ${provider}.`,
        "Store it with `--provider anthropic`, or paste the key that provider issued.",
      );
    }
    return;
  }
  if (type === "token") {
    if (secret.startsWith("sk-ant-api")) {
      fail(
        "anthropic_api_key_as_token",
        "That is an Anthropic API key, not a setup-token.",
        "Store it with `openclaw models auth paste-api-key --provider anthropic`.",
      );
    }
    if (!secret.startsWith(ANTHROPIC_SETUP_TOKEN_PREFIX)) {
      fail(
        "anthropic_token_shape",
        `An Anthropic setup-token starts with ${ANTHROPIC_SETUP_TOKEN_PREFIX}; the pasted value does not.`,
        "Run `claude setup-token` and paste the token it prints.",
      );
    }
    if (secret.length < ANTHROPIC_SETUP_TOKEN_MIN) {
      fail(
        "anthropic_token_short",
        `That setup-token is only ${secret.length} characters; a complete one has at least ${ANTHROPIC_SETUP_TOKEN_MIN}. It was probably cut while copying.`,
        "Copy the whole token (it may span two lines) and paste it again.",
      );
    }
  } else if (secret.startsWith("sk-ant-oat")) {
    fail(
      "anthropic_token_as_api_key",
      "That is an Anthropic setup-token, not an API key; setup-tokens are only sent as bearer tokens.",
      "Store it with `openclaw models auth paste-token --provider anthropic`.",
    );
  }
}
