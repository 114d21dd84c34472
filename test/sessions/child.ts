import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { ROOT, requireBuild } from "../support/cli.js";
import { scaled } from "../support/slowness.js";
import type { WriterSpec } from "./fixtures/writer.js";

/**
 * The compiled writer (`npm test` builds it with everything else). Running the TypeScript source
 * through a transpiling loader cost a TypeScript compiler load per child, 5-6 s each on a busy machine.
 */
const script = path.join(ROOT, "dist", "test", "sessions", "fixtures", "writer.js");

/** A running writer process (fixtures/writer.ts) and the lines it printed so far. */
export interface Writer {
  readonly proc: ChildProcess;
  readonly lines: string[];
  /** Resolves with the line once the writer printed `line`, or rejects when it exits first. */
  waitFor(line: string | ((lines: readonly string[]) => boolean), timeoutMs?: number): Promise<void>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts `fixtures/writer.ts` (compiled) in a separate `node` process. */
export function startWriter(spec: WriterSpec): Writer {
  requireBuild();
  const proc = spawn(process.execPath, [script, JSON.stringify(spec)], { stdio: ["ignore", "pipe", "pipe"] });
  const lines: string[] = [];
  let partial = "";
  let stderr = "";
  const waiters = new Set<() => void>();
  proc.stdout?.on("data", (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split("\n");
    partial = parts.pop() ?? "";
    lines.push(...parts);
    for (const w of waiters) w();
  });
  proc.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  let exitedFlag = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    proc.once("close", (code, signal) => {
      exitedFlag = true;
      for (const w of waiters) w();
      resolve({ code, signal, stderr });
    }),
  );
  return {
    proc,
    lines,
    exited,
    waitFor(line, timeoutMs = scaled(15_000)) {
      const test = typeof line === "string" ? (ls: readonly string[]) => ls.includes(line) : line;
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => finish(new Error(`writer: timed out waiting; stderr:\n${stderr}`)), timeoutMs);
        const check = () => {
          if (test(lines)) finish();
          else if (exitedFlag) finish(new Error(`writer exited early; stderr:\n${stderr}`));
        };
        const finish = (err?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (err) reject(err);
          else resolve();
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/**
 * Polls `probe` until it returns true; resolves with the milliseconds it took, rejects after
 * `timeoutMs` (a quiet-machine figure, scaled by this run's slowness).
 */
export async function eventually(
  probe: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what = "condition",
): Promise<number> {
  const start = performance.now();
  const limit = scaled(timeoutMs);
  for (;;) {
    if (await probe()) return performance.now() - start;
    if (performance.now() - start > limit) throw new Error(`${what} not seen within ${limit} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
