import type { Update } from "grammy/types";
import type { GatewayHttpServer, HttpResponse, HttpRoute } from "../../gateway/http-server.js";
import { parseJsonBody, unavailable } from "../../gateway/http-server.js";
import type { Log } from "../../gateway/log.js";
import { secretMatcher, secretMatches } from "../../gateway/secret-match.js";
import { ALLOWED_UPDATES, type TelegramBot } from "./bot.js";
import type { WebhookSettings } from "./settings.js";

/** The header Telegram puts the webhook's `secret_token` in. */
export const SECRET_HEADER = "x-telegram-bot-api-secret-token";

/** A registered webhook. */
export interface Webhook {
  /** Refuses new requests (503, so Telegram redelivers them later) and waits for updates in progress. */
  stop(): Promise<void>;
}

export { secretMatches };

// Answers sent for most requests, built once. Telegram reads nothing in a 200's body.
const ACCEPTED: HttpResponse = { status: 200 };
const UNAUTHORIZED: HttpResponse = { status: 401, body: { error: "unauthorized" } };

function isUpdate(value: unknown): value is Update {
  return (
    typeof value === "object" && value !== null && Number.isSafeInteger((value as { update_id?: unknown }).update_id)
  );
}

/**
 * How long the webhook waits for an update to be handled before it answers 200 anyway. A command
 * is handled well within it, and answering then costs the gateway less than answering first and
 * handling after (one wake-up of the sender per update instead of two). A model turn takes longer:
 * it goes on in the background, and Telegram, which redelivers an update whose answer is slow
 * (running a command twice), has its 200 after this long.
 */
export const ANSWER_WITHIN_MS = 1_000;

/** 200 once `handled` settles, or after `ms`, whichever is first. */
function acceptedWithin(handled: Promise<void>, ms: number): Promise<HttpResponse> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(ACCEPTED), ms);
    void handled.then(() => {
      clearTimeout(timer);
      resolve(ACCEPTED);
    });
  });
}

/**
 * The webhook route: 503 with `Retry-After` once stopping and 401 without the right secret header,
 * both before the body is read; 400 for a body that is not an update, otherwise 200 once the
 * update is handled or after {@link ANSWER_WITHIN_MS}, while a longer one goes on in the background.
 */
export function webhookRoute(
  tg: TelegramBot,
  secret: string,
  accepting: () => boolean,
  answerWithinMs = ANSWER_WITHIN_MS,
): HttpRoute {
  const matches = secretMatcher(secret);
  return {
    admit: (head) => {
      if (!accepting()) return unavailable("shutting down");
      if (!matches(head.headers[SECRET_HEADER])) return UNAUTHORIZED;
      return undefined;
    },
    handle: (req) => {
      const update = parseJsonBody(req.body);
      if (!isUpdate(update)) return { status: 400, body: { error: "expected a Telegram update" } };
      return acceptedWithin(tg.handle(update), answerWithinMs);
    },
  };
}

/**
 * Webhook mode: registers `POST <path>` on the gateway's HTTP server (where the gateway answered 503
 * while the channel started), then `setWebhook({ url, secret_token, allowed_updates })`; if that
 * fails the route is taken back, so the next attempt starts from the 503 again. The webhook stays
 * set on stop, so updates wait at Telegram for the next start.
 */
export async function startWebhook(
  tg: TelegramBot,
  http: GatewayHttpServer,
  settings: WebhookSettings,
  log: Log,
): Promise<Webhook> {
  let accepting = true;
  http.route(
    "POST",
    settings.path,
    webhookRoute(tg, settings.secret, () => accepting),
  );
  try {
    await tg.bot.api.setWebhook(settings.url, { secret_token: settings.secret, allowed_updates: [...ALLOWED_UPDATES] });
  } catch (err) {
    http.unroute("POST", settings.path);
    throw err;
  }
  log("info", `telegram: webhook set, updates arrive at POST ${settings.path}`);
  return {
    async stop() {
      accepting = false;
      await tg.idle();
    },
  };
}
