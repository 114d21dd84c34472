import {
  applyClear,
  applyFailure,
  applyQuota,
  applySuccess,
  type CooldownEntry,
  type CooldownStore,
  type CredentialState,
  type FailureInput,
} from "../auth/cooldowns.js";
import type { RateLimits } from "../auth/quota.js";
import { systemClock, type Clock } from "../util/clock.js";

/** A read-modify-write of one credential's state: the next state (undefined: write nothing) and a result. */
export type CredentialChange<T> = (prev: CredentialState | undefined) => {
  state: CredentialState | undefined;
  result: T;
};

/** What a session store backend keeps for cooldowns: every credential's state, and a way to change one. */
export interface CredentialStateStorage {
  /** Every credential's state as last seen; the backend keeps it fresh, so reads never wait. */
  credentialView(): ReadonlyMap<string, CredentialState>;
  /**
   * Applies `change` to the stored state, atomically across processes and instances, and updates
   * the view. `now` is when the change happened, for a backend that stores it with the state.
   */
  updateCredential<T>(credentialId: string, now: number, change: CredentialChange<T>): Promise<T>;
}

/**
 * The {@link CooldownStore} of every session store backend: the policy is here (auth/cooldowns.ts
 * computes each next state), the storage is the backend's. Reads come from memory; writes go through.
 */
export class BackendCooldowns implements CooldownStore {
  constructor(
    private readonly storage: CredentialStateStorage,
    private readonly clock: Clock = systemClock,
  ) {}

  get(credentialId: string): CredentialState | undefined {
    return this.storage.credentialView().get(credentialId);
  }
  async recordFailure(credentialId: string, failure: FailureInput): Promise<CooldownEntry> {
    return this.storage.updateCredential(credentialId, failure.now, (prev) => {
      const { state, entry } = applyFailure(prev, credentialId, failure);
      return { state, result: entry };
    });
  }
  async recordSuccess(
    credentialId: string,
    model: string | undefined,
    now: number,
    limits?: RateLimits,
  ): Promise<void> {
    await this.storage.updateCredential(credentialId, now, (prev) => ({
      state: applySuccess(prev, model, now, limits),
      result: undefined,
    }));
  }
  async recordRateLimits(
    credentialId: string,
    model: string | undefined,
    limits: RateLimits,
    now: number,
  ): Promise<void> {
    await this.storage.updateCredential(credentialId, now, (prev) => ({
      state: applyQuota(prev, model, limits, now),
      result: undefined,
    }));
  }
  async clear(credentialId: string): Promise<void> {
    await this.storage.updateCredential(credentialId, this.clock(), (prev) => ({
      state: applyClear(prev),
      result: undefined,
    }));
  }
  entries(): ReadonlyMap<string, CredentialState> {
    return this.storage.credentialView();
  }
}
