import { describe, it } from "vitest";
import { findRedisServer } from "./redis-server.js";

function inCI(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci !== "false";
}

/**
 * `describe` for Redis suites. Without a `redis-server` binary the suite is skipped with a message
 * locally, and fails in CI (`$CI` set), where a missing binary is a broken setup, not a choice.
 */
export function describeRedis(name: string, body: () => void): void {
  if (findRedisServer()) {
    describe(name, body);
    return;
  }
  if (inCI()) {
    describe(name, () => {
      it("needs redis-server", () => {
        throw new Error(
          "redis-server not found but $CI is set: install it (.ci/debian-packages.sh) or set REDIS_SERVER_BIN",
        );
      });
    });
    return;
  }
  process.stderr.write(
    `[sessions] skipping "${name}": redis-server not found (apt-get install redis-server, or set REDIS_SERVER_BIN)\n`,
  );
  describe.skip(name, body);
}
