import http from "node:http";
import https from "node:https";
import { urlToHttpOptions } from "node:url";

/** What grammY passes to `fetch` for one Bot API call (core/client.js, payload.js). */
interface BotApiRequestInit {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** grammY's keep-alive agent for the API root (platform.node.js `baseFetchConfig`). */
  readonly agent?: http.Agent;
  readonly signal?: AbortSignal | null;
}

/** The part of a fetch `Response` grammY reads: it only ever calls `json()`. */
interface BotApiResponse {
  readonly ok: boolean;
  readonly status: number;
  json(): Promise<unknown>;
}

/** The error a fetch rejects with when its signal aborts; grammY reports it as a timeout or a stop. */
function abortError(): Error {
  const err = new Error("The Bot API call was aborted");
  err.name = "AbortError";
  return err;
}

/** Where a request goes, as `http.request` takes it. */
type Target = Pick<http.RequestOptions, "protocol" | "hostname" | "port" | "path" | "auth">;

/** Where a Bot API URL points, parsed once per URL: a gateway calls the same few methods again and again. */
const targets = new Map<string, Target>();
/** Distinct URLs whose parse is kept (the methods a bot calls, times the tokens it runs with). */
const MAX_TARGETS = 256;

function targetOf(url: string): Target {
  let target = targets.get(url);
  if (target === undefined) {
    const { protocol, hostname, port, path, auth } = urlToHttpOptions(new URL(url));
    target = { protocol, hostname, port, path, auth };
    if (targets.size < MAX_TARGETS) targets.set(url, target);
  }
  return target;
}

/**
 * A JSON Bot API call on node:http(s) itself. Every call the gateway makes has a JSON body, which
 * grammY hands over as a string; node-fetch, grammY's default, builds Request, Headers and Body
 * objects around each one, and on the webhook path that was a large share of an update's cost
 * (`npm run bench -- "telegram webhook"`). The body goes out as the string it is, so Node writes it
 * with the request head in one piece. Other bodies (grammY's multipart file uploads) go through the
 * platform's fetch.
 */
function botApiFetch(url: string, init: BotApiRequestInit = {}): Promise<BotApiResponse> {
  const { body, signal } = init;
  if (typeof body !== "string") return globalThis.fetch(url, init as RequestInit);
  if (signal?.aborted) return Promise.reject(abortError());
  return new Promise((resolve, reject) => {
    const { protocol, hostname, port, path, auth } = targetOf(url);
    // One literal of one shape for every call: spreading the parsed URL into it cost as much as the parse.
    const request = (protocol === "https:" ? https : http).request({
      protocol,
      hostname,
      port,
      path,
      auth,
      method: init.method ?? "POST",
      headers: { ...init.headers, "content-length": Buffer.byteLength(body, "utf8") },
      agent: init.agent,
    });
    const onAbort = (): void => {
      request.destroy(abortError());
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const done = (): void => signal?.removeEventListener("abort", onAbort);
    request.once("error", (err) => {
      done();
      reject(err);
    });
    request.once("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.once("error", (err) => {
        done();
        reject(err);
      });
      response.once("end", () => {
        done();
        const text = Buffer.concat(chunks).toString("utf8");
        const status = response.statusCode ?? 0;
        resolve({ ok: status >= 200 && status < 300, status, json: async () => JSON.parse(text) as unknown });
      });
    });
    request.end(body, "utf8");
  });
}

/**
 * {@link botApiFetch} typed as grammY's `client.fetch` option. The cast holds because grammY calls
 * nothing on a response but `json()` (core/client.js: `this.fetch(url, options).then((res) => res.json())`);
 * the Telegram tests run every call through it against a loopback Bot API.
 */
export const telegramFetch = botApiFetch as unknown as typeof fetch;
