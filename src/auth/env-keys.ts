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

/** Something about a key variable that doctor reports (by name; never the value). */
export interface EnvKeyNote {
  readonly variable: string;
  /**
   * `reformatted`: line breaks or surrounding whitespace were removed, as `paste-token` does;
   * `not_a_credential`: the value is empty, `undefined` or `null`, and is skipped.
   */
  readonly note: "reformatted" | "not_a_credential";
}

/** Values a shell or a template leaves in a variable that was meant to hold a key. */
const PLACEHOLDERS = new Set(["", "undefined", "null"]);

/** Whether a value (whitespace already removed) is empty, `undefined` or `null`: never a credential. */
export function isPlaceholder(value: string): boolean {
  return PLACEHOLDERS.has(value.toLowerCase());
}

/** Splits a `<P>_API_KEYS` value on commas, whitespace and semicolons, dropping empty items. */
export function splitKeyList(value: string): string[] {
  return value.split(/[\s,;]+/).filter((s) => s !== "");
}

/**
 * Every env credential for a provider, in the order they are tried: `<P>_API_KEY`, each item of
 * `<P>_API_KEYS`, every `<P>_API_KEY_*` (sorted by name), then token variables. A single-key
 * variable is read as `paste-token` reads a paste: line breaks and whitespace removed. Empty,
 * `undefined` and `null` values are not credentials. A secret that appears under several names is
 * listed once, under the first.
 */
export function envCredentials(provider: CatalogProvider, env: Readonly<Record<string, string>>): EnvCredential[] {
  return readEnvKeys(provider, env).credentials;
}

/** What {@link envCredentials} had to repair or skip for a provider, for `doctor`. */
export function envKeyNotes(provider: CatalogProvider, env: Readonly<Record<string, string>>): EnvKeyNote[] {
  return readEnvKeys(provider, env).notes;
}

function readEnvKeys(
  provider: CatalogProvider,
  env: Readonly<Record<string, string>>,
): { credentials: EnvCredential[]; notes: EnvKeyNote[] } {
  const credentials: EnvCredential[] = [];
  const notes: EnvKeyNote[] = [];
  const seen = new Set<string>();
  const push = (id: string, variable: string, raw: string | undefined, type: CredentialType) => {
    if (raw === undefined) return;
    const secret = raw.replace(/\s+/g, "");
    if (isPlaceholder(secret)) {
      notes.push({ variable, note: "not_a_credential" });
      return;
    }
    if (secret !== raw) notes.push({ variable, note: "reformatted" });
    if (seen.has(secret)) return;
    seen.add(secret);
    credentials.push({ id, provider: provider.id, type, secret, variable });
  };
  for (const name of provider.envKeys) {
    push(`env:${name}`, name, env[name], "api_key");
    const list = env[`${name}S`];
    if (list !== undefined)
      splitKeyList(list).forEach((k, i) => push(`env:${name}S[${i + 1}]`, `${name}S`, k, "api_key"));
    const prefix = `${name}_`;
    for (const variable of Object.keys(env)
      .filter((k) => k.startsWith(prefix))
      .sort()) {
      push(`env:${variable}`, variable, env[variable], "api_key");
    }
  }
  for (const name of provider.tokenEnvKeys) push(`env:${name}`, name, env[name], "token");
  return { credentials, notes };
}
