import {
  InteractionResponseType,
  MessageFlags,
  type APIActionRowComponent,
  type APIApplicationCommandOptionChoice,
  type APIComponentInMessageActionRow,
  type APIInteractionResponse,
  type RESTPostAPIWebhookWithTokenJSONBody,
} from "discord.js";

/** Discord's longest message content. */
export const MAX_MESSAGE_LENGTH = 2000;

const FENCE = "```";

/** A row of message components, as sent on the wire. */
export type ComponentRow = APIActionRowComponent<APIComponentInMessageActionRow>;

/** One message to send: the rendering of a Reply (or a chunk of it). */
export interface OutMessage {
  readonly content: string;
  /** Empty removes components when editing a message. */
  readonly components: readonly ComponentRow[];
  readonly ephemeral: boolean;
}

/**
 * The first answer to an interaction, channel-neutral enough that both transports (a discord.js
 * interaction object, the HTTP response body) can send it.
 */
export type InitialResponse =
  | { readonly kind: "message"; readonly message: OutMessage }
  | { readonly kind: "defer"; readonly ephemeral: boolean }
  | { readonly kind: "defer-update" }
  | { readonly kind: "update"; readonly message: OutMessage }
  | { readonly kind: "choices"; readonly choices: readonly APIApplicationCommandOptionChoice<string>[] };

/** Shortens `text` to at most `max` UTF-16 units, ending with `…` when cut. */
export function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  if (isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)}…`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Splits text into messages of at most `max` characters, preferring line breaks, then spaces, and
 * never cutting a surrogate pair. A code fence left open at a cut is closed there and reopened in
 * the next part, so each message renders on its own.
 */
export function splitText(text: string, max = MAX_MESSAGE_LENGTH): string[] {
  if (text.length <= max) return [text];
  const parts: string[] = [];
  let rest = text;
  let reopen = "";
  while (rest.length > 0) {
    const budget = max - reopen.length - (FENCE.length + 1);
    let body: string;
    if (reopen.length + rest.length <= max) {
      body = rest;
    } else {
      let cut = rest.lastIndexOf("\n", budget);
      if (cut < budget / 2) cut = rest.lastIndexOf(" ", budget);
      if (cut < budget / 2) cut = isHighSurrogate(rest.charCodeAt(budget - 1)) ? budget - 1 : budget;
      body = rest.slice(0, cut);
    }
    rest = rest.slice(body.length).replace(/^[\n ]/, "");
    let part = reopen + body;
    const open = (part.split(FENCE).length - 1) % 2 === 1;
    if (open && rest.length > 0) {
      part += `\n${FENCE}`;
      reopen = `${FENCE}\n`;
    } else {
      reopen = "";
    }
    parts.push(part);
  }
  return parts;
}

/** The message body for follow-ups and edits. Mentions in replies never ping anyone. */
export function messageBody(message: OutMessage): RESTPostAPIWebhookWithTokenJSONBody {
  return {
    content: message.content,
    components: [...message.components],
    allowed_mentions: { parse: [] },
    ...(message.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
  };
}

/** The JSON callback body for an initial response (what the HTTP endpoint answers with). */
export function callbackBody(initial: InitialResponse): APIInteractionResponse {
  switch (initial.kind) {
    case "message":
      return { type: InteractionResponseType.ChannelMessageWithSource, data: messageBody(initial.message) };
    case "defer":
      return {
        type: InteractionResponseType.DeferredChannelMessageWithSource,
        data: initial.ephemeral ? { flags: MessageFlags.Ephemeral } : {},
      };
    case "defer-update":
      return { type: InteractionResponseType.DeferredMessageUpdate };
    case "update": {
      // Ephemerality of an existing message cannot change; flags are left out of updates.
      const { flags: _flags, ...data } = messageBody(initial.message);
      return { type: InteractionResponseType.UpdateMessage, data };
    }
    case "choices":
      return {
        type: InteractionResponseType.ApplicationCommandAutocompleteResult,
        data: { choices: [...initial.choices] },
      };
  }
}
