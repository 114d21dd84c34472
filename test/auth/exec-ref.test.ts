import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { resolveSecretRef, type SecretRef } from "../../src/auth/secret-ref.js";
import { ExecRefResults, SecretRefs } from "../../src/auth/secret-refs.js";
import { maskSecret } from "../../src/util/mask.js";
import { apiKey, removeSandboxes, requireBuild, sandbox } from "../cli/support.js";
import { scaled } from "../support/slowness.js";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-exec-ref-"));
const spawned: number[] = [];
afterAll(() => {
  for (const pid of spawned) {
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // Gone already, as it should be.
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  removeSandboxes();
});

const SECRET = apiKey();
const ref: SecretRef = { source: "exec", provider: "vault", id: "anthropic" };

/** A resolver program (run by node) whose body is `body`; it answers with SECRET via `answer()`. */
function script(name: string, body: string): string {
  const file = path.join(dir, `${name}.cjs`);
  const answer = `const answer = () => console.log(JSON.stringify({ protocolVersion: 1, values: { anthropic: ${JSON.stringify(SECRET)} } }));`;
  fs.writeFileSync(file, `${answer}\n${body}\n`, { mode: 0o700 });
  return file;
}

const providers = (file: string, extra: object = {}) => ({
  vault: { source: "exec", command: process.execPath, args: [file], ...extra },
});

/**
 * Whether `pid` still runs. A killed process whose parent died too stays a zombie until PID 1
 * reaps it, and a container's PID 1 may never do so: a zombie runs nothing, so it counts as gone.
 */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return !/^\d+ \(.*\) [ZX] /.test(stat);
  } catch {
    return false;
  }
}

describe("exec refs run asynchronously, in their own process group", () => {
  it("kills the program and every process it started when it times out", async () => {
    const pids = path.join(dir, "pids");
    const file = script(
      "grandchild",
      `const { spawn } = require("node:child_process");
const g = spawn(process.execPath, ["-e", "setTimeout(() => {}, 600000)"], { stdio: "ignore" });
require("node:fs").writeFileSync(${JSON.stringify(pids)}, JSON.stringify([process.pid, g.pid]));
setTimeout(() => {}, 600000);`,
    );
    const r = await resolveSecretRef(ref, { env: {}, providers: providers(file, { timeoutMs: scaled(1000) }) });
    expect(r).toEqual({ ok: false, why: `${process.execPath} timed out after ${scaled(1000)} ms` });
    const [child, grandchild] = JSON.parse(fs.readFileSync(pids, "utf8")) as [number, number];
    spawned.push(child, grandchild);
    // SIGKILL is delivered at once, but the kernel may take a moment to tear a process down.
    const deadline = Date.now() + scaled(2000);
    while ((running(child) || running(grandchild)) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    expect({ child: running(child), grandchild: running(grandchild) }).toEqual({ child: false, grandchild: false });
  });

  it("keeps the event loop answering while a program runs", async () => {
    const file = script("slow", "setTimeout(answer, 1000);");
    let fired = false;
    const timer = setTimeout(() => (fired = true), 100);
    const r = await resolveSecretRef(ref, { env: {}, providers: providers(file) });
    clearTimeout(timer);
    expect(r).toEqual({ ok: true, value: SECRET });
    // With a blocking run the timer could only fire after the answer was already handed back.
    expect(fired).toBe(true);
  });

  it("caps the output whatever maxOutputBytes says, and says so", async () => {
    const file = script("loud", `process.stdout.write("x".repeat(2 * 1024 * 1024)); answer();`);
    const r = await resolveSecretRef(ref, {
      env: {},
      providers: providers(file, { maxOutputBytes: 10 * 1024 * 1024 }),
    });
    expect(r).toEqual({
      ok: false,
      why: `${process.execPath} printed more than 1048576 bytes (the configured 10485760 bytes is capped at 1048576)`,
    });
  });

  it("answers the resolver at once while the program runs, and with its answer once it has one", async () => {
    const file = script("answer-later", "setTimeout(answer, 300);");
    let changed!: () => void;
    const answered = new Promise<void>((resolve) => (changed = resolve));
    const refs = new SecretRefs(
      { config: { secrets: { providers: providers(file) } }, path: path.join(dir, "none.json") },
      { values: {}, sources: {}, refusedFromCwd: [], forRefs: {}, onlyInCwd: new Set() },
      { results: new ExecRefResults(() => changed()) },
    );
    // Had it waited for the program, it would hold the answer already.
    expect(refs.now(ref)).toEqual({ ok: false, why: `${process.execPath} is still answering exec:vault:anthropic` });
    await answered;
    expect(refs.now(ref)).toEqual({ ok: true, value: SECRET });
  });

  it("doctor says when a provider's timeout or output limit is above the cap", async () => {
    const sb = sandbox();
    sb.writeConfig({
      secrets: { providers: providers(script("ok", "answer();"), { timeoutMs: 120_000, maxOutputBytes: 4_194_304 }) },
    });
    const r = await sb.run(["doctor"]);
    expect(r.stdout).toContain("i secrets.providers.vault.timeoutMs 120000 is capped at 60000 ms");
    expect(r.stdout).toContain("i secrets.providers.vault.maxOutputBytes 4194304 is capped at 1048576 bytes");
  });

  it("lets the gateway answer the first message with the credential a slow program gives", async () => {
    requireBuild();
    const sb = sandbox();
    sb.writeConfig({ secrets: { providers: providers(script("slow-start", "setTimeout(answer, 500);")) } });
    sb.writeProfiles({
      version: 1,
      profiles: { "anthropic:vault": { type: "api_key", provider: "anthropic", keyRef: ref } },
    });
    const r = await sb.run(["gateway"], { input: "/model status\n" });
    expect(r.stdout).toContain(maskSecret(SECRET));
    expect(r.stdout + r.stderr).not.toContain(SECRET);
  });
});
