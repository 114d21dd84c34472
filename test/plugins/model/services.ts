import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig, type LoadedConfig } from "../../../src/config/load.js";
import { buildCatalog, type Catalog } from "../../../src/models/catalog.js";
import { AuthProfileStore, CachedProfileReader } from "../../../src/auth/store.js";
import { createResolver } from "../../../src/auth/create-resolver.js";
import { SecretRefs } from "../../../src/auth/secret-refs.js";
import { openSessionStore } from "../../../src/sessions/open.js";
import { sessionKeys } from "../../../src/sessions/keys.js";
import type { SessionStore } from "../../../src/sessions/types.js";
import type {
  ChannelCapabilities,
  CommandContext,
  CommandInvocation,
  GatewayServices,
  Reply,
} from "../../../src/gateway/types.js";
import { modelPlugin } from "../../../plugins/model/index.js";
import { replyOf } from "../../../src/gateway/host.js";

export const TELEGRAM: ChannelCapabilities = { maxLength: 4096, buttons: true, ephemeral: false };
export const DISCORD: ChannelCapabilities = { maxLength: 2000, buttons: true, ephemeral: true };
export const CONSOLE: ChannelCapabilities = { maxLength: 4096, buttons: false, ephemeral: false };
export const CHANNELS = { telegram: TELEGRAM, discord: DISCORD, console: CONSOLE } as const;
export type ChannelName = keyof typeof CHANNELS;

/** A fixed start time: 2026-05-01T12:00:00Z. */
export const T0 = Date.UTC(2026, 4, 1, 12);
export const HOUR = 3_600_000;

/** Secrets long enough to be masked as `first8…last4`. */
export const SECRETS = {
  work: `sk-ant-oat01-${"W".repeat(40)}Fq1x`,
  ci: `sk-ant-api03-${"C".repeat(40)}ci99`,
  old: `sk-ant-oat01-${"O".repeat(40)}old1`,
  openai: `sk-proj-${"P".repeat(40)}oa12`,
  envAnthropic: "sk-short-env",
};

/** Profiles for the `main` agent: a token expiring in 5 h, a key, an expired oauth, an OpenAI key with an awkward id. */
export function defaultProfiles(now = T0): object {
  return {
    version: 1,
    profiles: {
      "anthropic:work": { type: "token", provider: "anthropic", token: SECRETS.work, expires: now + 5 * HOUR },
      "anthropic:ci": { type: "api_key", provider: "anthropic", key: SECRETS.ci },
      "anthropic:old": { type: "oauth", provider: "anthropic", access: SECRETS.old, expires: now - HOUR },
      "openai:owner+work@example.com": { type: "api_key", provider: "openai", key: SECRETS.openai },
    },
  };
}

/** Who is talking, where. */
export interface Who {
  readonly channel?: ChannelName;
  readonly senderId?: string;
  readonly chatId?: string;
  readonly threadId?: string;
  readonly isGroup?: boolean;
  readonly isOwner?: boolean;
  readonly agentId?: string;
}

export interface Harness {
  readonly stateDir: string;
  readonly configPath: string;
  readonly services: GatewayServices;
  readonly sessions: SessionStore;
  /** The injected clock's current time; set it to move time. */
  now: number;
  ctx(who?: Who, inv?: Partial<Pick<CommandInvocation, "command" | "args" | "via">>): CommandContext;
  /** Runs `/command args` through the plugin's command handler, as the host would. */
  command(command: string, args?: string, who?: Who): Promise<Reply>;
  /** Runs typed text (`/model opus -g`) through the command handler. */
  text(line: string, who?: Who): Promise<Reply>;
  choose(payload: string, who?: Who): Promise<Reply>;
  message(text: string, who?: Who): Promise<{ text: string; notice?: string } | undefined>;
  readConfig(): string;
  close(): Promise<void>;
}

export interface HarnessOptions {
  readonly config?: object;
  readonly profiles?: object;
  readonly env?: Record<string, string>;
}

/**
 * Gateway services built from the real pieces over a temp state dir: config from `openclaw.json`
 * (re-read when the file changes, so `-a`/`-g` writes are seen), the catalog, the credential file
 * through `CachedProfileReader`, the one resolver, the real SQLite session store (its cooldowns
 * feed the resolver), and an injected clock.
 */
export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "model-plugin-"));
  fs.chmodSync(stateDir, 0o700);
  const configPath = path.join(stateDir, "openclaw.json");
  if (opts.config) fs.writeFileSync(configPath, `${JSON.stringify(opts.config, null, 2)}\n`, { mode: 0o600 });
  const profileStore = new AuthProfileStore(stateDir);
  if (opts.profiles !== undefined) {
    fs.mkdirSync(path.dirname(profileStore.pathFor("main")), { recursive: true, mode: 0o700 });
    fs.writeFileSync(profileStore.pathFor("main"), JSON.stringify(opts.profiles, null, 2), { mode: 0o600 });
  }
  const state = { now: T0 };
  const clock = () => state.now;
  const env = opts.env ?? {};

  let loaded: LoadedConfig = loadConfig(configPath);
  let catalog: Catalog = buildCatalog(loaded.config);
  const stampOf = () => {
    try {
      const st = fs.statSync(configPath);
      return `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      return "missing";
    }
  };
  let stamp = stampOf();
  const sessions = await openSessionStore({ config: loaded.config, stateDir, clock });
  const reader = new CachedProfileReader(profileStore, clock, 0);
  const loadedEnv = { values: env, sources: {}, refusedFromCwd: [], forRefs: env, onlyInCwd: new Set<string>() };
  const makeResolver = () =>
    createResolver({
      config: loaded.config,
      catalog,
      profiles: reader,
      env: loadedEnv,
      cooldowns: sessions.cooldowns,
      clock,
      refs: new SecretRefs(loaded, loadedEnv),
    });
  let resolver = makeResolver();
  const refresh = () => {
    const s = stampOf();
    if (s === stamp) return;
    stamp = s;
    loaded = loadConfig(configPath);
    catalog = buildCatalog(loaded.config);
    resolver = makeResolver();
  };
  const services: GatewayServices = {
    config: () => {
      refresh();
      return loaded;
    },
    catalog: () => {
      refresh();
      return catalog;
    },
    resolver: () => {
      refresh();
      return resolver;
    },
    profiles: reader,
    sessions,
    clock,
    stateDir,
  };

  const ctx = (
    who: Who = {},
    inv: Partial<Pick<CommandInvocation, "command" | "args" | "via">> = {},
  ): CommandContext => {
    const channel = who.channel ?? "telegram";
    const senderId = who.senderId ?? "100";
    const isGroup = who.isGroup ?? false;
    const chatId = who.chatId ?? (isGroup ? "-500" : senderId);
    const agentId = who.agentId ?? "main";
    const keys = sessionKeys({
      agentId,
      channel,
      chatId,
      senderId,
      isGroup,
      ...(who.threadId !== undefined ? { threadId: who.threadId } : {}),
    });
    const invocation: CommandInvocation = {
      channel,
      chatId,
      ...(who.threadId !== undefined ? { threadId: who.threadId } : {}),
      sender: { id: senderId },
      isGroup,
      command: inv.command ?? "model",
      args: inv.args ?? "",
      via: inv.via ?? "text",
    };
    return {
      invocation,
      capabilities: CHANNELS[channel],
      sessionKey: keys.key,
      ...(keys.parentKey !== undefined ? { parentSessionKey: keys.parentKey } : {}),
      agentId,
      isOwner: who.isOwner ?? true,
      services,
    };
  };

  const command = async (name: string, args = "", who: Who = {}): Promise<Reply> => {
    const def = modelPlugin.commands(services).find((c) => c.name === name);
    if (!def) throw new Error(`no command /${name}`);
    const c = ctx(who, { command: name, args });
    const reply = await def.handler(c);
    if (reply) return replyOf(reply);
    // Not a command after all: an inline directive. The host passes such text to onMessage.
    const directive = await modelPlugin.onMessage?.(c, `/${name}${args}`);
    if (!directive) throw new Error(`/${name}${args} was neither a command nor a directive`);
    return { text: directive.notice ?? "" };
  };

  return {
    stateDir,
    configPath,
    services,
    sessions,
    get now() {
      return state.now;
    },
    set now(v: number) {
      state.now = v;
    },
    ctx,
    command,
    text: async (line, who) => {
      const m = /^\/(\S+?)(?::|(?=\s|$))/.exec(line);
      if (!m || m[1] === undefined) throw new Error(`not a command: ${line}`);
      return command(m[1].toLowerCase(), line.slice(m[0].length), who);
    },
    choose: async (payload, who = {}) => {
      const onChoice = modelPlugin.onChoice;
      if (!onChoice) throw new Error("no onChoice");
      return replyOf(await onChoice(ctx(who, { via: "button" }), payload));
    },
    message: async (text, who = {}) => {
      const onMessage = modelPlugin.onMessage;
      if (!onMessage) throw new Error("no onMessage");
      return onMessage(ctx(who), text);
    },
    readConfig: () => fs.readFileSync(configPath, "utf8"),
    close: async () => {
      await sessions.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
