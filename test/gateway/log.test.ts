import { spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { secretPieces } from "../../src/auth/redact.js";
import { CLI, cliEnv, requireBuild } from "../support/cli.js";
import { scaled } from "../support/slowness.js";
import { writeStateDir } from "../support/state.js";

const random = (n: number) => crypto.randomBytes(n).toString("hex").slice(0, n);
const WEBHOOK = `whsec_${random(30)}`;
const METRICS = `metrics_${random(30)}`;

// Loaded into the gateway process before the CLI: on SIGUSR2 it fails the way a library bug would,
// with an error whose message holds the secrets given in CRASH_DETAIL.
const PRELOAD = `
process.on("SIGUSR2", () => {
  const error = new Error("webhook setup failed: " + process.env.CRASH_DETAIL);
  if (process.env.CRASH_KIND === "rejection") Promise.reject(error);
  else setImmediate(() => { throw error; });
});
`;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Starts `openclaw gateway`, waits for its start line, makes it crash and resolves with its exit. */
async function crash(kind: "rejection" | "exception"): Promise<{ code: number | null; stderr: string }> {
  const stateDir = writeStateDir({
    prefix: "openclaw-crash-",
    config: { gateway: { port: 0, metrics: { token: METRICS } }, channels: { telegram: { webhookSecret: WEBHOOK } } },
  });
  dirs.push(stateDir);
  const preload = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-preload-")), "crash.cjs");
  dirs.push(path.dirname(preload));
  fs.writeFileSync(preload, PRELOAD);
  const child = spawn(process.execPath, ["--require", preload, CLI, "gateway"], {
    cwd: stateDir,
    env: cliEnv(stateDir, { CRASH_KIND: kind, CRASH_DETAIL: `secret=${WEBHOOK} token=${METRICS}` }),
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const deadline = Date.now() + scaled(15_000);
  while (!/openclaw gateway \S+; state/.test(stderr)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the gateway did not start: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  child.kill("SIGUSR2");
  return { code: await exited, stderr };
}

describe("crash output", () => {
  it.each([
    ["an unhandled rejection", "rejection" as const, "[error] unhandled rejection: Error: webhook setup failed: "],
    ["an uncaught exception", "exception" as const, "[error] uncaught exception: Error: webhook setup failed: "],
  ])("%s is reported through the redactor: no piece of the webhook secret or metrics token", async (_, kind, line) => {
    requireBuild();
    const { code, stderr } = await crash(kind);
    expect(code).toBe(1);
    expect(stderr).toContain(line);
    expect(stderr).toContain("at "); // the stack, for whoever debugs it
    for (const secret of [WEBHOOK, METRICS])
      expect(secretPieces(secret).filter((piece) => stderr.includes(piece))).toEqual([]);
  });
});
