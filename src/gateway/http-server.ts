import http from "node:http";
import type { AddressInfo } from "node:net";
import { AllowedHosts } from "./allowed-hosts.js";
import { errorMessage, type Log } from "./log.js";

/** Largest request body accepted; anything bigger is answered 413 without reading it all. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A request before its body is read: what a route may check first. */
export interface HttpRequestHead {
  readonly method: string;
  readonly path: string;
  /** The request target's query, without its `?` (absent when it has none). */
  readonly query?: string;
  readonly headers: http.IncomingHttpHeaders;
}

/** A request as route handlers see it: the body already read and bounded. */
export interface HttpRequest extends HttpRequestHead {
  readonly body: Buffer;
}

/** What a route answers. An object body is sent as JSON. */
export interface HttpResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body?: string | object;
}

/** A route handler. Bad input must be answered 4xx by the handler; a throw is a bug (500, logged). */
export type HttpHandler = (req: HttpRequest) => Promise<HttpResponse> | HttpResponse;

/** A route whose requests are checked on their headers before any of the body is read. */
export interface HttpRoute {
  /** A response refuses the request at once (a wrong secret, a missing signature); undefined admits it. */
  readonly admit: (head: HttpRequestHead) => HttpResponse | undefined;
  readonly handle: HttpHandler;
}

/** Seconds a client is told to wait (`Retry-After`) while a channel starts or stops. */
export const RETRY_AFTER_SECONDS = 5;

/** A 503 that asks the sender (Telegram) to deliver again later. */
export function unavailable(reason: string): HttpResponse {
  return { status: 503, headers: { "retry-after": String(RETRY_AFTER_SECONDS) }, body: { error: reason } };
}

/** Time and connection limits of the server socket (slow or too many clients cannot starve it). */
export interface HttpLimits {
  /** The whole request head must arrive within this (default 10 s). */
  readonly headersTimeoutMs: number;
  /** The whole request, body included, must arrive within this (default 30 s). */
  readonly requestTimeoutMs: number;
  /** An idle kept-alive connection is closed after this (default 5 s). */
  readonly keepAliveTimeoutMs: number;
  /** Connections beyond this are dropped at once (default 256). */
  readonly maxConnections: number;
}

/** The production limits. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 256,
};

/** How the server is built; every field has a production default. */
export interface HttpServerOptions {
  /** Host names answered besides loopback and IP literals (see {@link AllowedHosts}). */
  readonly allowedHosts?: readonly string[];
  readonly limits?: Partial<HttpLimits>;
}

/** Parses a JSON body, or undefined when it is not JSON (callers answer 400). */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/** Distinct refused `Host` values logged, so an operator sees a missing name without a log flood. */
const MAX_LOGGED_HOSTS = 16;

/** The path of a request target, without its query. */
function pathOf(url: string): string {
  const query = url.indexOf("?");
  return query < 0 ? url : url.slice(0, query);
}

/** The query of a request target, without its `?`, or undefined when it has none. */
function queryOf(url: string): string | undefined {
  const query = url.indexOf("?");
  return query < 0 ? undefined : url.slice(query + 1);
}

function routeKey(method: string, path: string): string {
  return `${method} ${path}`;
}

const TOO_LARGE: HttpResponse = { status: 413, body: { error: "body too large" } };

/**
 * Reads a request body of at most {@link MAX_BODY_BYTES}; undefined when it is longer. Plain stream
 * events rather than an async iterator: this runs for every webhook update.
 */
function readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else {
        req.off("data", onData);
        req.pause();
        resolve(undefined);
      }
    };
    let ended = false;
    req.on("data", onData);
    req.once("error", reject);
    // `close` follows `end` on every request: only one without it lost its client mid-body (and
    // only then is an Error, with its stack, worth building).
    req.once("close", () => {
      if (!ended) reject(new Error("the client closed the connection mid-body"));
    });
    req.once("end", () => {
      ended = true;
      resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, size));
    });
  });
}

/** True when a body follows the head (so a refusal must close the connection rather than read it). */
function hasBody(req: http.IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
}

/**
 * The gateway's one HTTP server: `GET /healthz`, `/readyz`, `/metrics`, the Telegram webhook and the
 * Discord interactions endpoint. A request is checked in this order, and nothing of its body is
 * read before the last step: the `Host` header (421), the route (404), a path reserved for a
 * channel that is still starting (503 with `Retry-After`), the route's own header check (a wrong
 * secret: 401), the declared size (413); then the body is read, bounded (413), and handled.
 */
export class GatewayHttpServer {
  private readonly routes = new Map<string, HttpRoute>();
  /** Paths held for channels that have not started, by route key: the channel's name. */
  private readonly reserved = new Map<string, string>();
  private readonly hosts: AllowedHosts;
  private readonly limits: HttpLimits;
  private readonly refusedHosts = new Set<string>();
  private server: http.Server | undefined;

  constructor(
    private readonly log: Log,
    opts: HttpServerOptions = {},
  ) {
    this.hosts = new AllowedHosts(opts.allowedHosts ?? []);
    this.limits = { ...DEFAULT_HTTP_LIMITS, ...opts.limits };
    this.route("GET", "/healthz", () => ({ status: 200, body: { ok: true } }));
  }

  /** Registers a handler (or a route checked before its body is read) for an exact method and path. */
  route(method: string, path: string, route: HttpHandler | HttpRoute): void {
    this.routes.set(
      routeKey(method, path),
      typeof route === "function" ? { admit: () => undefined, handle: route } : route,
    );
  }

  /**
   * Holds a channel's path before the channel has started: until it registers its route there, and
   * again after {@link unroute}, requests get 503 with `Retry-After` instead of 404 (Telegram
   * counts a 404 as a broken webhook; a 503 is delivered again).
   */
  reserve(method: string, path: string, channel: string): void {
    this.reserved.set(routeKey(method, path), channel);
  }

  /** Removes a route; a reserved path answers 503 again, any other 404. */
  unroute(method: string, path: string): void {
    this.routes.delete(routeKey(method, path));
  }

  /** Starts listening; resolves with the bound port. */
  async listen(port: number, host: string): Promise<number> {
    const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections } = this.limits;
    const server = http.createServer(
      {
        headersTimeout: headersTimeoutMs,
        requestTimeout: requestTimeoutMs,
        // Node checks both timeouts only this often (30 s by default), which would let them run long.
        connectionsCheckingInterval: Math.min(1000, headersTimeoutMs),
      },
      (req, res) => {
        this.dispatch(req, res).catch((err: unknown) => {
          // The client went away mid-body (or the socket broke): nothing left to answer. The path
          // only: a query may carry a one-time login token.
          this.log("warn", `${req.method ?? "?"} ${pathOf(req.url ?? "?")}: request dropped: ${errorMessage(err)}`);
          req.destroy();
          if (!res.headersSent) res.destroy();
        });
      },
    );
    server.keepAliveTimeout = keepAliveTimeoutMs;
    server.maxConnections = maxConnections;
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, host, () => resolve());
    });
    return (server.address() as AddressInfo).port;
  }

  /** Stops accepting and closes idle connections. */
  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
  }

  /** Handles one request in-process (also used by tests and benches without a socket). */
  async handle(req: HttpRequest): Promise<HttpResponse> {
    const found = this.admit(req);
    return "refusal" in found ? found.refusal : this.run(found.route, req);
  }

  /** The route that takes a request, or the answer that refuses it, from the head alone. */
  private admit(head: HttpRequestHead): { readonly route: HttpRoute } | { readonly refusal: HttpResponse } {
    const key = routeKey(head.method, head.path);
    const route = this.routes.get(key);
    if (!route) {
      const channel = this.reserved.get(key);
      return {
        refusal: channel ? unavailable(`${channel} is starting`) : { status: 404, body: { error: "not found" } },
      };
    }
    const refusal = route.admit(head);
    return refusal ? { refusal } : { route };
  }

  private async run(route: HttpRoute, req: HttpRequest): Promise<HttpResponse> {
    try {
      return await route.handle(req);
    } catch (err) {
      this.log("error", `${req.method} ${req.path} failed: ${errorMessage(err)}`);
      return { status: 500, body: { error: "internal error" } };
    }
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = req.url ?? "/";
    const head: { -readonly [K in keyof HttpRequestHead]: HttpRequestHead[K] } = {
      method: req.method ?? "GET",
      path: pathOf(url),
      headers: req.headers,
    };
    // Assigned, not spread conditionally: V8 builds `...(x ? { a } : {})` far slower, per request.
    const query = queryOf(url);
    if (query !== undefined) head.query = query;
    // A refusal leaves the body unread, so the connection closes rather than carry it to the next request.
    const refuse = (out: HttpResponse) => this.send(res, out, hasBody(req));
    if (!this.hosts.allows(req.headers.host)) return refuse(this.misdirected(req.headers.host));
    const found = this.admit(head);
    if ("refusal" in found) return refuse(found.refusal);
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) return refuse(TOO_LARGE);
    const body = await readBody(req);
    if (body === undefined) return refuse(TOO_LARGE);
    this.send(res, await this.run(found.route, { ...head, body }), false);
  }

  private misdirected(host: string | undefined): HttpResponse {
    const shown = JSON.stringify((host ?? "").slice(0, 100));
    if (this.refusedHosts.size < MAX_LOGGED_HOSTS && !this.refusedHosts.has(shown)) {
      this.refusedHosts.add(shown);
      this.log("warn", `http: refused a request for host ${shown}; if it is ours, add it to gateway.allowedHosts`);
    }
    return { status: 421, headers: { "content-type": "text/plain" }, body: "unknown host\n" };
  }

  private send(res: http.ServerResponse, out: HttpResponse, close: boolean): void {
    const isObject = typeof out.body === "object";
    const body = out.body === undefined ? "" : isObject ? JSON.stringify(out.body) : String(out.body);
    if (isObject) res.setHeader("content-type", "application/json");
    if (close) res.setHeader("connection", "close");
    if (out.headers) for (const [name, value] of Object.entries(out.headers)) res.setHeader(name, value);
    // No writeHead: `end` then knows the body and sends its length, head and body in one write. With
    // the head written first, every answer went out chunked.
    res.statusCode = out.status;
    res.end(body);
  }
}
