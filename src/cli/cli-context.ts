import { isCredentialVariable } from "../config/env.js";
import type { CatalogContext } from "../models/context.js";
import type { AuthProfileStore } from "../auth/store.js";
import type { AuthProfilesFile } from "../auth/profiles.js";
import type { CredentialResolver } from "../auth/resolver.js";
import type { CooldownStore } from "../auth/cooldowns.js";
import { envCredentials } from "../auth/env-keys.js";
import { assemble, type Assembly, type AssemblyInputs } from "../app/assemble.js";
import type { CliIo } from "./io.js";
import { cliLog } from "./cli-log.js";
import { selectAgent } from "./agent.js";

/** What most commands work with: the loaded state, the chosen agent, its credentials and the resolver. */
export interface CliContext {
  readonly io: CliIo;
  /** The services this command was built from (the session store among them, opened on use). */
  readonly app: Assembly;
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
  /** Closes what the command opened (the session store). */
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

/**
 * The assembly for a CLI command, over its io: warnings go to stderr, and every secret a SecretRef
 * yields is registered with `io` so no output can carry one whole.
 */
export function cliAssembly(io: CliIo, extra: Pick<AssemblyInputs, "onInvalidConfig" | "sections"> = {}): Assembly {
  return assemble({
    env: io.env,
    cwd: io.cwd,
    clock: io.clock,
    log: cliLog((line) => io.err(line)),
    onSecret: (secret) => io.rememberSecrets([secret]),
    ...extra,
  });
}

/**
 * Loads context for a command: config (a bad one throws a one-line `UserFacingError`), env,
 * catalog, the selected agent and a resolver, from `opts.app` when the command has assembled already. Every secret it sees is registered with `io` so no
 * output can carry one whole.
 */
export async function openCliContext(
  io: CliIo,
  opts: { agent?: string | undefined; app?: Assembly } = {},
): Promise<CliContext> {
  const app = opts.app ?? cliAssembly(io);
  const ctx = app.catalogContext();
  io.rememberSecrets(envSecrets(ctx));
  for (const w of ctx.loaded.warnings) io.err(`warning: ${w}`);
  const agentId = selectAgent(ctx, opts.agent);
  const store = app.credentials;
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
  const cooldowns = await app.cooldowns();
  const refs = app.secretRefs();
  // Exec refs' programs run now, all at once, so resolving never waits for one.
  await refs.prefetch(() => {
    try {
      return [profiles(agentId)];
    } catch {
      // An unreadable file is reported by the command that needs it, after its own checks.
      return [];
    }
  });
  const resolver = app.resolver({ profiles: { get: profiles }, cooldowns, refs });
  return {
    io,
    app,
    ctx,
    agentId,
    store,
    cooldowns,
    resolver,
    profiles,
    forget: (id) => (id === undefined ? files.clear() : void files.delete(id)),
    agentFlag: agentId === ctx.defaultAgentId ? "" : ` --agent ${agentId}`,
    close: () => app.close(),
  };
}
