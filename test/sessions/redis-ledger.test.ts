import crypto from "node:crypto";
import os from "node:os";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { openSessionStore } from "../../src/sessions/open.js";
import type { SessionStore } from "../../src/sessions/types.js";
import { describeRedis } from "./describe-redis.js";
import { usageLedgerContract } from "./ledger-contract.js";
import { RedisServer } from "./redis-server.js";

describeRedis("redis usage ledger", () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.cleanup();
  });

  // Every test gets its own key prefix on the shared server.
  usageLedgerContract("redis", async () => {
    const prefix = `t${crypto.randomBytes(4).toString("hex")}:`;
    const config = { session: { store: { kind: "redis" as const, url: server.url, keyPrefix: prefix } } };
    const opened: SessionStore[] = [];
    return {
      async open() {
        const store = await openSessionStore({ config, stateDir: os.tmpdir() });
        opened.push(store);
        return store;
      },
      async rawEntries() {
        const raw = new Redis(server.url);
        try {
          const keys = await raw.keys(`${prefix}ledger:raw:*`);
          const counts = await Promise.all(keys.map((k) => raw.hlen(k)));
          return counts.reduce((a, b) => a + b, 0);
        } finally {
          raw.disconnect();
        }
      },
      async cleanup() {
        for (const s of opened) await s.close();
      },
    };
  });
});
