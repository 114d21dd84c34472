import type { LoadedConfig } from "../config/load.js";
import type { Catalog } from "../models/catalog.js";
import type { TokenTally } from "../models/price.js";
import type { CredentialResolver } from "../auth/resolver.js";
import type { OAuthRefresher } from "../auth/oauth-refresh.js";
import type { ProfileReader } from "../auth/store.js";
import type { SessionStore } from "../sessions/types.js";
import type { Clock } from "../util/clock.js";
import type { Log } from "./log.js";
import type { UserError } from "../util/user-error.js";
import type { ConfigSection } from "../config/plugin-section.js";

/** Who sent a command, as the channel knows them. */
export interface Sender {
  /** Channel-native user id as a string (`12345` on Telegram, a snowflake on Discord, `local` on the console). */
  readonly id: string;
  readonly displayName?: string;
  readonly username?: string;
}

/**
 * The one channel-neutral shape of a command, built by every channel adapter and consumed by the
 * host and plugins. Adapters never interpret commands; plugins never see channel objects.
 */
export interface CommandInvocation {
  /** `telegram`, `discord`, `console`. */
  readonly channel: string;
  /** Chat / channel / DM id in the channel's own terms. */
  readonly chatId: string;
  /** Forum topic or thread id, when the message is in one. */
  readonly threadId?: string;
  readonly sender: Sender;
  /** True for groups, supergroups and guild channels; false for DMs and the console. */
  readonly isGroup: boolean;
  /** Command name without slash or `@bot` suffix, lower-cased: `model`, `models`, `opus`. */
  readonly command: string;
  /** Raw argument text after the command, untrimmed as typed. */
  readonly args: string;
  /** How it arrived: typed text, a native slash command, or a button/select press. */
  readonly via: "text" | "native" | "button";
}

/** What a channel can render; plugins shape replies to fit. */
export interface ChannelCapabilities {
  /** Longest message the channel accepts (Telegram 4096, Discord 2000). */
  readonly maxLength: number;
  /** Inline buttons / selects exist. */
  readonly buttons: boolean;
  /** Replies can be private to the caller inside a group (Discord ephemeral). */
  readonly ephemeral: boolean;
}

/**
 * One pickable item or action. `payload` is opaque to channels, ASCII; the host leads it with the
 * plugin's name and a `:`, and the two together are at most 40 bytes. A
 * payload that starts with `/` is a command line: pressing it runs that command as the presser
 * (the host's {@link CommandDefinition.interrupts} decides whether it waits for the chat's queue).
 */
export interface Choice {
  readonly label: string;
  readonly payload: string;
  /** Marks the current selection (rendered as ✓). */
  readonly selected?: boolean;
}

/**
 * The one channel-neutral reply. Channels with buttons render `choices` (Telegram: inline
 * keyboard rows of `columns`; Discord: a select menu) and `actions` (a row of buttons); others show
 * `text` alone, so the text must make sense without them.
 */
export interface Reply {
  readonly text: string;
  readonly choices?: readonly Choice[];
  readonly columns?: number;
  /** Navigation and actions: ◀ Prev, Next ▶, Back, Reset, Cancel. */
  readonly actions?: readonly Choice[];
  /** Current page and page count, when the reply is one page of many. */
  readonly page?: { readonly index: number; readonly count: number };
  /** Show only to the caller where the channel can (Discord ephemeral). */
  readonly private?: boolean;
  /** For button presses: replace the message that carried the buttons instead of sending a new one. */
  readonly replace?: boolean;
}

/** Shared services a plugin may use. Read-only views are refreshed by the gateway on config change. */
export interface GatewayServices {
  /** The current config (re-read when `openclaw.json` changes on disk). */
  config(): LoadedConfig;
  /** The catalog built from the current config. */
  catalog(): Catalog;
  /** The one credential resolver. */
  resolver(): CredentialResolver;
  /** Refreshes OAuth profiles before use; absent in tests that never see one. */
  readonly refresher?: OAuthRefresher;
  /**
   * The agents' credentials, parsed once and re-read only when a file they come from changed: the
   * same view the resolver reads, so a command and the resolver agree on what exists.
   */
  readonly profiles: ProfileReader;
  readonly sessions: SessionStore;
  readonly clock: Clock;
  /** When this gateway started, by {@link clock} (uptime is `clock() - startedAt`, so tests set it). */
  readonly startedAt: number;
  readonly stateDir: string;
  /** Model calls for plain messages; absent in command-only gateways and tests. */
  readonly chat?: ChatResponder | undefined;
  /** Counts commands and model calls for `/metrics`; absent in tests that do not count. */
  readonly observer?: GatewayObserver | undefined;
}

/** How a command ended, as counted: answered, refused by access control, or failed on our side. */
export type CommandOutcome = "ok" | "refused" | "error";

/**
 * Receives what the gateway does, for metrics. Labels are bounded and never hold a secret or a
 * chat/user id: channel names, declared command names, provider ids, outcome codes.
 */
export interface GatewayObserver {
  command(channel: string, command: string, outcome: CommandOutcome): void;
  /** One provider call: `ok` or the failure kind (`auth`, `rate_limit`, `timeout`, ...). */
  modelRequest(provider: string, outcome: string, seconds: number): void;
  /**
   * The tokens one provider call used, as the provider counted them, and its estimated cost in
   * USD (undefined when the model has no price). `profile` is the credential profile's id.
   */
  modelUsage(labels: UsageLabels, tokens: TokenTally, costUsd: number | undefined): void;
}

/** Whose spend a call is: bounded ids, never a chat or user id. */
export interface UsageLabels {
  readonly provider: string;
  /** `provider/model`. */
  readonly model: string;
  /** The credential profile id (`anthropic:work`, `env:ANTHROPIC_API_KEY`). */
  readonly profile: string;
}

/** Everything a command handler gets. */
export interface CommandContext {
  readonly invocation: CommandInvocation;
  readonly capabilities: ChannelCapabilities;
  /** The session this invocation belongs to (DESIGN section 5). */
  readonly sessionKey: string;
  /** The parent session a thread/topic inherits from, when there is one. */
  readonly parentSessionKey?: string | undefined;
  readonly agentId: string;
  /** Decided by the host from `commands.ownerAllowFrom`; the console user is always an owner. */
  readonly isOwner: boolean;
  readonly services: GatewayServices;
}

/** One suggested value for a command option while it is being typed. */
export interface Suggestion {
  /** What the person sees (Discord: at most 100 characters, longer labels are clipped). */
  readonly label: string;
  /** What is inserted (Discord drops suggestions whose value is over 100 characters). */
  readonly value: string;
  readonly description?: string;
}

/**
 * One option of a command, declared as data. Adapters render it their own way (a Discord slash
 * option, a usage line); the text command takes the same values as words in declared order.
 */
export interface CommandOption {
  /** 1-32 of `a-z 0-9 - _`: the strictest channel's rule (Discord's). */
  readonly name: string;
  readonly type: "string" | "integer" | "boolean" | "choice";
  /** One line of at most 100 characters. */
  readonly description: string;
  readonly required?: boolean;
  /** The command's {@link CommandDefinition.complete} suggests values for this option. */
  readonly completes?: boolean;
  /** The values a `choice` option takes (at most 25). */
  readonly choices?: readonly Suggestion[];
  /** The smallest value of an `integer` option. */
  readonly min?: number;
}

/** A command a plugin offers. Checked by {@link validateCommand} when the host starts. */
export interface CommandDefinition {
  /** Lower-case name without slash. */
  readonly name: string;
  /** One line, shown in Telegram's menu and Discord's command list (Discord: at most 100 chars). */
  readonly description: string;
  /** e.g. `[list|status|default|<model>[@profile]]`. */
  readonly argsHint?: string;
  /**
   * The options, in the order the text command takes them. Absent: one free-text argument that
   * receives the rest of the line as typed.
   */
  readonly options?: readonly CommandOption[];
  /** Only owners (`commands.ownerAllowFrom`, the console user) may run it; others get a refusal. */
  readonly ownerOnly?: boolean;
  /** Further names of the same command (each is offered and routed like the name). */
  readonly aliases?: readonly string[];
  /**
   * It may stand in a normal message, listed as such in help. `true`: it may lead one (`/model opus
   * explain this`); the plugin's `onMessage` applies it and the rest goes to the model.
   * `"shortcut"`: it is answered wherever it stands as a word of its own (`thanks /status`), as
   * OpenClaw's inline shortcuts are, and stripped before the rest goes to the model; there it takes
   * no arguments, so a typed `/status explain this` is a message too. The host does this for every
   * shortcut (and its own `/help`); the plugin only declares it.
   */
  readonly inline?: boolean | "shortcut";
  /**
   * It acts on work already running in the chat (`/stop`): channels run it as soon as it arrives,
   * never queued behind that chat's answer in progress.
   */
  readonly interrupts?: boolean;
  /**
   * Suggestions for an option that `completes`, given what has been typed so far. Never secrets;
   * the context says who is asking (owners may see more).
   */
  readonly complete?: (option: string, partial: string, ctx: CommandContext) => readonly Suggestion[];
  /**
   * Runs the command. A user's mistake is answered with a {@link UserError} (the host renders it as
   * a private reply), never thrown. `undefined` means the message is not a command after all (an
   * inline directive such as `/model opus explain this`): the channel then passes it on as text.
   */
  readonly handler: (ctx: CommandContext) => Promise<Answer | undefined> | Answer | undefined;
}

/** What a handler answers: a reply, or a user's mistake as a {@link UserError}. */
export type Answer = Reply | UserError;

/** A plugin: plain data and handlers, no side effects at import time. */
export interface PluginDefinition {
  /**
   * 1-16 of `a-z 0-9 -`: it leads the payload of every button the plugin sends (`model:m:r`), and
   * the host routes a press by it.
   */
  readonly name: string;
  /**
   * The plugin's own settings (`auth.monitor` for the auth monitor): where they live in our file and
   * their zod schema. The app hands them to the config loader, which validates them with the rest
   * and names the plugin in every error and warning about them; the plugin reads its settings with
   * the section's `read(config)`.
   */
  readonly config?: ConfigSection;
  /** Commands, evaluated once per config so a plugin can offer commands that follow the config (alias commands). */
  commands(services: GatewayServices): readonly CommandDefinition[];
  /**
   * Handles a press of one of this plugin's choices or actions, with the payload as the plugin made
   * it (untrusted input: the adapter checked only that the presser opened the picker).
   */
  onChoice?(ctx: CommandContext, payload: string): Promise<Answer> | Answer;
  /**
   * Handles a plain (non-command) message before it goes to the model: may consume a leading
   * directive (`/model opus explain this`) and return the text to send on, or undefined to leave it.
   */
  onMessage?(ctx: CommandContext, text: string): Promise<{ text: string; notice?: string } | undefined>;
  /** Called once when the gateway starts, with what a plugin needs for work of its own. */
  start?(runtime: PluginRuntime): Promise<void> | void;
  /** Called once on shutdown, after the host stopped the plugin's scheduled work. */
  stop?(): Promise<void> | void;
}

/** Who a proactive message goes to: a user of a channel, in a direct message. */
export interface NotifyTarget {
  readonly channel: string;
  /** The channel's own user id (`12345` on Telegram, a snowflake on Discord). */
  readonly userId: string;
}

/** What a started plugin may use besides the services. */
export interface PluginRuntime {
  readonly services: GatewayServices;
  readonly log: Log;
  /**
   * Sends `reply` to `target` as a direct message. Resolves false when that channel is not
   * connected (or cannot send), so the caller can try again later. Buttons are not rendered.
   */
  notify(target: NotifyTarget, reply: Reply): Promise<boolean>;
  /** Runs `work` now and then every `intervalMs`, never two runs at once; stopped with the plugin. */
  every(intervalMs: number, work: () => Promise<void>): void;
}

/** Identity helper that keeps plugin definitions typed. */
export function definePlugin(plugin: PluginDefinition): PluginDefinition {
  return plugin;
}

/** Receives an answer while the model writes it. */
export interface AnswerSink {
  /**
   * The answer so far, whole (not a piece), with buttons to show under it while it grows. Returns
   * at once: the channel paces what it sends and may skip intermediate texts.
   */
  update(textSoFar: string, actions?: readonly Choice[]): void;
}

/**
 * The replies to one plain message, rendered as they come: built by a channel adapter per message
 * when its `streaming` setting is `partial`. The host writes every reply through it in order;
 * the channel decides how an answer grows (a message edited at a pace the channel allows, a draft,
 * tokens on a terminal).
 */
export interface ReplyStream extends AnswerSink {
  /** Delivers a whole reply (a directive's notice, a refusal). */
  send(reply: Reply): Promise<void>;
  /** The final answer: replaces what {@link AnswerSink.update} showed (buttons gone), or is sent whole when nothing was. */
  finish(reply: Reply): Promise<void>;
}

/**
 * Answers plain (non-command) messages with a model call: session → model + resolver → provider
 * client → reply. Implemented in `src/chat/`; the host only routes to it.
 */
export interface ChatResponder {
  /**
   * Answers `text` in the context's session. Failures come back as a readable reply, never a
   * throw. With a `sink` the answer is streamed to it while it is written; the reply is the final text.
   */
  respond(ctx: CommandContext, text: string, sink?: AnswerSink): Promise<Reply>;
  /** Forgets the conversation history of a session (`/new`, `/reset`). */
  reset(sessionKey: string): Promise<void>;
  /** Aborts the answer in flight in a session (`/stop`). False when there was none. */
  stop(sessionKey: string): boolean;
  /**
   * Aborts model calls in flight (shutdown); their turns end with a short failure reply. The usage
   * ledger's queued entries are written now, and later ones at once.
   */
  close(): void;
}
