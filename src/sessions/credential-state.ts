import { credentialStateSchema, type CredentialState } from "../auth/cooldowns.js";

/**
 * Parses a stored credential state. Rows are written by us, but the backend is shared with other
 * versions and other processes, so a row that does not parse reads as "no state" instead of
 * breaking every resolver call.
 */
export function parseCredentialState(json: string): CredentialState | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch {
    return undefined;
  }
  return toCredentialState(raw);
}

/** Validates an already parsed credential state (see {@link parseCredentialState}). */
export function toCredentialState(raw: unknown): CredentialState | undefined {
  const parsed = credentialStateSchema.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
