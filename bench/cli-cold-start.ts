import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { cliBinPath } from "../src/util/package-root.js";
import { costFigure, percentile, type BenchResult } from "./result.js";

const RUNS = 15;

/** The read-only commands a person runs most, with the start-up each may cost over `node -e 0`. */
const COMMANDS: ReadonlyArray<{ args: readonly string[]; target: number }> = [
  { args: ["models", "status", "--check"], target: 2.0 },
  { args: ["models", "list"], target: 2.5 },
  { args: ["models", "auth", "list"], target: 2.5 },
  { args: ["models", "auth", "order", "get", "--provider", "anthropic"], target: 2.5 },
  { args: ["doctor"], target: 2.5 },
];

/** A realistic state dir: a config with a default model and one stored API key profile. */
function makeState(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-"));
  const state = path.join(root, "state");
  fs.mkdirSync(path.join(state, "agents", "main", "agent"), { recursive: true, mode: 0o700 });
  fs.writeFileSync(
    path.join(state, "openclaw.json"),
    JSON.stringify({
      agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
      auth: { profiles: { "anthropic:manual": { provider: "anthropic", mode: "api_key" } } },
    }),
    { mode: 0o600 },
  );
  const key = `sk-ant-api03-${"x".repeat(90)}`;
  fs.writeFileSync(
    path.join(state, "agents", "main", "agent", "auth-profiles.json"),
    JSON.stringify({ version: 1, profiles: { "anthropic:manual": { type: "api_key", provider: "anthropic", key } } }),
    { mode: 0o600 },
  );
  return root;
}

/** Wall milliseconds of one process run to its exit. */
function timeRun(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): number {
  const start = performance.now();
  const r = spawnSync(process.execPath, args, { env, cwd, stdio: "ignore" });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${String(r.status)} (expected 0)`);
  return ms;
}

/** Wall milliseconds from spawning `openclaw gateway` to its first answer on the console channel. */
function timeGatewayAnswer(bin: string, env: NodeJS.ProcessEnv, cwd: string): Promise<number> {
  const start = performance.now();
  const child = spawn(process.execPath, [bin, "gateway"], { env, cwd, stdio: ["pipe", "pipe", "ignore"] });
  child.stdin.write("/model status\n");
  let out = "";
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (d: string) => {
      out += d;
      if (out.includes("Agent: main")) {
        const ms = performance.now() - start;
        child.stdin.end();
        child.once("exit", () => resolve(ms));
      }
    });
    child.once("exit", (code) => {
      if (!out.includes("Agent: main"))
        reject(new Error(`openclaw gateway exited ${String(code)} before answering: ${out}`));
    });
  });
}

/**
 * Cold start of the CLI against `node -e 0`, the floor any Node program pays: each round runs
 * `node -e 0` and then every read-only command once, so load from other processes falls on all
 * alike; figures are medians of 15 rounds. Then the gateway's start to its first console answer, and
 * `models status` once a session store exists, alternating with `node -e 0` the same way. Needs a
 * build (`npm run build`).
 */
export default async function bench(): Promise<BenchResult[]> {
  const bin = cliBinPath();
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing; run \`npm run build\` first`);
  const root = makeState();
  const env: NodeJS.ProcessEnv = { ...process.env, OPENCLAW_STATE_DIR: path.join(root, "state"), HOME: root };
  delete env.ANTHROPIC_API_KEY;
  // Extra CA certificates are parsed at every Node start; they would add the same cost to both sides
  // and flatter the ratio. Neither side makes a TLS connection here.
  delete env.NODE_EXTRA_CA_CERTS;
  const floor = ["-e", "0"];
  try {
    // One unmeasured run of each warms the OS file cache, as a person's second command would find it.
    timeRun(floor, env, root);
    for (const c of COMMANDS) timeRun([bin, ...c.args], env, root);
    const node: number[] = [];
    const times = COMMANDS.map(() => [] as number[]);
    for (let i = 0; i < RUNS; i++) {
      node.push(timeRun(floor, env, root));
      COMMANDS.forEach((c, j) => times[j]?.push(timeRun([bin, ...c.args], env, root)));
    }
    const nodeMedian = percentile(node, 50);
    const results = COMMANDS.map((c, j) =>
      costFigure(
        `openclaw ${c.args.join(" ")}, median of ${RUNS}`,
        "ms",
        { ours: percentile(times[j] ?? [], 50), baseline: nodeMedian },
        "node -e 0",
        c.target,
      ),
    );

    await timeGatewayAnswer(bin, env, root);
    const gwNode: number[] = [];
    const gateway: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      gwNode.push(timeRun(floor, env, root));
      gateway.push(await timeGatewayAnswer(bin, env, root));
    }
    results.push(
      costFigure(
        `openclaw gateway: start to first console answer, median of ${RUNS}`,
        "ms",
        { ours: percentile(gateway, 50), baseline: percentile(gwNode, 50) },
        "node -e 0",
        3.0,
      ),
    );

    // The gateway runs above left a session store, as on any machine that ran one: status then also
    // reads cooldowns from SQLite.
    const store = path.join(root, "state", "state", "sessions.sqlite");
    if (!fs.existsSync(store)) throw new Error(`the gateway left no session store at ${store}`);
    const status = ["models", "status", "--check"];
    const storeNode: number[] = [];
    const withStore: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      storeNode.push(timeRun(floor, env, root));
      withStore.push(timeRun([bin, ...status], env, root));
    }
    results.push(
      costFigure(
        `openclaw models status --check with a session store, median of ${RUNS}`,
        "ms",
        { ours: percentile(withStore, 50), baseline: percentile(storeNode, 50) },
        "node -e 0",
        2.5,
      ),
    );
    return results;
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
