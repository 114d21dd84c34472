import * as z from "zod/mini";
import "../util/zod-messages.js";
import type { CredentialState } from "../auth/cooldowns.js";

const cooldownEntry = z.object({
  credentialId: z.string(),
  model: z.optional(z.string()),
  reason: z.enum(["auth", "billing", "rate_limit", "incompatible"]),
  until: z.number(),
  errorCount: z.number(),
  lastFailureAt: z.number(),
});
const credentialState = z.object({ cooldowns: z.array(cooldownEntry), lastUsedAt: z.optional(z.number()) });

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
  const parsed = credentialState.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}
