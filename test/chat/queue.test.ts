import { describe, expect, it } from "vitest";
import { SessionQueue } from "../../src/chat/queue.js";

/** A promise with its resolve, so a test decides when a turn ends. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open = () => {};
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("SessionQueue", () => {
  it("runs the turns of one session one after the other, in arrival order", async () => {
    const queue = new SessionQueue();
    const events: string[] = [];
    const first = gate();
    const a = queue.run("s", async () => {
      events.push("a starts");
      await first.promise;
      events.push("a ends");
      return "A";
    });
    const b = queue.run("s", async () => {
      events.push("b starts");
      return "B";
    });
    await Promise.resolve();
    expect(events).toEqual(["a starts"]);
    first.open();
    expect(await Promise.all([a, b])).toEqual(["A", "B"]);
    expect(events).toEqual(["a starts", "a ends", "b starts"]);
  });

  it("runs other sessions at once, and a failed turn neither holds up the next nor hides its error", async () => {
    const queue = new SessionQueue();
    const held = gate();
    const slow = queue.run("s1", () => held.promise);
    expect(await queue.run("s2", async () => "other session")).toBe("other session");
    held.open();
    await slow;
    await expect(queue.run("s1", async () => Promise.reject(new Error("store down")))).rejects.toThrow("store down");
    expect(await queue.run("s1", async () => "next")).toBe("next");
  });

  it("forgets a session once its last turn has ended", async () => {
    const queue = new SessionQueue();
    await Promise.all([queue.run("s1", async () => 1), queue.run("s2", async () => 2), queue.run("s1", async () => 3)]);
    await new Promise((r) => setImmediate(r));
    expect(queue.size).toBe(0);
  });
});
