import type { CatalogProvider } from "../models/catalog.js";
import type { CredentialType } from "./profiles.js";

/** A credential found in the environment. */
export interface EnvCredential {
  /** `env:ANTHROPIC_API_KEY`, `env:ANTHROPIC_API_KEYS[2]` (1-based), `env:ANTHROPIC_API_KEY_2`. */
  readonly id: string;
  readonly provider: string;
  readonly type: CredentialType;
  readonly secret: string;
  /** The variable it came from. */
  readonly variable: string;
}

/** Splits a `<P>_API_KEYS` value on commas, whitespace and semicolons, dropping empty items. */
export function splitKeyList(value: string): string[] {
  return value.split(/[\s,;]+/).filter((s) => s !== "");
}

/**
 * Every env credential for a provider, in the order they are tried: `<P>_API_KEY`, each item of
 * `<P>_API_KEYS`, every `<P>_API_KEY_*` (sorted by name), then token variables. A secret that
 * appears under several names is listed once, under the first.
 */
export function envCredentials(provider: CatalogProvider, env: Readonly<Record<string, string>>): EnvCredential[] {
  const out: EnvCredential[] = [];
  const seen = new Set<string>();
  const push = (id: string, variable: string, raw: string | undefined, type: CredentialType) => {
    const secret = raw?.trim();
    if (!secret || seen.has(secret)) return;
    seen.add(secret);
    out.push({ id, provider: provider.id, type, secret, variable });
  };
  for (const name of provider.envKeys) {
    push(`env:${name}`, name, env[name], "api_key");
    const list = env[`${name}S`];
    if (list !== undefined) splitKeyList(list).forEach((k, i) => push(`env:${name}S[${i + 1}]`, `${name}S`, k, "api_key"));
    const prefix = `${name}_`;
    for (const variable of Object.keys(env).filter((k) => k.startsWith(prefix)).sort()) {
      push(`env:${variable}`, variable, env[variable], "api_key");
    }
  }
  for (const name of provider.tokenEnvKeys) push(`env:${name}`, name, env[name], "token");
  return out;
}
