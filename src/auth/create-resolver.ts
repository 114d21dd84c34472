import type { OpenClawConfig } from "../config/schema.js";
import { CredentialResolver, type ResolverDeps } from "./resolver.js";
import { resolveSecretRef, secretProvidersOf, type SecretRef, type SecretRefResult } from "./secret-ref.js";

/**
 * Resolves SecretRefs against `env` and the config's `secrets.providers`. `onSecret` sees every
 * secret a ref resolved to, so a CLI can keep it out of its output.
 */
export function secretRefResolver(
  config: OpenClawConfig,
  env: Readonly<Record<string, string>>,
  onSecret?: (secret: string) => void,
): (ref: SecretRef) => SecretRefResult {
  return (ref) => {
    const r = resolveSecretRef(ref, { env, providers: secretProvidersOf(config) });
    if (r.ok) onSecret?.(r.value);
    return r;
  };
}

/** What a resolver is built from: {@link ResolverDeps}, with SecretRefs resolved as {@link secretRefResolver} does. */
export interface ResolverInputs extends Omit<ResolverDeps, "secretRefs"> {
  /** Sees every secret a SecretRef resolved to. */
  readonly onSecret?: (secret: string) => void;
}

/** The one way a credential resolver is assembled, by the gateway and by every CLI command. */
export function createResolver(inputs: ResolverInputs): CredentialResolver {
  const { onSecret, ...deps } = inputs;
  return new CredentialResolver({ ...deps, secretRefs: secretRefResolver(deps.config, deps.env, onSecret) });
}
