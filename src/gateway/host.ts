import { accessFor, type Access } from "./access.js";
import { errorMessage, type Log } from "./log.js";
import { redactText } from "../auth/redact.js";
import type {
  Answer,
  ChannelCapabilities,
  Choice,
  CommandContext,
  CommandDefinition,
  CommandInvocation,
  GatewayServices,
  PluginDefinition,
  Reply,
  ReplyStream,
  Suggestion,
  TurnModel,
} from "./types.js";
import { parseCommandText } from "./command-text.js";
import { validateCommand } from "./command-spec.js";
import { sessionKeys } from "../sessions/keys.js";
import { defaultAgentId } from "../config/agents.js";
import { UserFacingError, type UserError, userErrorText } from "../util/user-error.js";
import type { LoadedConfig } from "../config/load.js";
import { isCommandPayload, readRoute, routeReply, STALE_MENU_TEXT, validatePluginName } from "./choice-route.js";
import { HELP_COMMAND, helpText } from "./help.js";
import { takeShortcuts } from "./shortcuts.js";

/**
 * The last line of defence before a reply leaves the gateway: every credential in use (or a piece
 * of one) and anything shaped like a key or bot token is masked, whatever a plugin or provider
 * error put in the text or a button label.
 */
export function masked(reply: Reply): Reply {
  const label = (c: Choice): Choice => ({ ...c, label: redactText(c.label) });
  // Assigned, not spread conditionally: V8 builds `...(x ? { a } : {})` far slower, on every reply.
  const out: { -readonly [K in keyof Reply]: Reply[K] } = { ...reply, text: redactText(reply.text) };
  if (reply.choices) out.choices = reply.choices.map(label);
  if (reply.actions) out.actions = reply.actions.map(label);
  return out;
}

/** The commands on offer, by name, for one config, and the plugin each belongs to. */
interface OfferedCommands {
  readonly config: LoadedConfig;
  readonly byName: ReadonlyMap<string, CommandDefinition>;
  readonly owner: ReadonlyMap<CommandDefinition, string>;
  readonly list: readonly CommandDefinition[];
}

const REFUSAL: Reply = { text: "You are not allowed to use commands with this bot.", private: true };
const OWNERS_ONLY: Reply = { text: "Only the bot's owners may use this command.", private: true };
const FAILURE: Reply = {
  text: "Something went wrong on our side; it has been logged. Please try again.",
  private: true,
};
const STALE: Reply = { text: STALE_MENU_TEXT, replace: true };

/** An expected failure as the private reply every plugin's gets: the message, then the hint. */
function userErrorReply(error: UserError): Reply {
  return { text: userErrorText(error), private: true };
}

/** A handler's answer as the reply a channel renders: a {@link UserError} becomes a private reply. */
export function replyOf(answer: Answer): Reply {
  return (answer as Partial<Reply>).text === undefined ? userErrorReply(answer as UserError) : (answer as Reply);
}

/**
 * Routes channel-neutral invocations to plugins. Access control is decided here, once, for every
 * plugin and channel; handlers get `isOwner`, the session key and the agent already worked out.
 * Handlers answer a user's mistake with a {@link UserError}; it, and a {@link UserFacingError}
 * thrown from below (a store that is down, an unreadable file), become a private reply here, the
 * one place they are caught. Anything else a plugin throws becomes a generic reply and a log
 * line, never a channel's problem. Button payloads leave led by their plugin's name and presses
 * are routed back by it.
 */
export class PluginHost {
  /** Declarations already checked, valid or not (plugins build new ones only when the config changes). */
  private readonly checked = new WeakMap<CommandDefinition, boolean>();
  /** The command table of the config it was built for. */
  private table: OfferedCommands | undefined;

  /** Checks every plugin's declarations now, so a broken one stops the start with its field named. */
  constructor(
    readonly services: GatewayServices,
    private readonly plugins: readonly PluginDefinition[],
    private readonly log: Log,
  ) {
    const names = new Set<string>();
    for (const p of plugins) {
      validatePluginName(p.name);
      if (names.has(p.name)) throw new Error(`plugin "${p.name}" is loaded twice`);
      names.add(p.name);
      let defs: readonly CommandDefinition[];
      try {
        defs = p.commands(services);
      } catch (err) {
        // Not a declaration error: the same failure is answered and logged on each use.
        log("error", `plugin ${p.name}: listing its commands failed: ${errorMessage(err)}`);
        continue;
      }
      for (const c of defs) {
        validateCommand(c);
        this.checked.set(c, true);
      }
    }
  }

  /** A declaration that appeared after start-up (a config change) and breaks the contract is left out, once logged. */
  private isValid(def: CommandDefinition): boolean {
    let ok = this.checked.get(def);
    if (ok === undefined) {
      try {
        validateCommand(def);
        ok = true;
      } catch (err) {
        this.log("warn", `command not offered: ${errorMessage(err)}`);
        ok = false;
      }
      this.checked.set(def, ok);
    }
    return ok;
  }

  /**
   * Every command currently offered, each alias as a command of its own name; the first plugin
   * wins on a name clash. Adapters render this list (menus, slash commands, help).
   */
  commands(): readonly CommandDefinition[] {
    return this.offered().list;
  }

  /** The offered command of that name (an alias included), if any. */
  private command(name: string): CommandDefinition | undefined {
    return this.offered().byName.get(name);
  }

  /**
   * The command table, built once per config (plugins' declarations follow the config): every
   * adapter asks for it on every message, several times. A listing that throws is not kept, so
   * the failure is answered and logged on each use.
   */
  private offered(): OfferedCommands {
    const config = this.services.config();
    if (this.table?.config === config) return this.table;
    const byName = new Map<string, CommandDefinition>();
    const owner = new Map<CommandDefinition, string>();
    const offer = (name: string, def: CommandDefinition, plugin: string) => {
      if (byName.has(name)) return;
      byName.set(name, def);
      owner.set(def, plugin);
    };
    for (const p of this.plugins) {
      for (const c of p.commands(this.services)) {
        if (!this.isValid(c)) continue;
        offer(c.name, c, p.name);
        for (const alias of c.aliases ?? []) offer(alias, { ...c, name: alias, aliases: [] }, p.name);
      }
    }
    this.table = { config, byName, owner, list: [...byName.values()] };
    return this.table;
  }

  /**
   * Suggestions for an option being typed, from the command's own `complete`. Senders who may not
   * use commands, and non-owners for owner-only commands, get none.
   */
  complete(
    inv: CommandInvocation,
    capabilities: ChannelCapabilities,
    option: string,
    partial: string,
  ): readonly Suggestion[] {
    const access = this.access(inv.channel, inv.sender.id);
    if (!access.allowed) return [];
    const command = this.command(inv.command);
    const declared = command?.options?.find((o) => o.name === option);
    if (!command?.complete || !declared?.completes || (command.ownerOnly && !access.isOwner)) return [];
    try {
      // Suggestions leave the gateway like replies do: through the redactor.
      return command
        .complete(option, partial, this.context(inv, capabilities, access))
        .map((s) => ({ ...s, label: redactText(s.label) }));
    } catch (err) {
      this.log("error", `completing /${inv.command} ${option} failed: ${errorMessage(err)}`);
      return [];
    }
  }

  /** Whether `name` is one of our commands, `/help` included (adapters pass unknown `/words` on as plain text). */
  hasCommand(name: string): boolean {
    return name === HELP_COMMAND || this.command(name) !== undefined;
  }

  /**
   * Whether `name` is an inline shortcut ({@link CommandDefinition.inline} `"shortcut"`), or the
   * host's own `/help` where no plugin defines one.
   */
  private isShortcut(name: string): boolean {
    const def = this.command(name);
    return def ? def.inline === "shortcut" : name === HELP_COMMAND;
  }

  /**
   * Whether a command acts on work already running in its chat
   * ({@link CommandDefinition.interrupts}): the channel runs it at once instead of queueing it
   * behind that work.
   */
  interrupts(command: string): boolean {
    return this.command(command)?.interrupts === true;
  }

  /** Whether a button's payload is a command line (`/stop`) whose command {@link interrupts}. */
  pressInterrupts(payload: string): boolean {
    const line = payload.startsWith("/") ? parseCommandText(payload) : undefined;
    return line !== undefined && this.interrupts(line.command);
  }

  /** The sender's rights on a channel under the current config. */
  access(channel: string, senderId: string): Access {
    return accessFor(this.services.config().config, channel, senderId);
  }

  /** Builds the context a handler receives. */
  context(inv: CommandInvocation, capabilities: ChannelCapabilities, access: Access): CommandContext {
    const config = this.services.config().config;
    const agentId = defaultAgentId(config);
    const keys = sessionKeys(
      {
        agentId,
        channel: inv.channel,
        chatId: inv.chatId,
        senderId: inv.sender.id,
        isGroup: inv.isGroup,
        threadId: inv.threadId,
      },
      config.session?.dmScope ?? "main",
    );
    return {
      invocation: inv,
      capabilities,
      sessionKey: keys.key,
      parentSessionKey: keys.parentKey,
      agentId,
      isOwner: access.isOwner,
      services: this.services,
    };
  }

  /**
   * Runs a command. Undefined when no plugin offers it, or when it is an inline shortcut typed with
   * text after it (`/status explain this`: a message holding a shortcut), so the adapter treats it
   * as text.
   */
  async handleCommand(inv: CommandInvocation, capabilities: ChannelCapabilities): Promise<Reply | undefined> {
    const { list, byName, owner } = this.offered();
    const command = byName.get(inv.command);
    if (!command && inv.command !== HELP_COMMAND) return undefined;
    if (inv.via === "text" && inv.args.trim() !== "" && this.isShortcut(inv.command)) return undefined;
    const access = this.access(inv.channel, inv.sender.id);
    const observer = this.services.observer;
    if (!access.allowed || (command?.ownerOnly === true && !access.isOwner)) {
      observer?.command(inv.channel, inv.command, "refused");
      return access.allowed ? OWNERS_ONLY : REFUSAL;
    }
    if (!command) {
      observer?.command(inv.channel, HELP_COMMAND, "ok");
      return { text: helpText(list) };
    }
    const reply = await this.guard(
      `/${inv.command}`,
      () => command.handler(this.context(inv, capabilities, access)),
      owner.get(command),
    );
    observer?.command(inv.channel, command.name, reply === FAILURE ? "error" : "ok");
    return reply;
  }

  /**
   * Runs a button/select press. The adapter has already checked the press came from the picker's
   * opener. A payload that is a command line (`/stop`) runs that command as the presser.
   */
  async handleChoice(inv: CommandInvocation, payload: string, capabilities: ChannelCapabilities): Promise<Reply> {
    const line = isCommandPayload(payload) ? parseCommandText(payload) : undefined;
    if (line) {
      const reply = await this.handleCommand({ ...inv, command: line.command, args: line.args }, capabilities);
      return reply ?? STALE;
    }
    const access = this.access(inv.channel, inv.sender.id);
    if (!access.allowed) return REFUSAL;
    const route = readRoute(payload);
    const plugin = route && this.plugins.find((p) => p.name === route.plugin);
    if (!route || !plugin?.onChoice) return STALE;
    const onChoice = plugin.onChoice.bind(plugin);
    return this.guard<Reply>(
      `${plugin.name} choice`,
      () => onChoice(this.context(inv, capabilities, access), route.payload),
      plugin.name,
    );
  }

  /**
   * Answers a plain message, for senders allowed to use commands: its inline shortcuts (`thanks
   * /status`) are answered and stripped first, then a leading directive (`/model opus explain…`) is
   * applied, then the rest goes to the model (nothing, when nothing is left).
   *
   * Without a `stream` the replies come back in order, the answer last. With one, every reply goes
   * through it instead, in the same order: notices by `send`, the answer by `update` while the
   * model writes it (masked like every reply) and `finish` at the end; nothing is returned.
   */
  async handleMessage(
    inv: CommandInvocation,
    text: string,
    capabilities: ChannelCapabilities,
    stream?: ReplyStream,
  ): Promise<Reply[]> {
    const replies = await this.answerMessage(inv, text, capabilities, stream);
    if (!stream) return replies;
    for (const reply of replies) await stream.send(reply);
    return [];
  }

  private async answerMessage(
    inv: CommandInvocation,
    text: string,
    capabilities: ChannelCapabilities,
    stream: ReplyStream | undefined,
  ): Promise<Reply[]> {
    const access = this.access(inv.channel, inv.sender.id);
    if (!access.allowed) return [REFUSAL];
    const ctx = this.context(inv, capabilities, access);
    const replies: Reply[] = [];
    const shortcuts = takeShortcuts(text, (name) => this.isShortcut(name));
    for (const name of shortcuts.names) {
      const reply = await this.handleCommand({ ...inv, command: name, args: "" }, capabilities);
      if (reply) replies.push(reply);
    }
    let body = shortcuts.rest;
    let model: TurnModel | undefined;
    for (const p of this.plugins) {
      if (!p.onMessage) continue;
      const onMessage = p.onMessage.bind(p);
      const out = await this.guard("directive", async () => {
        const r = await onMessage(ctx, body);
        if (r) {
          body = r.text;
          if (r.notice) replies.push(masked({ text: r.notice }));
          if (r.model) model = r.model;
        }
        return undefined;
      });
      if (out) return [out];
    }
    if (body.trim() === "") return replies;
    const chat = this.services.chat;
    if (!chat) return [...replies, { text: "Model calls are not set up in this gateway." }];
    if (!stream) return [...replies, await this.guard("chat", () => chat.respond(ctx, body, undefined, model))];
    // Notices first, then the answer as it grows.
    for (const reply of replies) await stream.send(reply);
    const answer = await this.guard("chat", () =>
      chat.respond(ctx, body, { update: (textSoFar, actions) => stream.update(redactText(textSoFar), actions) }, model),
    );
    await stream.finish(answer);
    return [];
  }

  /**
   * Runs a plugin's (or the chat's) work: its answer masked and, for a `plugin`, its buttons led by
   * the plugin's name; a user's mistake as its message; anything else thrown as {@link FAILURE}.
   */
  private async guard<T extends Reply | undefined>(
    what: string,
    fn: () => Promise<T | Answer> | T | Answer,
    plugin?: string,
  ): Promise<T | Reply> {
    try {
      const answer = await fn();
      if (answer === undefined) return answer;
      const reply = replyOf(answer);
      return masked(plugin === undefined ? reply : routeReply(plugin, reply));
    } catch (err) {
      if (err instanceof UserFacingError) return masked(userErrorReply(err.detail));
      this.log("error", `${what} failed: ${errorMessage(err)}`);
      return FAILURE;
    }
  }
}
