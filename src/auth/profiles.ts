import * as z from "zod/mini";
import "../util/zod-messages.js";
import { secretRefSchema, type SecretRef } from "./secret-ref.js";

/** Credential kinds, strongest first when nothing else orders them. */
export const CREDENTIAL_TYPES = ["oauth", "token", "api_key"] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

// OpenClaw's files say `mode` where we say `type`, and `apiKey` where we say `key`; unknown fields
// (lastGood, usageStats, labels…) are kept so a write never loses what another tool stored.
/** One stored profile as written (OpenClaw's field names accepted); unknown fields are kept. */
export const rawProfileSchema = z.looseObject({
  type: z.optional(z.enum(CREDENTIAL_TYPES)),
  mode: z.optional(z.enum(CREDENTIAL_TYPES)),
  provider: z.string().check(z.minLength(1)),
  key: z.optional(z.string()),
  apiKey: z.optional(z.string()),
  token: z.optional(z.string()),
  access: z.optional(z.string()),
  refresh: z.optional(z.string()),
  expires: z.optional(z.number()),
  email: z.optional(z.string()),
  /** Ours: when the gateway last refreshed this OAuth profile (epoch ms). */
  refreshedAt: z.optional(z.number()),
  keyRef: z.optional(secretRefSchema),
  tokenRef: z.optional(secretRefSchema),
});

/** The on-disk shape of `auth-profiles.json`. */
export const authProfilesFileSchema = z.looseObject({
  version: z.optional(z.int()),
  profiles: z._default(z.record(z.string(), rawProfileSchema), {}),
  order: z.optional(z.record(z.string(), z.array(z.string()))),
});

export type AuthProfilesFile = z.infer<typeof authProfilesFileSchema>;
export type RawAuthProfile = z.infer<typeof rawProfileSchema>;

/** A stored credential, normalised: one `type`, one `secret`, whatever the file called them. */
export interface AuthProfile {
  readonly id: string;
  readonly provider: string;
  readonly type: CredentialType;
  /** The key, token or OAuth access token. Never print it; use `maskSecret`. */
  readonly secret: string;
  /** Epoch ms. */
  readonly expires?: number;
  readonly email?: string;
  /** Where the secret is kept when the store holds a SecretRef instead; `secret` is then empty. */
  readonly ref?: SecretRef;
  /** An OAuth profile with a refresh token: expiry is renewed, not the end. */
  readonly refreshable: boolean;
  /** When the gateway last refreshed it (epoch ms). */
  readonly refreshedAt?: number;
}

/**
 * OpenClaw replaces a profile's tokens with these inert markers while one of its processes
 * refreshes it (and leaves them when that refresh failed): never a token to send anywhere.
 */
const OPENCLAW_REFRESH_FENCE = "openclaw-oauth-refresh-fence:";

/** Normalises one raw profile. The type is inferred from the fields present when not stated. */
export function normalizeProfile(id: string, raw: RawAuthProfile): AuthProfile {
  const type: CredentialType =
    raw.type ?? raw.mode ?? (raw.access !== undefined ? "oauth" : raw.token !== undefined ? "token" : "api_key");
  // As OpenClaw: an API key's keyRef wins over an inline key; a token's inline value wins over tokenRef.
  const ref = type === "api_key" ? raw.keyRef : type === "token" && !raw.token?.trim() ? raw.tokenRef : undefined;
  const secret = ref
    ? ""
    : ((type === "oauth" ? raw.access : type === "token" ? raw.token : (raw.key ?? raw.apiKey)) ?? "");
  const refresh = raw.refresh?.trim() ?? "";
  return {
    id,
    provider: raw.provider,
    type,
    secret: secret.trim(),
    refreshable: type === "oauth" && refresh !== "" && !refresh.startsWith(OPENCLAW_REFRESH_FENCE),
    ...(ref !== undefined ? { ref } : {}),
    ...(raw.expires !== undefined ? { expires: raw.expires } : {}),
    ...(raw.email !== undefined ? { email: raw.email } : {}),
    ...(raw.refreshedAt !== undefined ? { refreshedAt: raw.refreshedAt } : {}),
  };
}

/** All profiles of a file, normalised, in file order. */
export function listProfiles(file: AuthProfilesFile): AuthProfile[] {
  return Object.entries(file.profiles).map(([id, raw]) => normalizeProfile(id, raw));
}
