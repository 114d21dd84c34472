import type { OpenClawConfig } from "../config/schema.js";
import type { LoadedEnv } from "../config/env.js";
import { CredentialResolver, type ResolverDeps } from "./resolver.js";
import { resolveSecretRef, secretProvidersOf, type SecretRef, type SecretRefResult } from "./secret-ref.js";

/**
 * Resolves SecretRefs against `env` (never the working directory's `.env`) and the config's
 * `secrets.providers`; file and exec refs only while nobody else can change the config file at
 * `loaded.path`. `onSecret` sees every secret a ref resolved to, so a CLI can keep it out of its
 * output.
 */
export function secretRefResolver(
  loaded: { readonly config: OpenClawConfig; readonly path: string },
  env: LoadedEnv,
  onSecret?: (secret: string) => void,
): (ref: SecretRef) => SecretRefResult {
  const ctx = {
    env: env.forRefs,
    onlyInCwd: env.onlyInCwd,
    providers: secretProvidersOf(loaded.config),
    configPath: loaded.path,
  };
  return (ref) => {
    const r = resolveSecretRef(ref, ctx);
    if (r.ok) onSecret?.(r.value);
    return r;
  };
}

/** What a resolver is built from: {@link ResolverDeps}, with SecretRefs resolved as {@link secretRefResolver} does. */
export interface ResolverInputs extends Omit<ResolverDeps, "secretRefs" | "env"> {
  /** The merged environment: its values feed env keys, its {@link LoadedEnv.forRefs} the SecretRefs. */
  readonly env: LoadedEnv;
  /** The config file `config` was read from: file and exec refs trust it only while it is private. */
  readonly configPath: string;
  /** Sees every secret a SecretRef resolved to. */
  readonly onSecret?: (secret: string) => void;
}

/** The one way a credential resolver is assembled, by the gateway and by every CLI command. */
export function createResolver(inputs: ResolverInputs): CredentialResolver {
  const { onSecret, env, configPath, ...deps } = inputs;
  return new CredentialResolver({
    ...deps,
    env: env.values,
    secretRefs: secretRefResolver({ config: deps.config, path: configPath }, env, onSecret),
  });
}
