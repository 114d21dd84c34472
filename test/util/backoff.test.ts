import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/util/backoff.js";

const waits = (policy: Parameters<typeof backoffDelay>[0], n: number) =>
  Array.from({ length: n }, (_, retry) => backoffDelay(policy, retry));

describe("backoffDelay", () => {
  it("doubles from the first wait and stays at the longest", () => {
    expect(waits({ initialMs: 25, maxMs: 250 }, 7)).toEqual([25, 50, 100, 200, 250, 250, 250]);
    expect(waits({ initialMs: 2000, maxMs: 300_000 }, 10)).toEqual([
      2000, 4000, 8000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000,
    ]);
  });

  it("grows by another factor when given one", () => {
    expect(waits({ initialMs: 250, maxMs: 10_000, factor: 3 }, 4)).toEqual([250, 750, 2250, 6750]);
  });

  it("stays a number after very many attempts, also from a zero first wait", () => {
    expect(backoffDelay({ initialMs: 20, maxMs: 250 }, 5000)).toBe(250);
    expect(backoffDelay({ initialMs: 0, maxMs: 250 }, 5000)).toBe(0);
  });
});
