import fs from "node:fs";
import path from "node:path";
import { parse as parseDotenv } from "dotenv";
import { loadContext, type LoadedContext } from "../config/context.js";
import { configPath as configPathOf, stateDir as stateDirOf, stateEnvFile, agentDir, authProfilesPath, sessionStateDir } from "../config/paths.js";
import { loadEnv } from "../config/env.js";
import { agentIds, configuredModel, defaultAgentId } from "../config/agents.js";
import { buildCatalog } from "../models/catalog.js";
import { resolveModelRef, providerOf } from "../models/ref.js";
import { AuthProfileStore } from "../auth/store.js";
import type { AuthProfilesFile } from "../auth/profiles.js";
import { listProfiles } from "../auth/profiles.js";
import { CredentialResolver } from "../auth/resolver.js";
import { envCredentials } from "../auth/env-keys.js";
import { formatDuration, healthOf } from "../auth/health.js";
import { UserFacingError } from "../util/user-error.js";
import { DIR_MODE, FILE_MODE } from "../util/secure-fs.js";
import type { CliIo } from "./io.js";
import { envSecrets, secretsOf } from "./cli-context.js";
import { openCooldownSource } from "./cooldown-source.js";
import { addCredentialCommands, renewCommand } from "./recovery.js";
import { EXIT } from "./errors.js";
import { toJson } from "./format.js";

/** Flags of `openclaw doctor`. */
export interface DoctorOptions {
  readonly fix?: boolean;
  readonly json?: boolean;
}

/** One thing doctor checked. `ok` and `fixed` are healthy; `warn` and `error` make it exit 1. */
export interface Finding {
  readonly check: "config" | "modes" | "credentials" | "expiry" | "missing-auth" | "env" | "channels";
  readonly severity: "ok" | "fixed" | "warn" | "error";
  readonly message: string;
  readonly fix?: string;
}

const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** State dir, agents dirs, credential files, `.env` and the config: each should be private to the owner. */
function privatePaths(state: string, config: string): { path: string; dir: boolean; why: string }[] {
  const out = [
    { path: state, dir: true, why: "state directory" },
    { path: path.join(state, "agents"), dir: true, why: "agents directory" },
    { path: sessionStateDir(state), dir: true, why: "session state" },
    { path: stateEnvFile(state), dir: false, why: "holds provider keys" },
    { path: config, dir: false, why: "config, may hold bot tokens" },
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
    return fs.readdirSync(path.join(state, "agents"), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

function checkModes(state: string, config: string, fix: boolean): Finding[] {
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
      fs.chmodSync(p.path, want);
      findings.push({ check: "modes", severity: "fixed", message: `${p.path} was ${was}; now ${octal(want)} (${p.why})` });
    } else {
      findings.push({ check: "modes", severity: "error", message: `${p.path} is ${was}; should be ${octal(want)} (${p.why})`, fix: "openclaw doctor --fix" });
    }
  }
  if (findings.length === 0) findings.push({ check: "modes", severity: "ok", message: `${checked} state paths are private (0700 dirs, 0600 files)` });
  return findings;
}

/** The context when the config is valid; otherwise one built from an empty config so other checks still run. */
function loadOrFallback(io: CliIo, findings: Finding[]): LoadedContext {
  try {
    const ctx = loadContext({ processEnv: io.env, cwd: io.cwd });
    findings.push({ check: "config", severity: "ok", message: ctx.loaded.exists ? `config ${ctx.loaded.path} is valid` : `config ${ctx.loaded.path} does not exist; built-in defaults apply` });
    return ctx;
  } catch (err) {
    if (!(err instanceof UserFacingError)) throw err;
    findings.push({ check: "config", severity: "error", message: err.detail.message, fix: "fix the key named above; other checks ran with an empty config" });
    const state = stateDirOf(io.env);
    const config = {};
    return {
      stateDir: state,
      loaded: { path: configPathOf(io.env), exists: true, config },
      env: loadEnv({ processEnv: io.env, cwd: io.cwd, stateDir: state, config }),
      catalog: buildCatalog(config),
      defaultAgentId: defaultAgentId(config),
    };
  }
}

/**
 * `openclaw doctor`: config validity, private file modes (`--fix` repairs them), unreadable or
 * expired credentials, missing credentials for each agent's default model, provider keys only a
 * login shell can see, keys refused from `./.env`, and channels nobody may use. Exit 0 when
 * nothing is wrong, 1 otherwise.
 */
export async function runDoctor(io: CliIo, opts: DoctorOptions): Promise<number> {
  const findings: Finding[] = [];
  const ctx = loadOrFallback(io, findings);
  io.rememberSecrets(envSecrets(ctx));
  const now = io.clock();
  const config = ctx.loaded.config;
  const scopeFor = (agentId: string) => ({ configPath: ctx.loaded.path, stateDir: ctx.stateDir, agentFlag: agentId === ctx.defaultAgentId ? "" : ` --agent ${agentId}`, now });

  findings.push(...checkModes(ctx.stateDir, ctx.loaded.path, opts.fix === true));

  // Credential files: readable, and no expired or expiring profile.
  const store = new AuthProfileStore(ctx.stateDir);
  const files = new Map<string, AuthProfilesFile>();
  const agents = [...new Set([...agentIds(config), ...agentDirsOnDisk(ctx.stateDir)])];
  for (const agentId of agents) {
    try {
      const file = store.read(agentId);
      io.rememberSecrets(secretsOf(file));
      files.set(agentId, file);
    } catch (err) {
      if (!(err instanceof UserFacingError)) throw err;
      findings.push({ check: "credentials", severity: "error", message: err.detail.message, fix: `repair or remove ${store.pathFor(agentId)}` });
      files.set(agentId, { profiles: {} });
    }
  }
  let tokens = 0;
  for (const [agentId, file] of files) {
    for (const p of listProfiles(file)) {
      const health = healthOf(p.expires, now);
      if (p.expires !== undefined) tokens++;
      const fix = renewCommand(p.provider, p.type, p.id, scopeFor(agentId).agentFlag);
      if (health === "expired") findings.push({ check: "expiry", severity: "error", message: `${p.id} (agent ${agentId}) expired ${formatDuration(now - (p.expires ?? now))} ago`, fix });
      if (health === "expiring") findings.push({ check: "expiry", severity: "warn", message: `${p.id} (agent ${agentId}) expires in ${formatDuration((p.expires ?? now) - now)}`, fix });
    }
  }
  if (!findings.some((f) => f.check === "expiry")) findings.push({ check: "expiry", severity: "ok", message: tokens ? `${tokens} credential${tokens > 1 ? "s" : ""} with an expiry, none expiring within 24 h` : "no stored credential expires" });

  // Every configured agent's default model needs a usable credential, as the resolver sees it.
  const source = await openCooldownSource(ctx, (m) => io.err(m));
  try {
    const resolver = new CredentialResolver({
      config,
      catalog: ctx.catalog,
      profiles: { get: (id) => files.get(id) ?? { profiles: {} } },
      env: ctx.env.values,
      cooldowns: source.cooldowns,
      clock: io.clock,
    });
    for (const agentId of agentIds(config)) {
      const ref = configuredModel(config, agentId) ?? ctx.catalog.defaultModel;
      const r = resolveModelRef(ctx.catalog, ref);
      const provider = r.ok ? r.value.provider : providerOf(ref);
      const res = resolver.resolve({ agentId, provider, model: r.ok ? r.value.ref : ref });
      if (res.chosen) {
        findings.push({ check: "missing-auth", severity: "ok", message: `agent ${agentId}: ${r.ok ? r.value.ref : ref} uses ${res.chosen.id} (${res.chosen.masked})` });
      } else {
        const cmds = addCredentialCommands(provider, ctx.catalog.providers.get(provider), scopeFor(agentId));
        findings.push({ check: "missing-auth", severity: "error", message: `agent ${agentId}: no usable ${provider} credential for the default model ${r.ok ? r.value.ref : ref} (${res.error?.code ?? "no_credential"})`, fix: cmds.join(" | ") });
      }
    }
  } finally {
    await source.close();
  }

  // Keys a daemon would not see, and keys the working directory's .env may not set.
  const stateEnv = parseDotenv(safeRead(stateEnvFile(ctx.stateDir)));
  const envFile = stateEnvFile(ctx.stateDir);
  const shellOnly = new Set<string>();
  for (const p of ctx.catalog.providers.values()) {
    for (const c of envCredentials(p, ctx.env.values)) {
      if (ctx.env.sources[c.variable] === "process" && stateEnv[c.variable] === undefined) shellOnly.add(c.variable);
    }
  }
  for (const v of shellOnly) {
    findings.push({ check: "env", severity: "warn", message: `${v} is set only in this shell's environment; a gateway started as a service will not see it`, fix: `add ${v}=... to ${envFile} (mode 0600)` });
  }
  for (const v of ctx.env.refusedFromCwd) {
    findings.push({ check: "env", severity: "warn", message: `${path.join(io.cwd, ".env")} sets ${v}, which is ignored: provider keys and OPENCLAW_* never come from the working directory's .env`, fix: `move ${v} to ${envFile}` });
  }
  if (!findings.some((f) => f.check === "env")) findings.push({ check: "env", severity: "ok", message: "provider keys are visible to a service (or none are set in the environment)" });

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
      findings.push({ check: "channels", severity: "ok", message: `channels.${name}: ${allowed} allowFrom entr${allowed === 1 ? "y" : "ies"}, ${channelOwners} owner${channelOwners === 1 ? "" : "s"}` });
    }
  }

  const problems = findings.filter((f) => f.severity === "warn" || f.severity === "error");
  if (opts.json) {
    io.out(toJson({ stateDir: ctx.stateDir, configPath: ctx.loaded.path, ok: problems.length === 0, findings }));
  } else {
    const mark = { ok: "✓", fixed: "✓", warn: "!", error: "✗" } as const;
    const lines = [`Doctor · state ${ctx.stateDir}`];
    for (const f of findings) {
      lines.push(`  ${mark[f.severity]} ${f.severity === "fixed" ? "fixed: " : ""}${f.message}`);
      if (f.fix && (f.severity === "warn" || f.severity === "error")) lines.push(`      fix: ${f.fix}`);
    }
    const fixable = problems.filter((f) => f.check === "modes").length;
    lines.push("");
    lines.push(problems.length === 0 ? "No problems found." : `${problems.length} problem${problems.length > 1 ? "s" : ""} found${fixable ? ` (${fixable} fixable with --fix)` : ""}.`);
    io.out(lines.join("\n"));
  }
  return problems.length === 0 ? EXIT.ok : EXIT.problem;
}

function safeRead(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
