import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { assemble } from "../../../src/app/assemble.js";
import { PluginHost } from "../../../src/gateway/host.js";
import type { SessionStore } from "../../../src/sessions/types.js";
import type {
  ChannelCapabilities,
  ChatResponder,
  CommandContext,
  CommandInvocation,
  GatewayServices,
  Reply,
} from "../../../src/gateway/types.js";
import { modelPlugin } from "../../../plugins/model/index.js";

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

/** The sender every harness config lists in `commands.ownerAllowFrom` on Telegram and Discord. */
export const OWNER_ID = "100";
/** A sender `commands.allowFrom` lets use commands, who is no owner. */
export const GUEST_ID = "200";

/**
 * Who is talking, where. The rights come from the config, as in production: the default sender is
 * {@link OWNER_ID}, or {@link GUEST_ID} with `isOwner: false`; a test that names its own sender lists
 * it in `commands.ownerAllowFrom` when it needs an owner (the console user always is one).
 */
export interface Who {
  readonly channel?: ChannelName;
  readonly senderId?: string;
  readonly chatId?: string;
  readonly threadId?: string;
  readonly isGroup?: boolean;
  readonly isOwner?: boolean;
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

/** What the harness's chat responder answers: the text a directive left for the model. */
const CHAT_ANSWER = "(answered by the model)";

/**
 * A gateway as production builds it (the app's assembly over a temp state dir: config re-read
 * when the file changes, so `-a`/`-g` writes are seen; the credential files; the one resolver; the
 * real SQLite session store, whose cooldowns feed the resolver; an injected clock) with the
 * `/model` plugin behind the real plugin host, so every call passes its access control and masking.
 * Everyone may use commands; {@link OWNER_ID} is an owner on Telegram and Discord (a test's own
 * `commands` keys win). Plain text that reaches the model is recorded, not sent.
 */
export async function createHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), "model-plugin-"));
  fs.chmodSync(stateDir, 0o700);
  const configPath = path.join(stateDir, "openclaw.json");
  const given = (opts.config ?? {}) as { commands?: object };
  const access = {
    allowFrom: { "*": ["*"] },
    ownerAllowFrom: [`telegram:${OWNER_ID}`, `discord:${OWNER_ID}`],
  };
  const config = { ...given, commands: { ...access, ...given.commands } };
  fs.writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  const state = { now: T0 };
  const clock = () => state.now;
  // What the last plain message left for the model, if it got that far.
  let toModel: string | undefined;
  const chat: ChatResponder = {
    respond: async (_ctx, text) => {
      toModel = text;
      return { text: CHAT_ANSWER };
    },
    reset: async () => undefined,
    stop: () => false,
    close: () => undefined,
  };
  const app = assemble({
    env: { OPENCLAW_STATE_DIR: stateDir, HOME: stateDir, ...opts.env },
    cwd: stateDir,
    clock,
    log: () => undefined,
    chat: () => chat,
    // Tests write credential files and read them back at once, under a frozen clock.
    profileCheckEveryMs: 0,
  });
  if (opts.profiles !== undefined) {
    const file = app.credentials.pathFor("main");
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, JSON.stringify(opts.profiles, null, 2), { mode: 0o600 });
  }
  const services = await app.gateway();
  const host = new PluginHost(services, [modelPlugin], (level, message) => {
    throw new Error(`the host logged ${level}: ${message}`);
  });

  const invocation = (
    who: Who,
    inv: Partial<Pick<CommandInvocation, "command" | "args" | "via">> = {},
  ): { inv: CommandInvocation; capabilities: ChannelCapabilities } => {
    const channel = who.channel ?? "telegram";
    const senderId = who.senderId ?? (who.isOwner === false ? GUEST_ID : OWNER_ID);
    const isGroup = who.isGroup ?? false;
    return {
      inv: {
        channel,
        chatId: who.chatId ?? (isGroup ? "-500" : senderId),
        ...(who.threadId !== undefined ? { threadId: who.threadId } : {}),
        sender: { id: senderId },
        isGroup,
        command: inv.command ?? "model",
        args: inv.args ?? "",
        via: inv.via ?? "text",
      },
      capabilities: CHANNELS[channel],
    };
  };

  const ctx = (
    who: Who = {},
    inv: Partial<Pick<CommandInvocation, "command" | "args" | "via">> = {},
  ): CommandContext => {
    const i = invocation(who, inv);
    return host.context(i.inv, i.capabilities, host.access(i.inv.channel, i.inv.sender.id));
  };

  /** A plain message through the host: what the directive left for the model, and its notice. */
  const message = async (text: string, who: Who = {}): Promise<{ text: string; notice?: string } | undefined> => {
    const i = invocation(who);
    toModel = undefined;
    const replies = await host.handleMessage(i.inv, text, i.capabilities);
    const notice = replies.find((r) => r.text !== CHAT_ANSWER)?.text;
    const left = toModel ?? "";
    if (notice === undefined && left === text) return undefined;
    return { text: left, ...(notice !== undefined ? { notice } : {}) };
  };

  const command = async (name: string, args = "", who: Who = {}): Promise<Reply> => {
    const i = invocation(who, { command: name, args });
    const reply = await host.handleCommand(i.inv, i.capabilities);
    if (reply) return reply;
    // Not a command after all: an inline directive. The adapter passes such text on as a message.
    const directive = await message(`/${name}${args}`, who);
    if (!directive) throw new Error(`/${name}${args} was neither a command nor a directive`);
    return { text: directive.notice ?? "" };
  };

  return {
    stateDir,
    configPath,
    services,
    sessions: services.sessions,
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
      const i = invocation(who, { via: "button" });
      return host.handleChoice(i.inv, payload, i.capabilities);
    },
    message,
    readConfig: () => fs.readFileSync(configPath, "utf8"),
    close: async () => {
      await app.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
