import { unspokenApiText } from "../providers/call.js";
import fs from "node:fs";
import { summarizeLayout, type CredentialLayout } from "../auth/layout.js";
import path from "node:path";
import type { LoadedContext } from "../config/context.js";
import type { CatalogContext } from "../models/context.js";
import { stateEnvFile, agentDir, authProfilesPath, sessionStateDir } from "../config/paths.js";
import { parseEnvFile } from "../config/env.js";
import { configKeyFindings } from "./doctor-config-keys.js";
import { budgetFindings } from "./doctor-budgets.js";
import { agentIds, allowlistKey, configuredModel, defaultAgentId } from "../config/agents.js";
import { fallbackChain } from "../models/fallbacks.js";
import { resolveModelRef, providerOf } from "../models/ref.js";
import type { AuthProfilesFile } from "../auth/profiles.js";
import { listProfiles } from "../auth/profiles.js";
import { envCredentials, envKeyNotes } from "../auth/env-keys.js";
import { formatDuration, healthOf } from "../auth/health.js";
import { MemoryCooldownStore } from "../auth/cooldowns.js";
import { errorMessage } from "../gateway/log.js";
import { UserFacingError } from "../util/user-error.js";
import { assertCanWrite, DIR_MODE, FILE_MODE } from "../util/secure-fs.js";
import { fsReason } from "../util/fs-failure.js";
import { printableUrl, urlCredentials } from "../util/url-credentials.js";
import type { CliIo } from "./io.js";
import { cliAssembly, envSecrets, secretsOf } from "./cli-context.js";
import type { Assembly } from "../app/assemble.js";
import { addCredentialCommands, renewCommand } from "../auth/recovery.js";
import type { Finding } from "./doctor-finding.js";
import { configSections, gatewayPlugins } from "../app/plugins.js";
import { EXIT } from "./errors.js";
import { toJson } from "./format.js";
import { notInCatalogText } from "../models/near-misses.js";
import { aliasMenuNotes } from "./alias-commands.js";
import { oauthRefreshFindings, orderDriftFindings, secretProviderFindings } from "./doctor-credentials.js";

/** Flags of `openclaw doctor`. */
export interface DoctorOptions {
  readonly fix?: boolean;
  readonly json?: boolean;
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** State dir, agents dirs, credential files, `.env` and the config: each should be private to the owner. */
function privatePaths(state: string, config: readonly string[]): { path: string; dir: boolean; why: string }[] {
  const out = [
    { path: state, dir: true, why: "state directory" },
    { path: path.join(state, "agents"), dir: true, why: "agents directory" },
    { path: sessionStateDir(state), dir: true, why: "session state" },
    { path: stateEnvFile(state), dir: false, why: "holds provider keys" },
    ...config.map((p) => ({ path: p, dir: false, why: "config, may hold bot tokens" })),
  ];
  for (const id of agentDirsOnDisk(state)) {
    out.push({ path: path.join(state, "agents", id), dir: true, why: `agent ${id}` });
    out.push({ path: agentDir(state, id), dir: true, why: `agent ${id}` });
    out.push({ path: authProfilesPath(state, id), dir: false, why: `credentials of agent ${id}` });
  }
  return out;
}

function agentDirsOnDisk(state: string): string[] {
  try {
    return fs
      .readdirSync(path.join(state, "agents"), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

function checkModes(state: string, config: readonly string[], fix: boolean): Finding[] {
  const findings: Finding[] = [];
  let checked = 0;
  for (const p of privatePaths(state, config)) {
    let st: fs.Stats;
    try {
      st = fs.statSync(p.path);
    } catch {
      continue;
    }
    checked++;
    const want = p.dir ? DIR_MODE : FILE_MODE;
    if ((st.mode & 0o077) === 0) continue;
    const was = octal(st.mode);
    if (fix) {
      try {
        fs.chmodSync(p.path, want);
      } catch (err) {
        // One path doctor may not change must not hide what it could fix, nor the other paths.
        findings.push({
          check: "modes",
          severity: "error",
          message: `${p.path} is ${was} and could not be made ${octal(want)}: ${fsReason(err, p.path)} (${(err as NodeJS.ErrnoException).code ?? "error"}) (${p.why})`,
          fix: `chmod ${octal(want).slice(1)} ${p.path} as its owner (one marked immutable needs chattr -i first), or move the state directory where this user may change it`,
        });
        continue;
      }
      findings.push({
        check: "modes",
        severity: "fixed",
        message: `${p.path} was ${was}; now ${octal(want)} (${p.why})`,
      });
    } else {
      findings.push({
        check: "modes",
        severity: "error",
        message: `${p.path} is ${was}; should be ${octal(want)} (${p.why})`,
        fix: "openclaw doctor --fix",
      });
    }
  }
  if (findings.length === 0)
    findings.push({
      check: "modes",
      severity: "ok",
      message:
        checked === 0
          ? "no state path exists yet; each is created private"
          : `${checked} state paths are private (0700 dirs, 0600 files)`,
    });
  return findings;
}

/**
 * The state directory can be created and written, as the gateway will need: a probe file is
 * written (and directories made for it) and removed again, so nothing is left behind.
 */
function checkStateDir(state: string): Finding {
  const existed = fs.existsSync(state);
  try {
    assertCanWrite(path.join(state, "doctor"), { createDir: true });
  } catch (err) {
    const reason = err instanceof UserFacingError ? err.detail.message : errorMessage(err);
    return {
      check: "state-dir",
      severity: "error",
      message: `state directory ${state} ${existed ? "is not writable" : "cannot be created"}: ${reason}`,
      fix: `set OPENCLAW_STATE_DIR to a directory this user can create and write, or make ${state} writable; the gateway cannot run without it`,
    };
  }
  return {
    check: "state-dir",
    severity: "ok",
    message: existed
      ? `state directory ${state} is writable`
      : `state directory ${state} does not exist yet; it can be created`,
  };
}

/**
 * The services over the config when it is valid; otherwise over an empty config at the same paths,
 * so the other checks still run. Either way the config's finding comes first.
 */
function assembleOrFallback(io: CliIo, findings: Finding[]): Assembly {
  let invalid = false;
  const app = cliAssembly(io, {
    // The plugins' own sections are checked as the gateway checks them, mistakes named per plugin.
    sections: configSections(gatewayPlugins()),
    onInvalidConfig: (err) => {
      invalid = true;
      const what =
        err.detail.code === "config_syntax"
          ? "fix the syntax at the line and column named above"
          : "fix the key named above";
      findings.push({
        check: "config",
        severity: "error",
        message: err.detail.message,
        fix: `${what}; other checks ran with an empty config`,
      });
    },
  });
  const loaded = app.context.loaded;
  if (!invalid)
    findings.push({
      check: "config",
      severity: "ok",
      message: loaded.exists
        ? `config ${loaded.path} is valid`
        : `config ${loaded.path} does not exist; built-in defaults apply`,
    });
  return app;
}

/** How long the session store check waits for Redis to answer PING. */
const STORE_PING_TIMEOUT_MS = 2000;

/** The nearest directory that exists, at or above `dir`. */
function existingAncestor(dir: string): string {
  let d = dir;
  while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

/**
 * Connects, sends PING and disconnects, all within `timeoutMs`; ioredis is loaded only here. No
 * reconnects, no offline queue: a server that refuses, never answers or answers garbage fails
 * fast, and nothing is left running that would keep the process alive.
 */
async function pingRedis(
  url: string,
  timeoutMs: number,
): Promise<{ ok: true; ms: number } | { ok: false; reason: string }> {
  const { Redis } = await import("ioredis");
  const client = new Redis(url, {
    lazyConnect: true,
    // The deadline below bounds the connection too. ioredis's connect timer, and the timer its
    // disconnect() arms, outlive a refused connection and would keep the process alive that long.
    connectTimeout: 0,
    disconnectTimeout: 100,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    retryStrategy: () => null,
  });
  // ioredis rejects with a bare "Connection is closed."; the error event says why.
  let cause: unknown;
  client.on("error", (err: unknown) => (cause ??= err));
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  const started = performance.now();
  try {
    await Promise.race([
      (async () => {
        await client.connect();
        const pong = await client.ping();
        if (pong !== "PONG") throw new Error(`unexpected PING reply ${JSON.stringify(pong)}`);
      })(),
      deadline,
    ]);
    return { ok: true, ms: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, reason: errorMessage(cause ?? err) };
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

/**
 * `session.store` is reachable, as the gateway will open it: SQLite opens (a file not created yet
 * is fine when its directory can be created; doctor does not create it), Redis answers PING within
 * {@link STORE_PING_TIMEOUT_MS}. The gateway refuses to start without its store.
 */
async function checkSessionStore(ctx: LoadedContext, io: CliIo, app: Assembly): Promise<Finding> {
  const { sessionStoreLocation } = await import("../sessions/open.js");
  const location = sessionStoreLocation(ctx.loaded.config, ctx.stateDir);
  if (location.kind === "redis") {
    // Whatever an error from the server or the driver repeats of them is redacted too.
    io.rememberSecrets(urlCredentials(location.url));
    const fix = `start Redis there, or correct session.store.url in ${ctx.loaded.ownPath}; the gateway does not start without its session store`;
    const where = `Redis ${printableUrl(location.url)}${location.keyPrefix !== undefined ? ` (keyPrefix ${JSON.stringify(location.keyPrefix)})` : ""}`;
    const r = await pingRedis(location.url, STORE_PING_TIMEOUT_MS);
    if (r.ok)
      return { check: "session-store", severity: "ok", message: `session store ${where} answered PING in ${r.ms} ms` };
    return {
      check: "session-store",
      severity: "error",
      message: `session store ${where} is not reachable: ${r.reason}`,
      fix,
    };
  }
  if (!fs.existsSync(location.file)) {
    const ancestor = existingAncestor(path.dirname(location.file));
    try {
      fs.accessSync(ancestor, fs.constants.W_OK | fs.constants.X_OK);
    } catch {
      return {
        check: "session-store",
        severity: "error",
        message: `session store ${location.file} cannot be created: ${ancestor} is not writable`,
        fix: `make ${ancestor} writable, or point session.store at another file in ${ctx.loaded.ownPath}`,
      };
    }
    return {
      check: "session-store",
      severity: "ok",
      message: `session store ${location.file} does not exist yet; the gateway creates it at first start`,
    };
  }
  try {
    const store = await app.existingSessions();
    await store?.list({ limit: 1 });
    return { check: "session-store", severity: "ok", message: `session store ${location.file} opens (SQLite)` };
  } catch (err) {
    const message = err instanceof UserFacingError ? err.detail.message : errorMessage(err);
    return {
      check: "session-store",
      severity: "error",
      message: `session store ${location.file} does not open: ${message}`,
      fix: `repair or move ${location.file} away, or point session.store at another file in ${ctx.loaded.ownPath}`,
    };
  }
}

/**
 * Which credential store an agent uses, and why. `--fix` never converts one layout into the other:
 * with both a JSON file and an OpenClaw 2026.9 SQLite store present, it only explains the choice.
 */
function storeFindings(agentId: string, layout: CredentialLayout): Finding[] {
  const summary = summarizeLayout(layout);
  const out: Finding[] = [{ check: "credential-store", severity: "ok", message: `agent ${agentId}: ${summary.text}` }];
  if (summary.ignoredFile !== undefined) {
    out.push({
      check: "credential-store",
      severity: "warn",
      message: `agent ${agentId}: ${summary.ignoredFile} is ignored: OpenClaw 2026.9's SQLite store holds this agent's credentials (OpenClaw does not read the retired file either)`,
      fix: "import it into SQLite with OpenClaw's own `openclaw doctor --fix` (it keeps a backup), or move the file out of the state directory if its profiles are stale; this doctor never migrates it",
    });
  }
  return out;
}

/**
 * `openclaw doctor`: config validity, private file modes (`--fix` repairs them), unreadable or
 * expired credentials, missing credentials for each agent's default model, provider keys only a
 * login shell can see, keys refused from `./.env`, channels nobody may use, whether the session
 * store (SQLite file or Redis) can be reached, and each budget with its use and reset. Exit 0 when
 * nothing is wrong, 1 otherwise.
 */
export async function runDoctor(io: CliIo, opts: DoctorOptions): Promise<number> {
  const findings: Finding[] = [];
  const app = assembleOrFallback(io, findings);
  const ctx = app.catalogContext();
  io.rememberSecrets(envSecrets(ctx));
  const now = io.clock();
  const config = ctx.loaded.config;
  const scopeFor = (agentId: string) => ({
    configPath: ctx.loaded.path,
    stateDir: ctx.stateDir,
    agentFlag: agentId === ctx.defaultAgentId ? "" : ` --agent ${agentId}`,
    now,
  });

  findings.push(checkStateDir(ctx.stateDir));
  findings.push(...checkModes(ctx.stateDir, [ctx.loaded.path, ctx.loaded.ownPath], opts.fix === true));
  findings.push(...secretProviderFindings(ctx));

  // Credential files: readable, and no expired or expiring profile.
  const store = app.credentials;
  const files = new Map<string, AuthProfilesFile>();
  const agents = [...new Set([...agentIds(config), ...agentDirsOnDisk(ctx.stateDir)])];
  for (const agentId of agents) {
    try {
      findings.push(...storeFindings(agentId, store.layout(agentId)));
      const file = store.read(agentId);
      io.rememberSecrets(secretsOf(file));
      files.set(agentId, file);
    } catch (err) {
      if (!(err instanceof UserFacingError)) throw err;
      findings.push({
        check: "credentials",
        severity: "error",
        message: err.detail.message,
        fix: "repair or remove the file named above",
      });
      files.set(agentId, { profiles: {} });
    }
  }
  let tokens = 0;
  for (const [agentId, file] of files) {
    for (const p of listProfiles(file)) {
      const health = healthOf(p.expires, now);
      if (p.expires !== undefined) tokens++;
      // Refreshable OAuth profiles are renewed before use; oauthRefreshFindings reports them.
      if (p.refreshable) continue;
      const fix = renewCommand(p.provider, p.type, p.id, scopeFor(agentId).agentFlag);
      if (health === "expired")
        findings.push({
          check: "expiry",
          severity: "error",
          message: `${p.id} (agent ${agentId}) expired ${formatDuration(now - (p.expires ?? now))} ago`,
          fix,
        });
      if (health === "expiring")
        findings.push({
          check: "expiry",
          severity: "warn",
          message: `${p.id} (agent ${agentId}) expires in ${formatDuration((p.expires ?? now) - now)}`,
          fix,
        });
    }
  }
  if (!findings.some((f) => f.check === "expiry"))
    findings.push({
      check: "expiry",
      severity: "ok",
      message: tokens
        ? `${tokens} credential${tokens > 1 ? "s" : ""} with an expiry, none expiring within 24 h`
        : "no stored credential expires",
    });
  findings.push(...(await configKeyFindings(ctx, files, io.clock, opts.fix === true)));
  findings.push(...(await oauthRefreshFindings(app, io, files, opts.fix === true)));

  // The session store, as the gateway opens it. Cooldowns are read from it only when it answered,
  // so an unreachable store costs one timeout, not two.
  const storeFinding = await checkSessionStore(ctx, io, app);
  findings.push(storeFinding);
  const cooldowns = storeFinding.severity === "ok" ? await app.cooldowns() : new MemoryCooldownStore();
  // Each budget with its use: read from the ledger in the same store, when it answered.
  const ledger = storeFinding.severity === "ok" ? (await app.existingSessions())?.ledger : undefined;
  findings.push(...(await budgetFindings(config.budgets, ledger, now, config.usage?.ledger !== false)));

  // Every configured agent's default model needs a usable credential, as the resolver sees it.
  try {
    const refs = app.secretRefs();
    await refs.prefetch(() => files.values());
    const resolver = app.resolver({ profiles: { get: (id) => files.get(id) ?? { profiles: {} } }, cooldowns, refs });
    findings.push(...(await orderDriftFindings(ctx, files, resolver, store, opts.fix === true)));
    for (const agentId of agentIds(config)) {
      const ref = configuredModel(config, agentId) ?? ctx.catalog.defaultModel;
      const r = resolveModelRef(ctx.catalog, ref);
      const provider = r.ok ? r.value.provider : providerOf(ref);
      const res = resolver.resolve({ agentId, provider, model: r.ok ? r.value.ref : ref });
      // An uncatalogued model of a known provider stays allowed (catalogs lag releases), but a typo
      // would otherwise pass every check and fail only at the first chat.
      if (r.ok && r.value.model === undefined) {
        findings.push({
          check: "model",
          severity: "warn",
          message: `agent ${agentId}: default model ${notInCatalogText(ctx.catalog, r.value.ref)}`,
          fix: `openclaw models list --provider ${provider}`,
        });
      }
      // Budgets count priced turns only: say which default model they cannot count.
      if (config.budgets !== undefined && r.ok && r.value.model !== undefined && r.value.model.cost === undefined)
        findings.push({
          check: "budgets",
          severity: "warn",
          message: `agent ${agentId}: default model ${r.value.ref} has no price, so budgets cannot count its turns (a refuse limit refuses them, a warn limit never warns)`,
          fix: `give it a price (cost: { input, output, cacheRead, cacheWrite } in USD per million tokens) under models.providers.${provider}.models[] in openclaw.json, or choose a priced default model`,
        });
      const unspoken = r.ok
        ? unspokenApiText(ctx.catalog.providers.get(provider) ?? { id: provider, api: "anthropic-messages" })
        : undefined;
      if (unspoken !== undefined)
        findings.push({
          check: "model",
          severity: "error",
          message: `agent ${agentId}: default model ${r.ok ? r.value.ref : ref}: ${unspoken}`,
          fix: `set models.providers.${provider}.api to anthropic-messages or openai-completions if the endpoint speaks one, or choose another default model`,
        });
      if (res.chosen) {
        findings.push({
          check: "missing-auth",
          severity: "ok",
          message: `agent ${agentId}: ${r.ok ? r.value.ref : ref} uses ${res.chosen.id} (${res.chosen.masked})`,
        });
      } else {
        const cmds = addCredentialCommands(provider, ctx.catalog.providers.get(provider), scopeFor(agentId));
        findings.push({
          check: "missing-auth",
          severity: "error",
          message: `agent ${agentId}: no usable ${provider} credential for the default model ${r.ok ? r.value.ref : ref} (${res.error?.code ?? "no_credential"})`,
          fix: cmds.join(" | "),
        });
      }
    }
  } finally {
    await app.close();
  }

  for (const agentId of agentIds(config)) findings.push(...fallbackFindings(ctx, agentId));
  const unset = defaultModelFinding(ctx);
  if (unset) findings.push(unset);

  // Keys a daemon would not see, and keys the working directory's .env may not set.
  const stateEnv = parseEnvFile(safeRead(stateEnvFile(ctx.stateDir)));
  const envFile = stateEnvFile(ctx.stateDir);
  const shellOnly = new Set<string>();
  for (const p of ctx.catalog.providers.values()) {
    for (const c of envCredentials(p, ctx.env.values)) {
      if (ctx.env.sources[c.variable] === "process" && stateEnv[c.variable] === undefined) shellOnly.add(c.variable);
    }
  }
  for (const v of shellOnly) {
    findings.push({
      check: "env",
      severity: "warn",
      message: `${v} is set only in this shell's environment; a gateway started as a service will not see it`,
      fix: `add ${v}=... to ${envFile} (mode 0600)`,
    });
  }
  findings.push(...envKeyFindings(ctx));
  for (const v of ctx.env.refusedFromCwd) {
    findings.push({
      check: "env",
      severity: "warn",
      message: `${path.join(io.cwd, ".env")} sets ${v}, which is ignored: provider keys and OPENCLAW_* never come from the working directory's .env`,
      fix: `move ${v} to ${envFile}`,
    });
  }
  if (!findings.some((f) => f.check === "env"))
    findings.push({
      check: "env",
      severity: "ok",
      message: "provider keys are visible to a service (or none are set in the environment)",
    });

  // A configured channel where nobody may run commands.
  const channels = config.channels ?? {};
  const allowFrom = config.commands?.allowFrom ?? {};
  const owners = config.commands?.ownerAllowFrom ?? [];
  for (const name of ["telegram", "discord"] as const) {
    const ch = channels[name];
    if (!ch || ch.enabled === false) continue;
    const allowed = (allowFrom[name]?.length ?? 0) + (allowFrom["*"]?.length ?? 0);
    const channelOwners = owners.filter((o) => o.startsWith(`${name}:`)).length;
    if (allowed === 0 && channelOwners === 0) {
      findings.push({
        check: "channels",
        severity: "warn",
        message: `channels.${name} is configured but nobody may use commands there (no commands.allowFrom.${name} entry and no ${name} owner)`,
        fix: `add your user id to commands.allowFrom.${name} or "${name}:<userId>" to commands.ownerAllowFrom in ${ctx.loaded.path}`,
      });
    } else {
      findings.push({
        check: "channels",
        severity: "ok",
        message: `channels.${name}: ${allowed} allowFrom entr${allowed === 1 ? "y" : "ies"}, ${channelOwners} owner${channelOwners === 1 ? "" : "s"}`,
      });
    }
  }

  // An alias command a channel's own name rule keeps out of its menu (`/test.alias`).
  for (const note of aliasMenuNotes(config, ctx.catalog))
    findings.push({ check: "aliases", severity: "info", message: note });

  // dmScope "main" (OpenClaw's default) gives every direct message one session: right for a
  // personal bot, a privacy problem (one conversation, one pin) for a bot several people use.
  if ((config.session?.dmScope ?? "main") === "main") {
    const shared = (["telegram", "discord"] as const).filter((name) => {
      const ch = channels[name];
      const list = allowFrom[name] ?? allowFrom["*"] ?? [];
      return ch !== undefined && ch.enabled !== false && (list.includes("*") || list.length > 1);
    });
    if (shared.length > 0) {
      findings.push({
        check: "channels",
        severity: "warn",
        message: `session.dmScope is "main": every direct message on ${shared.join(" and ")} shares one session (model, pin and conversation), and several people may write to the bot`,
        fix: `set session.dmScope to "per-channel-peer" in ${ctx.loaded.path}`,
      });
    }
  }

  const problems = findings.filter((f) => f.severity === "warn" || f.severity === "error");
  if (opts.json) {
    io.out(toJson({ stateDir: ctx.stateDir, configPath: ctx.loaded.path, ok: problems.length === 0, findings }));
  } else {
    const mark = { ok: "✓", info: "i", fixed: "✓", warn: "!", error: "✗" } as const;
    const lines = [`Doctor · state ${ctx.stateDir}`];
    for (const f of findings) {
      lines.push(`  ${mark[f.severity]} ${f.severity === "fixed" ? "fixed: " : ""}${f.message}`);
      if (f.fix && (f.severity === "warn" || f.severity === "error")) lines.push(`      fix: ${f.fix}`);
    }
    const fixable = opts.fix ? 0 : problems.filter((f) => f.check === "modes" || f.check === "auth-order").length;
    const fixed = findings.filter((f) => f.severity === "fixed").length;
    lines.push("");
    lines.push(
      `${fixed ? `Fixed ${fixed}; ` : ""}${
        problems.length === 0
          ? `${fixed ? "n" : "N"}o problems ${fixed ? "left" : "found"}.`
          : `${problems.length} problem${problems.length > 1 ? "s" : ""} ${fixed ? "left" : "found"}${fixable ? ` (${fixable} fixable with --fix)` : ""}.`
      }`,
    );
    io.out(lines.join("\n"));
  }
  return problems.length === 0 ? EXIT.ok : EXIT.problem;
}

/** OpenClaw 2026.9's built-in default model, which it uses when the config names none. */
const OPENCLAW_BUILTIN_DEFAULT = "openai/gpt-6-astra";

/**
 * With no model configured, the two programs sharing this state pick different built-in defaults
 * (OpenClaw's needs its Codex runtime, which we do not speak), so they disagree on the model,
 * the credential and `--check` until the config names one.
 */
function defaultModelFinding(ctx: CatalogContext): Finding | undefined {
  const config = ctx.loaded.config;
  const agentId = defaultAgentId(config);
  if (configuredModel(config, agentId) !== undefined) return undefined;
  return {
    check: "model",
    severity: "info",
    message: `no model is configured for agent ${agentId}: this gateway uses its built-in default ${ctx.catalog.defaultModel}, OpenClaw its own (${OPENCLAW_BUILTIN_DEFAULT}); set agents.defaults.model (\`openclaw onboard\`, or /model <model> -g) so both use one`,
  };
}

/** Configured fallbacks a chat turn never tries: outside the agent's allowlist, pricier than the default, or unknown models. */
function fallbackFindings(ctx: CatalogContext, agentId: string): Finding[] {
  const config = ctx.loaded.config;
  const primary = configuredModel(config, agentId) ?? ctx.catalog.defaultModel;
  const chain = fallbackChain(config, ctx.catalog, agentId, primary);
  const findings: Finding[] = [];
  for (const step of chain.steps) {
    if (step.skip === "not_allowed" && step.model) {
      const allow = allowlistKey(config, agentId);
      findings.push({
        check: "model",
        severity: "warn",
        message: `agent ${agentId}: fallback ${step.model.ref} (${chain.key}) is not in ${allow}, so it is never tried`,
        fix: `add "${step.model.ref}" (or "${step.model.provider}/*") to ${allow}, or remove it from ${chain.key}, in ${ctx.loaded.path}`,
      });
    } else if (step.skip === "pricier" && step.model) {
      findings.push({
        check: "model",
        severity: "info",
        message: `agent ${agentId}: fallback ${step.model.ref} (${chain.key}) is never tried: ${step.why ?? "it costs more"}`,
      });
    } else if (step.skip === "unknown_model") {
      findings.push({
        check: "model",
        severity: "warn",
        message: `agent ${agentId}: fallback "${step.configured}" (${chain.key}) is not a known model, so it is never tried`,
        fix: "openclaw models list",
      });
    }
  }
  return findings;
}

/** Key variables read with their line breaks removed, or skipped as placeholders: named, never shown. */
function envKeyFindings(ctx: CatalogContext): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const p of ctx.catalog.providers.values()) {
    for (const { variable, note } of envKeyNotes(p, ctx.env.values)) {
      if (seen.has(`${variable}\n${note}`)) continue;
      seen.add(`${variable}\n${note}`);
      const where = sourceName(ctx, variable);
      out.push(
        note === "reformatted"
          ? {
              check: "env",
              severity: "warn",
              message: `${variable} (${where}) holds line breaks or surrounding whitespace; they were removed, as paste-token does`,
              fix: `write ${variable} on one line, without spaces`,
            }
          : {
              check: "env",
              severity: "warn",
              message: `${variable} (${where}) is empty, "undefined" or "null"; it is not a credential and is skipped`,
              fix: `remove ${variable} or set it to a real key`,
            },
      );
    }
  }
  return out;
}

function sourceName(ctx: LoadedContext, variable: string): string {
  switch (ctx.env.sources[variable]) {
    case "state-dotenv":
      return stateEnvFile(ctx.stateDir);
    case "config":
      return `env block of ${ctx.loaded.path}`;
    default:
      return "process environment";
  }
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
