import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withFileLock } from "../../src/util/file-lock.js";

const roots: string[] = [];
afterAll(() => {
  for (const r of roots.splice(0)) fs.rmSync(r, { recursive: true, force: true });
});

function target(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-lock-"));
  roots.push(root);
  return path.join(root, "auth-profiles.json");
}

function holdAs(file: string, owner: object | undefined, ageMs = 0): void {
  fs.mkdirSync(`${file}.lock`);
  if (owner) fs.writeFileSync(path.join(`${file}.lock`, "owner.json"), JSON.stringify(owner));
  const t = new Date(Date.now() - ageMs);
  fs.utimesSync(`${file}.lock`, t, t);
}

/** The pid of a process that has exited: nothing can hold a lock under it. */
function deadPid(): number {
  return Number(
    spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" }).stdout,
  );
}

describe("withFileLock", () => {
  it("runs the work and removes the lock", async () => {
    const file = target();
    expect(await withFileLock(file, () => (fs.existsSync(`${file}.lock`) ? "held" : "free"))).toBe("held");
    expect(fs.existsSync(`${file}.lock`)).toBe(false);
  });

  it("gives up at the deadline, naming the lock file and its holder", async () => {
    const file = target();
    holdAs(file, {
      pid: process.pid,
      host: os.hostname(),
      command: "models auth order set",
      since: Date.now() - 5_000,
    });
    const err = await withFileLock(file, () => "ran", { deadlineMs: 150 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err?.message).toMatch(
      new RegExp(
        `^Timed out waiting for the lock ${file}\\.lock: held by pid ${process.pid} on ${os.hostname()} \\(models auth order set\\) for [5-9]s\\.`,
      ),
    );
    expect(fs.existsSync(path.join(`${file}.lock`, "owner.json"))).toBe(true);
  });

  it("says so when the holder left no owner record", async () => {
    const file = target();
    holdAs(file, undefined);
    await expect(withFileLock(file, () => "ran", { deadlineMs: 100 })).rejects.toThrow(
      /held by a process that left no owner record, taken \d+s ago/,
    );
  });

  it("takes over at once a lock whose holder on this host has died", async () => {
    const file = target();
    holdAs(file, { pid: deadPid(), host: os.hostname(), command: "killed", since: Date.now() });
    expect(await withFileLock(file, () => "ran", { deadlineMs: 100 })).toBe("ran");
  });

  it("takes over a lock nobody has refreshed for longer than the stale limit", async () => {
    const file = target();
    holdAs(file, { pid: 4242, host: "another-host", command: "?", since: Date.now() - 60_000 }, 60_000);
    expect(await withFileLock(file, () => "ran", { deadlineMs: 100 })).toBe("ran");
  });

  it("lets two writers in one after the other", async () => {
    const file = target();
    const order: string[] = [];
    const slow = withFileLock(file, async () => {
      order.push("a start");
      await new Promise((r) => setTimeout(r, 100));
      order.push("a end");
    });
    const fast = withFileLock(file, () => void order.push("b"));
    await Promise.all([slow, fast]);
    expect(order).toEqual(["a start", "a end", "b"]);
  });

  it("lets no second writer in when a waiter that judged a dead holder's lock stale is delayed", async () => {
    const file = target();
    const rounds = 25;
    let inside = 0;
    let overlaps = 0;
    // Read-modify-write with a pause in between: two writers at once lose one of the updates.
    const increment = async () => {
      inside++;
      if (inside > 1) overlaps++;
      const n = fs.existsSync(file) ? Number(fs.readFileSync(file, "utf8")) : 0;
      await new Promise((r) => setTimeout(r, 5));
      fs.writeFileSync(file, String(n + 1));
      inside--;
    };
    const dead = deadPid();
    for (let round = 0; round < rounds; round++) {
      holdAs(file, { pid: dead, host: os.hostname(), command: "killed", since: Date.now(), token: `dead-${round}` });
      let bInside!: () => void;
      const bHasLock = new Promise<void>((r) => (bInside = r));
      let paused = false;
      // A judges the lock stale, then stalls until B has taken it over and is writing.
      const a = withFileLock(file, increment, {
        beforeTakeover: async () => {
          if (paused) return;
          paused = true;
          await bHasLock;
        },
      });
      await new Promise((r) => setTimeout(r, 1));
      const b = withFileLock(file, async () => {
        bInside();
        await increment();
      });
      await Promise.all([a, b]);
      expect(fs.existsSync(`${file}.lock`)).toBe(false);
    }
    expect(overlaps).toBe(0);
    expect(Number(fs.readFileSync(file, "utf8"))).toBe(2 * rounds);
  });

  it("measures a lock's age with the clock it is given", async () => {
    const file = target();
    const start = Date.parse("2029-01-01T00:00:00Z");
    // Held by a live process on another host: only its age can free it.
    holdAs(file, { pid: process.pid, host: "another-host", command: "?", since: start, token: "t" });
    fs.utimesSync(`${file}.lock`, new Date(start), new Date(start));
    // Each look at the clock is a second later: fresh for the first 10 s, so the wait times out.
    let ticks = start;
    const waiting = () => (ticks += 1_000);
    await expect(withFileLock(file, () => "ran", { deadlineMs: 5_000, clock: waiting })).rejects.toThrow(
      /Timed out.*held by pid \d+ on another-host \(\?\) for [5-9]s/,
    );
    const later = () => start + 11_000;
    expect(await withFileLock(file, () => "ran", { deadlineMs: 1_000, clock: later })).toBe("ran");
  });
});
