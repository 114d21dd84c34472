import * as z from "zod/mini";
import "../util/zod-messages.js";
import { backoffDelay, type Backoff } from "../util/backoff.js";
import { applyRateLimits, quotaEntrySchema, type RateLimits } from "./quota.js";

/** One cooldown: profile-wide (`model` absent) or for one model only (rate limits). */
const cooldownEntrySchema = z.readonly(
  z.object({
    credentialId: z.string(),
    model: z.optional(z.string()),
    /** Why the credential failed, as far as cooldowns care. */
    reason: z.enum(["auth", "billing", "rate_limit", "incompatible"]),
    /** Epoch ms until which the credential is not tried. */
    until: z.number(),
    /** Consecutive failures of this kind; drives the back-off. */
    errorCount: z.number(),
    lastFailureAt: z.number(),
  }),
);

/**
 * What the resolver needs to know about a credential beyond the secret file. The one definition:
 * the types below are inferred from it, and session store backends validate stored rows with it.
 */
export const credentialStateSchema = z.readonly(
  z.object({
    cooldowns: z.readonly(z.array(cooldownEntrySchema)),
    lastUsedAt: z.optional(z.number()),
    /** The latest rate limits the provider reported, per model: rotation skips a profile at zero. */
    quotas: z.optional(z.readonly(z.array(quotaEntrySchema))),
  }),
);

/** One cooldown: profile-wide (`model` absent) or for one model only (rate limits). */
export type CooldownEntry = z.infer<typeof cooldownEntrySchema>;
/** Why a credential failed, as far as cooldowns care. */
export type CooldownReason = CooldownEntry["reason"];
/** What the resolver needs to know about a credential beyond the secret file. */
export type CredentialState = z.infer<typeof credentialStateSchema>;

/**
 * Cooldown and last-use state, shared by every instance through the session store backend.
 * Reads are synchronous (served from memory, kept fresh by the backend) because the resolver runs
 * on every message; writes are asynchronous.
 */
export interface CooldownStore {
  /** The credential's state, or undefined when it never failed and was never used. */
  get(credentialId: string): CredentialState | undefined;
  /** Records a failure and returns the cooldown it started (computed by {@link nextCooldown}). */
  recordFailure(credentialId: string, failure: FailureInput): Promise<CooldownEntry>;
  /**
   * Records a successful call: clears that credential's cooldowns for the model and marks it used,
   * with the rate limits the answer reported, in one write (it happens on every answered turn).
   */
  recordSuccess(credentialId: string, model: string | undefined, now: number, limits?: RateLimits): Promise<void>;
  /**
   * Records the rate limits a call reported (success or failure), replacing what that model's
   * calls reported before, so the resolver can skip a profile at zero before the provider says 429.
   */
  recordRateLimits(credentialId: string, model: string | undefined, limits: RateLimits, now: number): Promise<void>;
  /** Drops every cooldown of a credential (operator action). */
  clear(credentialId: string): Promise<void>;
  /** Every credential with state, for status views. */
  entries(): ReadonlyMap<string, CredentialState>;
}

/** A failure to record. */
export interface FailureInput {
  readonly reason: CooldownReason;
  readonly model?: string;
  readonly retryAfterMs?: number;
  readonly now: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const RATE_LIMIT_STEPS = [30 * SECOND, MINUTE, 5 * MINUTE] as const;
const AUTH_MAX = 24 * HOUR;
const AUTH_BACKOFF: Backoff = { initialMs: 10 * MINUTE, maxMs: AUTH_MAX };
/** After this long without a failure, back-off counters start again. */
export const QUIET_RESET_MS = 24 * HOUR;

/**
 * DESIGN section 3's back-off. Rate limits cool one profile+model: `retry-after` when given, else
 * 30 s, 1 min, then 5 min. Auth and billing cool the whole profile: 10 min, doubling up to 24 h
 * while it keeps failing. An incompatible credential (Claude Code only) is set aside for 24 h.
 */
export function nextCooldown(prev: CooldownEntry | undefined, credentialId: string, f: FailureInput): CooldownEntry {
  const fresh = !prev || f.now - prev.lastFailureAt > QUIET_RESET_MS;
  const errorCount = fresh ? 1 : prev.errorCount + 1;
  let duration: number;
  if (f.reason === "rate_limit") {
    duration = f.retryAfterMs ?? RATE_LIMIT_STEPS[Math.min(errorCount, RATE_LIMIT_STEPS.length) - 1] ?? 5 * MINUTE;
  } else if (f.reason === "incompatible") {
    // A Claude-Code-only token does not become usable by waiting; try it again once a day at most.
    duration = AUTH_MAX;
  } else {
    duration = backoffDelay(AUTH_BACKOFF, errorCount - 1);
  }
  const entry: CooldownEntry = {
    credentialId,
    reason: f.reason,
    until: f.now + duration,
    errorCount,
    lastFailureAt: f.now,
  };
  return f.reason === "rate_limit" && f.model !== undefined ? { ...entry, model: f.model } : entry;
}

/** The cooldown that blocks `model` at `now`, if any: a profile-wide one or one for that model. */
export function activeCooldown(
  state: CredentialState | undefined,
  model: string | undefined,
  now: number,
): CooldownEntry | undefined {
  if (!state) return undefined;
  let found: CooldownEntry | undefined;
  for (const c of state.cooldowns) {
    if (c.until <= now) continue;
    if (c.model !== undefined && c.model !== model) continue;
    if (!found || c.until > found.until) found = c;
  }
  return found;
}

/** Merges a new failure into a state: the entry with the same scope (profile-wide or model) is replaced. */
export function applyFailure(
  state: CredentialState | undefined,
  credentialId: string,
  f: FailureInput,
): { state: CredentialState; entry: CooldownEntry } {
  const scopeModel = f.reason === "rate_limit" ? f.model : undefined;
  const cooldowns = state?.cooldowns ?? [];
  const prev = cooldowns.find((c) => c.model === scopeModel && c.reason === f.reason);
  const entry = nextCooldown(prev, credentialId, f);
  const rest = cooldowns.filter((c) => c !== prev);
  const next: CredentialState = { ...state, cooldowns: [...rest, entry] };
  return { state: next, entry };
}

/** Clears what a success proves healthy: the profile-wide entries and the entry for that model. */
export function applySuccess(
  state: CredentialState | undefined,
  model: string | undefined,
  now: number,
  limits?: RateLimits,
): CredentialState {
  const cooldowns = (state?.cooldowns ?? []).filter((c) => c.model !== undefined && c.model !== model);
  const used = { ...state, cooldowns, lastUsedAt: now };
  return limits ? applyQuota(used, model, limits, now) : used;
}

/** A state with the rate limits of a call for `model` recorded (see {@link applyRateLimits}). */
export function applyQuota(
  state: CredentialState | undefined,
  model: string | undefined,
  limits: RateLimits,
  now: number,
): CredentialState {
  return { cooldowns: [], ...state, quotas: applyRateLimits(state?.quotas, model, limits, now) };
}

/** A state without its cooldowns, or undefined when it has none to clear (nothing to write). */
export function applyClear(state: CredentialState | undefined): CredentialState | undefined {
  return state && state.cooldowns.length > 0 ? { ...state, cooldowns: [] } : undefined;
}

/** An in-process {@link CooldownStore}, for the CLI and single-process tests. */
export class MemoryCooldownStore implements CooldownStore {
  private readonly states = new Map<string, CredentialState>();

  get(credentialId: string): CredentialState | undefined {
    return this.states.get(credentialId);
  }
  async recordFailure(credentialId: string, failure: FailureInput): Promise<CooldownEntry> {
    const { state, entry } = applyFailure(this.states.get(credentialId), credentialId, failure);
    this.states.set(credentialId, state);
    return entry;
  }
  async recordSuccess(
    credentialId: string,
    model: string | undefined,
    now: number,
    limits?: RateLimits,
  ): Promise<void> {
    this.states.set(credentialId, applySuccess(this.states.get(credentialId), model, now, limits));
  }
  async recordRateLimits(
    credentialId: string,
    model: string | undefined,
    limits: RateLimits,
    now: number,
  ): Promise<void> {
    this.states.set(credentialId, applyQuota(this.states.get(credentialId), model, limits, now));
  }
  async clear(credentialId: string): Promise<void> {
    const next = applyClear(this.states.get(credentialId));
    if (next) this.states.set(credentialId, next);
  }
  entries(): ReadonlyMap<string, CredentialState> {
    return this.states;
  }
}
