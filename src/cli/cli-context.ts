import { isCredentialVariable } from "../config/env.js";
import { loadContext, type LoadedContext } from "../config/context.js";
import { stateEnvFile } from "../config/paths.js";
import { withCatalog, type CatalogContext } from "../models/context.js";
import { AuthProfileStore } from "../auth/store.js";
import type { AuthProfilesFile } from "../auth/profiles.js";
import type { CredentialResolver } from "../auth/resolver.js";
import { createResolver } from "../auth/create-resolver.js";
import { SecretRefs } from "../auth/secret-refs.js";
import type { CooldownStore } from "../auth/cooldowns.js";
import { envCredentials } from "../auth/env-keys.js";
import type { CliIo } from "./io.js";
import { selectAgent } from "./agent.js";
import { openCooldownSource } from "./cooldown-source.js";

/** What most commands work with: the loaded state, the chosen agent, its credentials and the resolver. */
export interface CliContext {
  readonly io: CliIo;
  readonly ctx: CatalogContext;
  readonly agentId: string;
  readonly store: AuthProfileStore;
  readonly cooldowns: CooldownStore;
  /** THE resolver, over the files as read when the command started. */
  readonly resolver: CredentialResolver;
  /** An agent's credential file as read once by this command (re-read after {@link forget}). */
  profiles(agentId?: string): AuthProfilesFile;
  /** Drops the cached file of an agent after this command wrote it. */
  forget(agentId?: string): void;
  /** `--agent <id>` to append to suggested commands when the agent is not the default one. */
  readonly agentFlag: string;
  close(): Promise<void>;
}

const SECRET_FIELDS = ["key", "apiKey", "token", "access", "refresh"] as const;

/** Every secret-looking value in a credential file, for output redaction. */
export function secretsOf(file: AuthProfilesFile): string[] {
  const out: string[] = [];
  for (const raw of Object.values(file.profiles)) {
    for (const field of SECRET_FIELDS) {
      const v = raw[field];
      if (typeof v === "string") out.push(v, v.trim());
    }
  }
  return out;
}

/** Env values that hold credentials (provider keys, bot tokens), for output redaction. */
export function envSecrets(ctx: CatalogContext): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(ctx.env.values)) if (isCredentialVariable(k)) out.push(v);
  for (const p of ctx.catalog.providers.values()) for (const c of envCredentials(p, ctx.env.values)) out.push(c.secret);
  const ch = ctx.loaded.config.channels;
  for (const t of [ch?.telegram?.botToken, ch?.telegram?.webhookSecret, ch?.discord?.token])
    if (typeof t === "string" && t !== "") out.push(t);
  return out;
}

/** The SecretRefs of the command's env and config; every resolved secret is redacted from output. */
export function secretRefsFor(io: CliIo, ctx: LoadedContext): SecretRefs {
  return new SecretRefs(ctx.loaded, ctx.env, { onSecret: (secret) => io.rememberSecrets([secret]) });
}

/**
 * Loads context for a command: config (a bad one throws a one-line `UserFacingError`), env,
 * catalog, the selected agent and a resolver. Every secret it sees is registered with `io` so no
 * output can carry one whole.
 */
export async function openCliContext(io: CliIo, opts: { agent?: string | undefined } = {}): Promise<CliContext> {
  const ctx = withCatalog(loadContext({ processEnv: io.env, cwd: io.cwd }));
  io.rememberSecrets(envSecrets(ctx));
  for (const w of ctx.loaded.warnings) io.err(`warning: ${w}`);
  const agentId = selectAgent(ctx, opts.agent);
  const store = new AuthProfileStore(ctx.stateDir, io.clock);
  const files = new Map<string, AuthProfilesFile>();
  const profiles = (id: string = agentId): AuthProfilesFile => {
    let file = files.get(id);
    if (!file) {
      file = store.read(id);
      io.rememberSecrets(secretsOf(file));
      files.set(id, file);
    }
    return file;
  };
  const source = await openCooldownSource(ctx, (m) => io.err(m));
  const refs = secretRefsFor(io, ctx);
  // Exec refs' programs run now, all at once, so resolving never waits for one.
  await refs.prefetch(() => {
    try {
      return [profiles(agentId)];
    } catch {
      // An unreadable file is reported by the command that needs it, after its own checks.
      return [];
    }
  });
  const resolver = createResolver({
    config: ctx.loaded.config,
    catalog: ctx.catalog,
    profiles: { get: profiles },
    env: ctx.env,
    cooldowns: source.cooldowns,
    clock: io.clock,
    refs,
    envFile: stateEnvFile(ctx.stateDir),
  });
  return {
    io,
    ctx,
    agentId,
    store,
    cooldowns: source.cooldowns,
    resolver,
    profiles,
    forget: (id) => (id === undefined ? files.clear() : void files.delete(id)),
    agentFlag: agentId === ctx.defaultAgentId ? "" : ` --agent ${agentId}`,
    close: () => source.close(),
  };
}
