import http from "node:http";
import type { AddressInfo } from "node:net";
import { errorMessage, type Log } from "./log.js";

/** Largest request body accepted; anything bigger is answered 413 without reading it all. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** A request as routes see it: the body already read and bounded. */
export interface HttpRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
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

/** Parses a JSON body, or undefined when it is not JSON (callers answer 400). */
export function parseJsonBody(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    return undefined;
  }
}

/**
 * The gateway's one HTTP server: `GET /healthz`, the Telegram webhook and the Discord interactions
 * endpoint register routes on it. Bodies over 1 MB get 413; unknown routes 404.
 */
export class GatewayHttpServer {
  private readonly routes = new Map<string, HttpHandler>();
  private server: http.Server | undefined;

  constructor(private readonly log: Log) {
    this.route("GET", "/healthz", () => ({ status: 200, body: { ok: true } }));
  }

  /** Registers a handler for an exact method and path. */
  route(method: string, path: string, handler: HttpHandler): void {
    this.routes.set(`${method} ${path}`, handler);
  }

  /** Starts listening; resolves with the bound port. */
  async listen(port: number, host: string): Promise<number> {
    const server = http.createServer((req, res) => {
      this.dispatch(req, res).catch((err: unknown) => {
        // The client went away mid-body (or the socket broke): nothing left to answer.
        this.log("warn", `${req.method ?? "?"} ${req.url ?? "?"}: request dropped: ${errorMessage(err)}`);
        req.destroy();
        if (!res.headersSent) res.destroy();
      });
    });
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
    const handler = this.routes.get(`${req.method} ${req.path}`);
    if (!handler) return { status: 404, body: { error: "not found" } };
    try {
      return await handler(req);
    } catch (err) {
      this.log("error", `${req.method} ${req.path} failed: ${errorMessage(err)}`);
      return { status: 500, body: { error: "internal error" } };
    }
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > MAX_BODY_BYTES) return this.send(res, { status: 413, body: { error: "body too large" } }, true);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) {
        tooLarge = true;
        break;
      }
      chunks.push(chunk as Buffer);
    }
    if (tooLarge) return this.send(res, { status: 413, body: { error: "body too large" } }, true);
    const out = await this.handle({
      method: req.method ?? "GET",
      path,
      headers: req.headers,
      body: Buffer.concat(chunks),
    });
    this.send(res, out, false);
  }

  private send(res: http.ServerResponse, out: HttpResponse, close: boolean): void {
    const isObject = typeof out.body === "object";
    const body = out.body === undefined ? "" : isObject ? JSON.stringify(out.body) : String(out.body);
    res.writeHead(out.status, {
      ...(isObject ? { "content-type": "application/json" } : {}),
      ...(close ? { connection: "close" } : {}),
      ...out.headers,
    });
    res.end(body);
  }
}
