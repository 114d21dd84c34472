import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

function executable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * The `redis-server` binary: `$REDIS_SERVER_BIN` when set (and only that), else the first one on
 * PATH or in /usr/bin, /usr/sbin, /usr/local/bin.
 */
export function findRedisServer(): string | undefined {
  const fromEnv = process.env.REDIS_SERVER_BIN;
  if (fromEnv) return executable(fromEnv) ? fromEnv : undefined;
  const dirs = [...(process.env.PATH ?? "").split(path.delimiter), "/usr/bin", "/usr/sbin", "/usr/local/bin"];
  return dirs
    .filter(Boolean)
    .map((dir) => path.join(dir, "redis-server"))
    .find(executable);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    let data = "";
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      data += chunk.toString();
      if (data.includes("\r\n")) done(data.startsWith("+PONG"));
    });
  });
}

/** Options of {@link RedisServer.start}. */
export interface RedisServerOptions {
  /** AOF with `appendfsync always`, so acknowledged writes survive `kill -9` of the server. */
  readonly durable?: boolean;
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const p of running) p.kill("SIGKILL");
});

/** Every server this test file started, and whether the file is done with them. */
const servers = new Set<RedisServer>();
let fileDone = false;

/**
 * Stops every server this test file started, and any start still in progress. Registered as a
 * file-level `afterAll` by the suite's setup file (test/support/setup.ts), so whatever happened to a
 * file's own set-up and teardown (a hook that timed out mid-start, a teardown that never ran), no
 * redis-server it started outlives it. Not registered here: the benches start servers outside vitest.
 */
export async function stopThisFilesServers(): Promise<void> {
  fileDone = true;
  await Promise.allSettled([...servers].map((s) => s.cleanup()));
}

/**
 * The environment for redis-server: ours, less libfaketime. The suite also runs with the clock
 * moved years ahead (`faketime`), and redis-server under a shifted clock does not start; it needs
 * no shifted time, the code under test does.
 */
function serverEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) {
    if (name === "LD_PRELOAD" || name.startsWith("FAKETIME") || name === "DONT_FAKE_MONOTONIC") delete env[name];
  }
  return env;
}

/** A throwaway `redis-server` on a random loopback port, with its own data directory. */
export class RedisServer {
  /** Starts a server; retries on another port if the chosen one was taken meanwhile. */
  static async start(opts: RedisServerOptions = {}): Promise<RedisServer> {
    const bin = findRedisServer();
    if (!bin) throw new Error("redis-server not found");
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-redis-"));
    let lastError: unknown;
    for (let attempt = 0; attempt < 5; attempt++) {
      const server = new RedisServer(bin, await freePort(), dir, opts.durable ?? false);
      servers.add(server);
      try {
        await server.launch();
        return server;
      } catch (err) {
        lastError = err;
      }
    }
    throw lastError instanceof Error ? lastError : new Error(String(lastError));
  }

  private proc: ChildProcess | undefined;
  private output = "";

  private constructor(
    private readonly bin: string,
    readonly port: number,
    readonly dir: string,
    private readonly durable: boolean,
  ) {}

  /** `redis://127.0.0.1:<port>`. */
  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server again on the same port and data directory (after {@link stop} or {@link kill}). */
  async restart(): Promise<void> {
    await this.launch();
  }

  /** Stops the server: SIGTERM (a clean shutdown) by default, SIGKILL to simulate a crash. */
  async stop(signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
    proc.kill(signal);
    await exited;
    running.delete(proc);
    this.proc = undefined;
  }

  /** `kill -9` of the server. */
  kill(): Promise<void> {
    return this.stop("SIGKILL");
  }

  /** Stops the server and removes its data directory. */
  async cleanup(): Promise<void> {
    await this.stop("SIGKILL");
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(): Promise<void> {
    const args = [
      "--port",
      String(this.port),
      "--bind",
      "127.0.0.1",
      "--save",
      "",
      "--dir",
      this.dir,
      "--daemonize",
      "no",
    ];
    args.push(...(this.durable ? ["--appendonly", "yes", "--appendfsync", "always"] : ["--appendonly", "no"]));
    const proc = spawn(this.bin, args, { stdio: ["ignore", "pipe", "pipe"], env: serverEnv() });
    this.output = "";
    proc.stdout?.on("data", (c: Buffer) => (this.output += c.toString()));
    proc.stderr?.on("data", (c: Buffer) => (this.output += c.toString()));
    running.add(proc);
    this.proc = proc;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && !fileDone) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        running.delete(proc);
        throw new Error(`redis-server exited on port ${this.port}:\n${this.output.slice(-2000)}`);
      }
      if (await ping(this.port)) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    proc.kill("SIGKILL");
    running.delete(proc);
    if (fileDone) throw new Error(`redis-server on port ${this.port}: the test file ended while it started`);
    throw new Error(`redis-server did not answer on port ${this.port}:\n${this.output.slice(-2000)}`);
  }
}
