import {
  DiscordAPIError,
  Routes,
  type APIInteractionResponse,
  type REST,
  type RESTPostAPIWebhookWithTokenJSONBody,
} from "discord.js";
import * as z from "zod/mini";
import {
  parseJsonBody,
  unavailable,
  type HttpRequest,
  type HttpRequestHead,
  type HttpResponse,
  type HttpRoute,
} from "../../gateway/http-server.js";
import { errorMessage, type Log } from "../../gateway/log.js";
import { systemClock, type Clock } from "../../util/clock.js";
import type { InteractionHandler, InteractionInput, InteractionResponder } from "./interactions.js";
import { GENERIC_ERROR } from "./interactions.js";
import type { Place } from "./invocation.js";
import { callbackBody, messageBody, type OutMessage } from "./messages.js";
import type { OptionValue } from "./register.js";
import { CLAIM_TTL_MS, interactionClaimKey, type InteractionClaims } from "./interaction-claims.js";
import { checkSignatureHeaders, publicKeyFromHex, verifyInteraction } from "./signature.js";

/** Follow-up messages and edits of an interaction, sent with its token (no bot token needed). */
export interface InteractionWebhooks {
  editOriginal(applicationId: string, token: string, body: RESTPostAPIWebhookWithTokenJSONBody): Promise<void>;
  deleteOriginal(applicationId: string, token: string): Promise<void>;
  followUp(applicationId: string, token: string, body: RESTPostAPIWebhookWithTokenJSONBody): Promise<void>;
}

const UNKNOWN_WEBHOOK = 10015;
const UNKNOWN_MESSAGE = 10008;
const RETRY_DELAYS_MS = [250, 750] as const;

// Our HTTP answer (the initial response) may still be on its way to Discord when an edit follows
// it, so "unknown message/webhook" is retried briefly.
async function retryingUnknown(op: () => Promise<unknown>): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await op();
      return;
    } catch (err) {
      const delay = RETRY_DELAYS_MS[attempt];
      const unknown = err instanceof DiscordAPIError && (err.code === UNKNOWN_WEBHOOK || err.code === UNKNOWN_MESSAGE);
      if (!unknown || delay === undefined) throw err;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** {@link InteractionWebhooks} over discord.js REST (`PATCH/DELETE /webhooks/:app/:token/messages/@original`, `POST /webhooks/:app/:token`). */
export function restWebhooks(rest: REST): InteractionWebhooks {
  return {
    editOriginal: (app, token, body) =>
      retryingUnknown(() => rest.patch(Routes.webhookMessage(app, token, "@original"), { body, auth: false })),
    deleteOriginal: (app, token) =>
      retryingUnknown(() => rest.delete(Routes.webhookMessage(app, token, "@original"), { auth: false })),
    followUp: (app, token, body) => retryingUnknown(() => rest.post(Routes.webhook(app, token), { body, auth: false })),
  };
}

// Only the fields we read; Discord sends many more. The body is signed, but still checked here.
const userSchema = z.looseObject({
  id: z.string().check(z.minLength(1)),
  username: z.optional(z.string()),
  global_name: z.nullish(z.string()),
});
const optionSchema = z.looseObject({
  name: z.string(),
  type: z.number(),
  value: z.optional(z.union([z.string(), z.number(), z.boolean()])),
  focused: z.optional(z.boolean()),
});
const interactionSchema = z.looseObject({
  id: z.string(),
  application_id: z.string(),
  type: z.int(),
  token: z.string(),
  guild_id: z.optional(z.string()),
  channel_id: z.optional(z.string()),
  channel: z.optional(z.looseObject({ id: z.string(), type: z.number(), parent_id: z.nullish(z.string()) })),
  member: z.optional(z.looseObject({ user: userSchema })),
  user: z.optional(userSchema),
  data: z.optional(
    z.looseObject({
      name: z.optional(z.string()),
      options: z.optional(z.array(optionSchema)),
      custom_id: z.optional(z.string()),
      values: z.optional(z.array(z.string())),
    }),
  ),
  message: z.optional(z.looseObject({ flags: z.optional(z.number()) })),
});
type RawInteraction = z.infer<typeof interactionSchema>;

const PING = 1;
const APPLICATION_COMMAND = 2;
const MESSAGE_COMPONENT = 3;
const AUTOCOMPLETE = 4;
const THREAD_TYPES: ReadonlySet<number> = new Set([10, 11, 12]);
const EPHEMERAL_FLAG = 1 << 6;

function placeOf(raw: RawInteraction): Place | undefined {
  const user = raw.member?.user ?? raw.user;
  const channelId = raw.channel?.id ?? raw.channel_id;
  if (!user || channelId === undefined) return undefined;
  const parentId = raw.channel && THREAD_TYPES.has(raw.channel.type) ? raw.channel.parent_id : undefined;
  return {
    user: {
      id: user.id,
      ...(user.username ? { username: user.username } : {}),
      ...(user.global_name ? { globalName: user.global_name } : {}),
    },
    channelId,
    ...(parentId ? { parentId } : {}),
    ...(raw.guild_id !== undefined ? { guildId: raw.guild_id } : {}),
  };
}

function inputOf(raw: RawInteraction): InteractionInput | undefined {
  const place = placeOf(raw);
  const data = raw.data;
  if (!place || !data) return undefined;
  const options: OptionValue[] = (data.options ?? []).flatMap((o) =>
    o.value === undefined ? [] : [{ name: o.name, value: o.value }],
  );
  if (raw.type === APPLICATION_COMMAND && data.name) return { kind: "command", place, command: data.name, options };
  if (raw.type === AUTOCOMPLETE && data.name) {
    const f = data.options?.find((o) => o.focused);
    const focused = { name: f?.name ?? "", value: f?.value === undefined ? "" : String(f.value) };
    return { kind: "autocomplete", place, command: data.name, options, focused };
  }
  if (raw.type === MESSAGE_COMPONENT && data.custom_id !== undefined) {
    const messageEphemeral = ((raw.message?.flags ?? 0) & EPHEMERAL_FLAG) !== 0;
    return { kind: "component", place, customId: data.custom_id, values: data.values ?? [], messageEphemeral };
  }
  return undefined;
}

/** What an HTTP-delivered interaction body turned out to be. */
export type ReadInteraction =
  | { readonly kind: "invalid" }
  | { readonly kind: "ping" }
  /** A well-formed interaction of a kind we do not handle (modal submit, context menu…). */
  | { readonly kind: "unsupported" }
  | {
      readonly kind: "ok";
      readonly id: string;
      readonly input: InteractionInput;
      readonly applicationId: string;
      readonly token: string;
    };

/** Reads a parsed JSON body as an interaction, checking the fields we use. Untrusted input in; never throws. */
export function readInteraction(json: unknown): ReadInteraction {
  const parsed = interactionSchema.safeParse(json);
  if (!parsed.success) return { kind: "invalid" };
  const raw = parsed.data;
  if (raw.type === PING) return { kind: "ping" };
  const input = inputOf(raw);
  return input
    ? { kind: "ok", id: raw.id, input, applicationId: raw.application_id, token: raw.token }
    : { kind: "unsupported" };
}

function header(req: HttpRequestHead, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** What the interactions endpoint is built from. */
export interface InteractionsEndpointOptions {
  /** The application's public key, 64 hex characters. */
  readonly publicKey: string;
  readonly handler: InteractionHandler;
  readonly webhooks: InteractionWebhooks;
  /** Where taken interaction ids are remembered (the session store), so a replay changes nothing. */
  readonly claims: InteractionClaims;
  readonly log: Log;
  /** For the timestamp check; defaults to the system clock. */
  readonly clock?: Clock;
  /** Told about each interaction's full work (including later edits), so shutdown can wait for it. */
  readonly track?: (work: Promise<void>) => void;
}

const ALREADY_HANDLED = "This interaction was already handled.";

/**
 * The answer to a replayed interaction: valid for its kind, and it changes nothing (a component's
 * message is left as it is).
 */
function alreadyHandled(input: InteractionInput): APIInteractionResponse {
  if (input.kind === "component") return callbackBody({ kind: "defer-update" });
  return callbackBody({ kind: "message", message: { content: ALREADY_HANDLED, components: [], ephemeral: true } });
}

/**
 * The HTTP interactions endpoint (Discord's "Interactions Endpoint URL"). Before the body is read:
 * the signature headers must be present, well formed and recent (401). Then it verifies the Ed25519
 * signature (401), parses the body (400), answers PING with PONG, takes each command or component
 * interaction once (a replay within the signature's window gets a harmless answer and runs
 * nothing), and answers with the callback body in the HTTP response itself (type 4, 5, 6, 7 or 8);
 * edits and follow-ups after a deferral go through the interaction's webhook.
 */
export function interactionsEndpoint(opts: InteractionsEndpointOptions): HttpRoute {
  const key = publicKeyFromHex(opts.publicKey);
  const clock = opts.clock ?? systemClock;
  const refused: HttpResponse = { status: 401, body: { error: "invalid request signature" } };
  const admit = (head: HttpRequestHead): HttpResponse | undefined => {
    const signature = checkSignatureHeaders(
      header(head, "x-signature-ed25519"),
      header(head, "x-signature-timestamp"),
      clock(),
    );
    return signature.ok ? undefined : refused;
  };
  const handle = async (req: HttpRequest): Promise<HttpResponse> => {
    const verdict = verifyInteraction(
      key,
      header(req, "x-signature-ed25519"),
      header(req, "x-signature-timestamp"),
      req.body,
      clock(),
    );
    if (!verdict.ok) return refused;
    const json = parseJsonBody(req.body);
    if (json === undefined) return { status: 400, body: { error: "malformed JSON" } };
    const read = readInteraction(json);
    if (read.kind === "invalid") return { status: 400, body: { error: "not an interaction" } };
    if (read.kind === "ping") return { status: 200, body: { type: 1 } };
    if (read.kind === "unsupported") {
      const message: OutMessage = {
        content: "This kind of interaction is not supported.",
        components: [],
        ephemeral: true,
      };
      return { status: 200, body: callbackBody({ kind: "message", message }) };
    }
    // Autocomplete only suggests; everything else may change state, so it runs once.
    if (read.input.kind !== "autocomplete") {
      let fresh: boolean;
      try {
        fresh = await opts.claims.claimOnce(interactionClaimKey(read.id), CLAIM_TTL_MS);
      } catch (err) {
        opts.log("warn", `discord: interaction ${read.id} refused, replays cannot be checked: ${errorMessage(err)}`);
        return unavailable("session store unavailable");
      }
      if (!fresh) {
        opts.log("warn", `discord: interaction ${read.id} arrived again; the replay changed nothing`);
        return { status: 200, body: alreadyHandled(read.input) };
      }
    }
    let answer!: (body: APIInteractionResponse) => void; // assigned synchronously by the executor below
    const first = new Promise<APIInteractionResponse>((resolve) => {
      answer = resolve;
    });
    const { applicationId: app, token } = read;
    const responder: InteractionResponder = {
      initial: async (response) => answer(callbackBody(response)),
      editOriginal: (m) => opts.webhooks.editOriginal(app, token, messageBody(m)),
      deleteOriginal: () => opts.webhooks.deleteOriginal(app, token),
      followUp: (m) => opts.webhooks.followUp(app, token, messageBody(m)),
    };
    const work = opts.handler
      .handle(read.input, responder)
      .catch((err: unknown) => opts.log("error", `discord: interaction failed: ${errorMessage(err)}`))
      .finally(() =>
        answer(callbackBody({ kind: "message", message: { content: GENERIC_ERROR, components: [], ephemeral: true } })),
      );
    opts.track?.(work);
    return { status: 200, body: await first };
  };
  return { admit, handle };
}
