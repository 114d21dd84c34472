import type { Catalog } from "../models/catalog.js";
import { fail } from "./errors.js";

/** What each provider's API keys look like today; a key outside it is probably a wrong paste. */
const KEY_SHAPES: Readonly<Record<string, { readonly pattern: RegExp; readonly description: string }>> = {
  anthropic: {
    pattern: /^sk-ant-api\d\d-[A-Za-z0-9_-]{80,}$/,
    description: "they start with sk-ant-api03- and are about 108 characters long",
  },
  openai: {
    pattern: /^sk-(proj-|svcacct-|admin-)?[A-Za-z0-9_-]{40,}$/,
    description: "they start with sk- or sk-proj- and are at least 40 characters long",
  },
  openrouter: {
    pattern: /^sk-or-v1-[0-9a-f]{64}$/,
    description: "they start with sk-or-v1- followed by 64 hexadecimal digits",
  },
};

/**
 * Why `secret` does not look like an API key of `provider`, or undefined when it does (or the
 * provider's shape is unknown). Describes the value by its length only, never by its content.
 */
export function keyShapeMismatch(provider: string, providerName: string, secret: string): string | undefined {
  const shape = KEY_SHAPES[provider];
  if (!shape || shape.pattern.test(secret)) return undefined;
  const article = /^[AEIOU]/i.test(providerName) ? "an" : "a";
  return `The pasted value (${secret.length} characters) does not look like ${article} ${providerName} API key: ${shape.description}.`;
}

/**
 * Refuses a profile id whose prefix names another known provider (`--provider anthropic
 * --profile-id openai:x`): every view would file the key under the wrong provider.
 */
export function refuseForeignProfilePrefix(catalog: Catalog, provider: string, profileId: string | undefined): void {
  const colon = profileId?.indexOf(":") ?? -1;
  if (profileId === undefined || colon <= 0) return;
  const prefix = profileId.slice(0, colon);
  if (prefix === provider || !catalog.providers.has(prefix)) return;
  fail(
    "profile_prefix_mismatch",
    `Profile id ${profileId} names provider ${prefix}, but the credential is for ${provider}; nothing was stored.`,
    `Use --profile-id ${provider}:${profileId.slice(colon + 1)}, or --provider ${prefix} if the key is ${prefix}'s.`,
  );
}
