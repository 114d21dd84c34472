import * as z from "zod/mini";
import "../util/zod-messages.js";
import type {
  GatewayHttpServer,
  HttpRequest,
  HttpRequestHead,
  HttpResponse,
  HttpRoute,
} from "../gateway/http-server.js";
import { parseJsonBody } from "../gateway/http-server.js";
import type { GatewayServices } from "../gateway/types.js";
import type { Log } from "../gateway/log.js";
import { UserFacingError } from "../util/user-error.js";
import { type DashboardSession, type DashboardSessions, sameSecret } from "./sessions.js";
import { credentialsView } from "./credentials.js";
import { type ChatIndex, chatsPageJson } from "./chats.js";
import { freshFor, spendReport } from "./spend.js";
import { spendTodayByProfile } from "../sessions/usage-window.js";
import { costText } from "../sessions/usage-text.js";
import { HOW_TO_LOG_IN, refusalPage, SECURITY_HEADERS, shell, type UiAssets, VIEW_PATHS } from "./page.js";

/** The session cookie's name. */
export const SESSION_COOKIE = "openclaw_ui";
/** The header (value `1`) the page puts on its background polls: they keep no session from lapsing. */
export const POLL_HEADER = "x-ui-poll";

/**
 * The writes the page offers that other commands own: the very code of `models auth order set`
 * and `models set`, wired by the app. Each resolves with what it printed, or throws a
 * {@link UserFacingError} that says why nothing was changed.
 */
export interface ControlActions {
  setOrder(provider: string, ids: readonly string[]): Promise<string>;
  setDefaultModel(model: string): Promise<string>;
}

/** What the control page is built from. */
export interface ControlPageParts {
  readonly services: GatewayServices;
  /** The session store's chats, as the Chats view searches and pages them. */
  readonly chats: ChatIndex;
  readonly sessions: DashboardSessions;
  /** The key of `<state>/control-ui.json`: a bearer holding it may ask for links and revoke sessions. */
  readonly cliKey: string;
  readonly assets: UiAssets | undefined;
  readonly actions: ControlActions;
  readonly log: Log;
}

/** The value of one cookie in a `Cookie` header. */
function cookie(head: HttpRequestHead, name: string): string | undefined {
  const header = head.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function json(status: number, body: object): HttpResponse {
  return { status, headers: { ...SECURITY_HEADERS }, body };
}

const UNAUTHORIZED_JSON = json(401, { error: "not logged in", hint: HOW_TO_LOG_IN });
const UNAUTHORIZED_PAGE = refusalPage(401, "Not logged in", HOW_TO_LOG_IN);

function bearer(head: HttpRequestHead): string | undefined {
  const auth = head.headers.authorization;
  return auth?.startsWith("Bearer ") ? auth.slice(7) : undefined;
}

const unpinBody = z.object({ key: z.string().check(z.minLength(1)) });
const cooldownBody = z.object({ profileId: z.string().check(z.minLength(1)) });
const orderBody = z.object({
  provider: z.string().check(z.minLength(1)),
  order: z.array(z.string()).check(z.minLength(1)),
});
const defaultModelBody = z.object({ model: z.string().check(z.minLength(1)) });

/** A body sent as JSON (the page's `fetch`) or as a form (`csrf=...&key=...`). */
function bodyFields(req: HttpRequest): Record<string, unknown> | undefined {
  const type = req.headers["content-type"] ?? "";
  if (type.startsWith("application/x-www-form-urlencoded")) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of new URLSearchParams(req.body.toString("utf8"))) {
      const had = out[k];
      out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
    }
    return out;
  }
  const parsed = req.body.length === 0 ? {} : parseJsonBody(req.body);
  return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : undefined;
}

/**
 * Registers the control page on the gateway's HTTP server, under `/ui/`. Every page, asset and API
 * needs a live session cookie (401 with how to get one otherwise); every action is a POST that also
 * needs the session's CSRF token (403 without it), checked before its body is read where the header
 * carries it. Each action is logged with the session that made it.
 */
export function registerControlPage(http: GatewayHttpServer, parts: ControlPageParts): void {
  const { services, sessions, log } = parts;
  const sessionOf = (head: HttpRequestHead): DashboardSession | undefined =>
    sessions.session(cookie(head, SESSION_COOKIE), head.headers[POLL_HEADER] === "1" ? "poll" : "person");

  /** A GET that needs a session: pages answer 401 as a page, APIs as JSON. */
  const page = (
    handle: (req: HttpRequest, session: DashboardSession) => Promise<HttpResponse> | HttpResponse,
    api: boolean,
  ): HttpRoute => ({
    admit: (head) => (sessionOf(head) ? undefined : api ? UNAUTHORIZED_JSON : UNAUTHORIZED_PAGE),
    handle: (req) => {
      const session = sessionOf(req);
      return session ? handle(req, session) : api ? UNAUTHORIZED_JSON : UNAUTHORIZED_PAGE;
    },
  });

  /** A POST action: session, then CSRF token (header, else the body's `csrf`), then the body's fields. */
  const action = <T>(
    schema: z.ZodMiniType<T>,
    run: (body: T, session: DashboardSession) => Promise<string>,
  ): HttpRoute => ({
    admit: (head) => {
      const session = sessionOf(head);
      if (!session) return UNAUTHORIZED_JSON;
      const header = head.headers["x-csrf-token"];
      if (typeof header === "string" && !sameSecret(header, session.csrf))
        return json(403, { error: "bad CSRF token" });
      return undefined;
    },
    handle: async (req) => {
      const session = sessionOf(req);
      if (!session) return UNAUTHORIZED_JSON;
      const fields = bodyFields(req);
      const header = req.headers["x-csrf-token"];
      const csrf = typeof header === "string" ? header : fields?.csrf;
      if (typeof csrf !== "string" || !sameSecret(csrf, session.csrf))
        return json(403, { error: "missing or bad CSRF token", hint: "Reload the page and try again." });
      const parsed = schema.safeParse(fields);
      if (!parsed.success) return json(400, { error: "bad request", detail: z.prettifyError(parsed.error) });
      try {
        const message = await run(parsed.data, session);
        log("info", `control page: dashboard session ${session.label}: ${message}`);
        return json(200, { ok: true, message });
      } catch (err) {
        if (!(err instanceof UserFacingError)) throw err;
        return json(400, { error: err.detail.message, ...(err.detail.hint ? { hint: err.detail.hint } : {}) });
      }
    },
  });

  /** The CLI's calls: they carry the key of `<state>/control-ui.json`. */
  const cli = (run: () => object): HttpRoute => ({
    admit: (head) => {
      const key = bearer(head);
      return key !== undefined && sameSecret(key, parts.cliKey) ? undefined : json(401, { error: "bad key" });
    },
    handle: () => json(200, run()),
  });

  http.route(
    "POST",
    "/ui/api/link",
    cli(() => {
      const link = sessions.issueLink();
      return { path: `/ui/login?token=${link.token}`, expiresAtMs: link.expiresAtMs };
    }),
  );
  http.route(
    "POST",
    "/ui/api/revoke",
    cli(() => {
      const ended = sessions.revokeAll();
      log("info", `control page: every dashboard session ended (${ended} live)`);
      return { ended };
    }),
  );

  http.route("GET", "/ui/login", (req) => {
    const token = new URLSearchParams(req.query ?? "").get("token");
    const session = token ? sessions.login(token) : undefined;
    if (!session)
      return refusalPage(
        401,
        "This link does not work",
        `It was used already or is older than 5 minutes. ${HOW_TO_LOG_IN}`,
      );
    log("info", `control page: dashboard session ${session.label} logged in`);
    return {
      status: 303,
      headers: {
        ...SECURITY_HEADERS,
        location: "/ui/",
        "set-cookie": `${SESSION_COOKIE}=${session.id}; HttpOnly; SameSite=Strict; Path=/ui`,
      },
      body: "",
    };
  });

  const assets = parts.assets;
  const notBuilt = refusalPage(503, "Not built", "The control page's assets are missing: run `npm run build`.");
  http.route("GET", "/ui", () => ({ status: 308, headers: { ...SECURITY_HEADERS, location: "/ui/" }, body: "" }));
  for (const path of VIEW_PATHS)
    http.route(
      "GET",
      path,
      page((_req, s) => (assets ? shell(s.csrf) : notBuilt), false),
    );
  for (const [path, type, body] of [
    ["/ui/app.js", "text/javascript", assets?.js],
    ["/ui/app.css", "text/css", assets?.css],
  ] as const) {
    const answer: HttpResponse = {
      status: body === undefined ? 404 : 200,
      headers: { ...SECURITY_HEADERS, "content-type": `${type}; charset=utf-8` },
      body: body ?? "",
    };
    http.route(
      "GET",
      path,
      page(() => answer, false),
    );
  }

  const { ledger } = services.sessions;
  const spend = freshFor(services.clock, (now) => spendReport(ledger, services.config().config.budgets, now));
  const spendToday = freshFor(services.clock, async (now) => {
    const rows = await spendTodayByProfile(ledger, now);
    return new Map([...rows].map(([id, row]) => [id, costText(row)]));
  });

  http.route(
    "GET",
    "/ui/api/credentials",
    page(
      async () => json(200, credentialsView(services, await spendToday(), (await parts.chats.current()).pins)),
      true,
    ),
  );
  http.route(
    "GET",
    "/ui/api/chats",
    page(async (req) => {
      const q = new URLSearchParams(req.query ?? "");
      const pageNo = Number.parseInt(q.get("page") ?? "0", 10);
      const text = await chatsPageJson(services, parts.chats, q.get("q") ?? "", Number.isFinite(pageNo) ? pageNo : 0);
      // The page's JSON is kept as text; the time it is answered at goes in front.
      return {
        status: 200,
        headers: { ...SECURITY_HEADERS, "content-type": "application/json" },
        body: `{"now":${services.clock()},${text.slice(1)}`,
      };
    }, true),
  );
  http.route(
    "GET",
    "/ui/api/spend",
    page(async () => {
      // usage.ledger: false stops the recording, not the reading: past turns still show.
      const recording = services.config().config.usage?.ledger !== false;
      return json(200, { recording, ...(await spend()) });
    }, true),
  );

  http.route(
    "POST",
    "/ui/api/unpin",
    action(unpinBody, async ({ key }, session) => {
      const record = await services.sessions.get(key);
      if (record?.profileId === undefined)
        throw new UserFacingError({ code: "no_pin", message: `${key} has no pinned profile.` });
      await services.sessions.update(
        key,
        { profileId: null, setBy: `dashboard session ${session.label}` },
        services.clock(),
      );
      return `unpinned ${record.profileId} from ${key}`;
    }),
  );
  http.route(
    "POST",
    "/ui/api/clear-cooldown",
    action(cooldownBody, async ({ profileId }) => {
      await services.sessions.cooldowns.clear(profileId);
      return `cleared the cooldowns of ${profileId}`;
    }),
  );
  http.route(
    "POST",
    "/ui/api/order",
    action(orderBody, async ({ provider, order }) => {
      await parts.actions.setOrder(provider, order);
      return `set the ${provider} order to ${order.join(", ")}`;
    }),
  );
  http.route(
    "POST",
    "/ui/api/default-model",
    action(defaultModelBody, async ({ model }) => parts.actions.setDefaultModel(model)),
  );
}
