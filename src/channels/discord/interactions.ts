import type { PluginHost } from "../../gateway/host.js";
import { FOREIGN_MENU_TEXT, STALE_MENU_TEXT } from "../../gateway/choice-route.js";
import { errorMessage, type Log } from "../../gateway/log.js";
import type { Reply } from "../../gateway/types.js";
import { autocompleteChoices, type FocusedOption } from "./autocomplete.js";
import { pickerComponents, readPress, type PickerBinding } from "./components.js";
import { DISCORD_CAPABILITIES, toInvocation, type Place } from "./invocation.js";
import { splitText, type InitialResponse, type OutMessage } from "./messages.js";
import { argsFromOptions, type OptionValue } from "./register.js";

/** An interaction as the handler needs it, whether it came over the gateway or the HTTP endpoint. */
export type InteractionInput =
  | {
      readonly kind: "command";
      readonly place: Place;
      readonly command: string;
      readonly options: readonly OptionValue[];
    }
  | {
      readonly kind: "autocomplete";
      readonly place: Place;
      readonly command: string;
      readonly options: readonly OptionValue[];
      readonly focused: FocusedOption;
    }
  | {
      readonly kind: "component";
      readonly place: Place;
      readonly customId: string;
      /** Chosen values of a string select; empty for buttons. */
      readonly values: readonly string[];
      /** Whether the message carrying the component is ephemeral (its privacy cannot change). */
      readonly messageEphemeral: boolean;
    };

/** How answers reach Discord: implemented over discord.js interactions and over the HTTP endpoint + webhooks. */
export interface InteractionResponder {
  /** The one initial response (callback types 4, 5, 6, 7, 8). */
  initial(response: InitialResponse): Promise<void>;
  /** Edits the original response (after a deferral; for a component, the message carrying it). */
  editOriginal(message: OutMessage): Promise<void>;
  deleteOriginal(): Promise<void>;
  followUp(message: OutMessage): Promise<void>;
}

/** What {@link InteractionHandler} is built from. */
export interface InteractionHandlerOptions {
  readonly host: PluginHost;
  readonly log: Log;
  /** The secret custom_ids are bound with (`payloadSecretFromToken(token)`), shared by every instance. */
  readonly secret: string;
  /** `channels.discord.slashCommand.ephemeral`: replies only the caller sees. */
  readonly ephemeral: boolean;
  /**
   * Defer (and edit the reply later) when the host has not answered within this many ms, well
   * inside Discord's 3-second window. Default 1500.
   */
  readonly deferAfterMs?: number;
}

/** The last-resort answer when something failed; details go to the log only. */
export const GENERIC_ERROR = "Something went wrong on our side; it has been logged. Please try again.";
const UNKNOWN_COMMAND: Reply = { text: "This command is no longer available.", private: true };

const PENDING = Symbol("pending");

async function within<T>(work: Promise<T>, ms: number): Promise<T | typeof PENDING> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof PENDING>((resolve) => {
    timer = setTimeout(() => resolve(PENDING), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Remembers whether the initial response went out, so a failure is answered the right way. */
class TrackedResponder implements InteractionResponder {
  answered = false;
  constructor(private readonly inner: InteractionResponder) {}
  initial(response: InitialResponse): Promise<void> {
    this.answered = true;
    return this.inner.initial(response);
  }
  editOriginal(message: OutMessage): Promise<void> {
    return this.inner.editOriginal(message);
  }
  deleteOriginal(): Promise<void> {
    return this.inner.deleteOriginal();
  }
  followUp(message: OutMessage): Promise<void> {
    return this.inner.followUp(message);
  }
}

function notice(text: string): OutMessage {
  return { content: text, components: [], ephemeral: true };
}

/**
 * Answers every Discord interaction, whatever happens: commands go to the host (deferred and edited
 * when slow), autocomplete gets suggestions, picker presses are checked against their opener and
 * go to the host as choices. Failures are logged and answered with a generic private message;
 * nothing is left to time out.
 */
export class InteractionHandler {
  private readonly deferAfterMs: number;

  constructor(private readonly opts: InteractionHandlerOptions) {
    this.deferAfterMs = opts.deferAfterMs ?? 1500;
  }

  /** Handles one interaction. Never throws. */
  async handle(input: InteractionInput, responder: InteractionResponder): Promise<void> {
    const r = new TrackedResponder(responder);
    try {
      if (input.kind === "command") await this.command(input, r);
      else if (input.kind === "autocomplete") await this.autocomplete(input, r);
      else await this.press(input, r);
    } catch (err) {
      const what = input.kind === "component" ? "component press" : `${input.kind} /${input.command}`;
      this.opts.log("error", `discord: ${what} failed: ${errorMessage(err)}`);
      try {
        if (!r.answered)
          await r.initial(
            input.kind === "autocomplete"
              ? { kind: "choices", choices: [] }
              : { kind: "message", message: notice(GENERIC_ERROR) },
          );
        else if (input.kind !== "autocomplete") await r.followUp(notice(GENERIC_ERROR));
      } catch (again) {
        this.opts.log("error", `discord: could not report the failure: ${errorMessage(again)}`);
      }
    }
  }

  /** Renders a reply as messages of at most 2000 characters; the picker rides on the first. */
  render(reply: Reply, binding: PickerBinding, ephemeral: boolean): OutMessage[] {
    const components = pickerComponents(reply, binding);
    return splitText(reply.text).map((text, i) => {
      const own = i === 0 ? components : [];
      return { content: text === "" && own.length === 0 ? "…" : text, components: own, ephemeral };
    });
  }

  /** The binding of pickers sent to `place`: its channel and user. */
  bindingFor(place: Place): PickerBinding {
    return { secret: this.opts.secret, channelId: place.channelId, userId: place.user.id };
  }

  /** The text-command arguments an interaction's options stand for, by the command's declaration. */
  private argsOf(input: { readonly command: string; readonly options: readonly OptionValue[] }): string {
    return argsFromOptions(
      this.opts.host.commands().find((c) => c.name === input.command),
      input.options,
    );
  }

  private async command(input: Extract<InteractionInput, { kind: "command" }>, r: InteractionResponder): Promise<void> {
    const inv = toInvocation(input.place, input.command, this.argsOf(input), "native");
    const work = this.opts.host.handleCommand(inv, DISCORD_CAPABILITIES);
    work.catch(() => undefined); // a rejection is handled where it is awaited; never unhandled
    const early = await within(work, this.deferAfterMs);
    const binding = this.bindingFor(input.place);
    if (early !== PENDING) return this.sendNew(r, early ?? UNKNOWN_COMMAND, binding);
    await r.initial({ kind: "defer", ephemeral: this.opts.ephemeral });
    const reply = (await work) ?? UNKNOWN_COMMAND;
    const ephemeral = this.opts.ephemeral || reply.private === true;
    const [first, ...rest] = this.render(reply, binding, ephemeral);
    if (ephemeral && !this.opts.ephemeral) {
      // The deferred placeholder is public and its privacy cannot change: replace it privately.
      await r.deleteOriginal();
      if (first) await r.followUp(first);
    } else if (first) {
      await r.editOriginal(first);
    }
    for (const m of rest) await r.followUp(m);
  }

  private async autocomplete(
    input: Extract<InteractionInput, { kind: "autocomplete" }>,
    r: InteractionResponder,
  ): Promise<void> {
    // Nothing is submitted yet: the command sees only the focused option's partial value.
    const inv = toInvocation(input.place, input.command, "", "native");
    await r.initial({ kind: "choices", choices: autocompleteChoices(this.opts.host, inv, input.focused) });
  }

  private async press(input: Extract<InteractionInput, { kind: "component" }>, r: InteractionResponder): Promise<void> {
    const binding = this.bindingFor(input.place);
    const press = readPress(binding, input.customId, input.values);
    if (press.kind === "foreign") return r.initial({ kind: "message", message: notice(FOREIGN_MENU_TEXT) });
    if (press.kind === "invalid") return r.initial({ kind: "message", message: notice(STALE_MENU_TEXT) });
    const inv = toInvocation(input.place, "", "", "button");
    const work = this.opts.host.handleChoice(inv, press.payload, DISCORD_CAPABILITIES);
    work.catch(() => undefined); // a rejection is handled where it is awaited; never unhandled
    const early = await within(work, this.deferAfterMs);
    // A private reply may replace only a message that is already private.
    const replaces = (reply: Reply) => reply.replace === true && (reply.private !== true || input.messageEphemeral);
    if (early !== PENDING) {
      if (!replaces(early)) return this.sendNew(r, early, binding);
      const [first, ...rest] = this.render(early, binding, input.messageEphemeral || early.private === true);
      if (first) await r.initial({ kind: "update", message: first });
      for (const m of rest) await r.followUp(m);
      return;
    }
    await r.initial({ kind: "defer-update" });
    const reply = await work;
    if (replaces(reply)) {
      const [first, ...rest] = this.render(reply, binding, input.messageEphemeral || reply.private === true);
      if (first) await r.editOriginal(first);
      for (const m of rest) await r.followUp(m);
    } else {
      for (const m of this.render(reply, binding, this.opts.ephemeral || reply.private === true)) await r.followUp(m);
    }
  }

  private async sendNew(r: InteractionResponder, reply: Reply, binding: PickerBinding): Promise<void> {
    const [first, ...rest] = this.render(reply, binding, this.opts.ephemeral || reply.private === true);
    if (first) await r.initial({ kind: "message", message: first });
    for (const m of rest) await r.followUp(m);
  }
}
