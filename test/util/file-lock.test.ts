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
});
