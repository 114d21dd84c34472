import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AllowedHosts, configuredHostNames } from "../../src/gateway/allowed-hosts.js";
import { GatewayHttpServer, MAX_BODY_BYTES, parseJsonBody, type HttpLimits } from "../../src/gateway/http-server.js";
import { rawRequest } from "../support/raw-http.js";

const logs: string[] = [];
const server = new GatewayHttpServer((level, m) => void logs.push(`${level} ${m}`), {
  allowedHosts: ["gw.example.com", ".corp.example"],
});
let base = "";
let port = 0;

beforeAll(async () => {
  server.route("POST", "/echo", (req) => {
    const body = parseJsonBody(req.body);
    return body === undefined
      ? { status: 400, body: { error: "malformed JSON" } }
      : { status: 200, body: { got: body } };
  });
  server.route("POST", "/bug", () => {
    throw new Error("boom");
  });
  server.route("POST", "/guarded", {
    admit: (head) => (head.headers["x-key"] === "open-sesame" ? undefined : { status: 401, body: { error: "no" } }),
    handle: (req) => ({ status: 200, body: { bytes: req.body.length } }),
  });
  server.reserve("POST", "/hook", "telegram");
  port = await server.listen(0, "127.0.0.1");
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await server.close();
});

describe("GatewayHttpServer", () => {
  it("answers /healthz", async () => {
    const r = await fetch(`${base}/healthz`);
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ ok: true });
  });

  it("sends each answer with its length, not chunked, and keeps the connection for the next request", async () => {
    const { received } = await rawRequest(
      port,
      'POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 7\r\n\r\n{"a":1}',
    );
    const head = received.slice(0, received.indexOf("\r\n\r\n")).toLowerCase();
    expect(head).toContain("content-length: 15");
    expect(head).not.toContain("transfer-encoding");
    expect(head).toContain("connection: keep-alive");
  });

  it("refuses bodies over 1 MB with 413, declared or streamed", async () => {
    const big = "x".repeat(MAX_BODY_BYTES + 1);
    expect((await fetch(`${base}/echo`, { method: "POST", body: big })).status).toBe(413);
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 3; i++) c.enqueue(new TextEncoder().encode("y".repeat(MAX_BODY_BYTES / 2)));
        c.close();
      },
    });
    const r = await fetch(`${base}/echo`, { method: "POST", body: chunked, duplex: "half" } as RequestInit);
    expect(r.status).toBe(413);
  });

  it("lets routes answer malformed JSON with 400 and unknown paths get 404", async () => {
    expect((await fetch(`${base}/echo`, { method: "POST", body: "{nope" })).status).toBe(400);
    expect(await (await fetch(`${base}/echo`, { method: "POST", body: '{"a":1}' })).json()).toEqual({ got: { a: 1 } });
    expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  });

  it("survives a client that disconnects in the middle of its body", async () => {
    await new Promise<void>((resolve, reject) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nabc");
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 50);
      });
      socket.on("error", reject);
    });
    await new Promise((r) => setTimeout(r, 50));
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("keeps serving after a handler bug, which is logged without a stack", async () => {
    expect((await fetch(`${base}/bug`, { method: "POST" })).status).toBe(500);
    expect(logs.at(-1)).toBe("error POST /bug failed: boom");
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

/** GET /healthz with this Host header; the status, and the body when it is text. */
function withHost(host: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ port, host: "127.0.0.1", path: "/healthz", headers: { host } }, (res) => {
      let text = "";
      res.on("data", (c: Buffer) => void (text += c.toString("utf8")));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** A POST whose head says `length` bytes follow, of which none is ever sent. */
function headOnly(path: string, length: number, extra = ""): string {
  return `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: ${length}\r\n${extra}\r\n`;
}

describe("GatewayHttpServer: the Host header (DNS rebinding)", () => {
  it("refuses a host name it was not told about with 421 and logs each such name once", async () => {
    expect(await withHost("rebind.attacker.example")).toEqual({ status: 421, text: "unknown host\n" });
    expect((await withHost(`rebind.attacker.example:${port}`)).status).toBe(421);
    expect((await withHost("rebind.attacker.example")).status).toBe(421);
    for (const lookalike of ["corp.example.attacker.example", "xcorp.example", "gw.example.com.attacker.example"])
      expect((await withHost(lookalike)).status).toBe(421);
    const warnings = logs.filter((l) => l.includes("refused a request for host"));
    expect(warnings.filter((l) => l.includes('"rebind.attacker.example"'))).toEqual([
      'warn http: refused a request for host "rebind.attacker.example"; if it is ours, add it to gateway.allowedHosts',
    ]);
  });

  it("accepts loopback names, any IP literal, the configured names and the subdomains of a dotted one", async () => {
    for (const host of [
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      "app.localhost",
      `[::1]:${port}`,
      "192.168.1.20:18789",
      "GW.Example.com",
      "corp.example",
      "build.corp.example",
    ])
      expect([host, (await withHost(host)).status]).toEqual([host, 200]);
  });

  it("takes the configured names from gateway.allowedHosts, the bind address and the Telegram webhook URL", () => {
    const hosts = new AllowedHosts(
      configuredHostNames(
        {
          gateway: { allowedHosts: ["status.example.net"] },
          channels: { telegram: { webhookUrl: "https://bot.example.org:8443/telegram-webhook" } },
        },
        "gateway.lan",
      ),
    );
    for (const host of ["status.example.net", "bot.example.org:443", "gateway.lan:18789"])
      expect(hosts.allows(host)).toBe(true);
    expect(hosts.allows("example.org")).toBe(false);
    expect(hosts.allows(undefined)).toBe(false);
  });
});

describe("GatewayHttpServer: route and authorize before reading a body", () => {
  it("answers an unknown path 404 and a refused header check 401 without waiting for the body, and closes", async () => {
    for (const [path, extra, status] of [
      ["/nowhere", "", "404"],
      ["/guarded", "X-Key: wrong\r\n", "401"],
      ["/hook", "", "503"],
    ] as const) {
      // The 100 kB never come: an answer proves the server did not wait to read them.
      const out = await rawRequest(port, headOnly(path, 100_000, extra));
      expect(out.received).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
      expect(out.received.toLowerCase()).toContain("connection: close");
    }
    expect(await rawRequest(port, `${headOnly("/guarded", 3, "X-Key: open-sesame\r\n")}abc`)).toMatchObject({
      received: expect.stringMatching(/^HTTP\/1\.1 200 /),
    });
  });

  it("holds a channel's reserved path with 503 and Retry-After until the channel routes it, and again after", async () => {
    const post = () => server.handle({ method: "POST", path: "/hook", headers: {}, body: Buffer.from("{}") });
    expect(await post()).toEqual({
      status: 503,
      headers: { "retry-after": "5" },
      body: { error: "telegram is starting" },
    });
    server.route("POST", "/hook", () => ({ status: 200, body: { handled: true } }));
    expect(await post()).toEqual({ status: 200, body: { handled: true } });
    server.unroute("POST", "/hook");
    expect((await post()).status).toBe(503);
    server.route("POST", "/elsewhere", () => ({ status: 200 }));
    server.unroute("POST", "/elsewhere");
    expect(
      (await server.handle({ method: "POST", path: "/elsewhere", headers: {}, body: Buffer.alloc(0) })).status,
    ).toBe(404);
  });
});

describe("GatewayHttpServer: slow and numerous clients", () => {
  async function limited(limits: Partial<HttpLimits>): Promise<{ port: number; close(): Promise<void> }> {
    const s = new GatewayHttpServer(() => undefined, { limits });
    s.route("POST", "/echo", (req) => ({ status: 200, body: { bytes: req.body.length } }));
    const p = await s.listen(0, "127.0.0.1");
    return { port: p, close: () => s.close() };
  }

  it("closes a connection whose head or body does not arrive in time (slowloris), and an idle kept-alive one", async () => {
    // Node's own defaults would keep each of these open for minutes.
    const s = await limited({ headersTimeoutMs: 200, requestTimeoutMs: 400, keepAliveTimeoutMs: 200 });
    try {
      const head = await rawRequest(s.port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n", { untilClosed: true });
      expect(head.closed).toBe(true);
      const body = await rawRequest(s.port, `${headOnly("/echo", 10)}abc`, { untilClosed: true });
      expect(body.closed).toBe(true);
      expect(body.received).not.toMatch(/^HTTP\/1\.1 200 /);
      // Node's default keep-alive is 5 s: a shorter wait tells ours from it on all but a very busy machine.
      const idle = await rawRequest(s.port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", {
        untilClosed: true,
        limitMs: 1500,
      });
      expect(idle).toMatchObject({ closed: true, received: expect.stringMatching(/^HTTP\/1\.1 200 /) });
    } finally {
      await s.close();
    }
  });

  it("drops connections beyond the cap while the others are served", async () => {
    const s = await limited({ maxConnections: 2 });
    const held: net.Socket[] = [];
    try {
      // Two kept-alive connections, each answered once so the server has surely counted it.
      for (let i = 0; i < 2; i++) {
        const socket = net.connect(s.port, "127.0.0.1");
        held.push(socket);
        await new Promise<void>((resolve) => {
          socket.once("data", () => resolve());
          socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        });
      }
      const third = await rawRequest(s.port, "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", {
        untilClosed: true,
      });
      expect(third).toEqual({ received: "", closed: true });
    } finally {
      for (const socket of held) socket.destroy();
      await s.close();
    }
  });
});
