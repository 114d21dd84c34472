import type { LoadedEnv } from "../config/env.js";
import { CredentialResolver, type ResolverDeps } from "./resolver.js";
import type { SecretRefs } from "./secret-refs.js";

/** What a resolver is built from: {@link ResolverDeps}, with the merged environment and the config's SecretRefs. */
export interface ResolverInputs extends Omit<ResolverDeps, "secretRefs" | "env"> {
  /** The merged environment: its values feed env keys. */
  readonly env: LoadedEnv;
  /** Resolves profiles' SecretRefs; exec refs answer from their program's last run. */
  readonly refs: SecretRefs;
}

/** The one way a credential resolver is assembled, by the gateway and by every CLI command. */
export function createResolver(inputs: ResolverInputs): CredentialResolver {
  const { env, refs, ...deps } = inputs;
  return new CredentialResolver({ ...deps, env: env.values, secretRefs: refs.now });
}
