import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayHttpServer, MAX_BODY_BYTES, parseJsonBody } from "../../src/gateway/http-server.js";

const logs: string[] = [];
const server = new GatewayHttpServer((level, m) => void logs.push(`${level} ${m}`));
let base = "";

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
  base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
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
    const port = Number(new URL(base).port);
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
