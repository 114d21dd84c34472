/**
 * `/model status` through the Telegram webhook, whole processes: the built gateway
 * (`dist/openclaw.cjs gateway`, webhook mode, real config, credential files and SQLite sessions)
 * against a bare grammY webhook bot process (bench/bare-webhook-bot.ts) that sends the same reply,
 * both answering through one loopback fake Bot API (bench/bot-api-fake.ts). Both get the same load:
 * {@link LANES} chats posting updates with the secret header, each waiting for its reply to reach
 * the fake before the next, in alternating rounds bounded in time and count. An update counts once
 * its reply has reached the fake and its POST has been answered, so the gateway's early 200 gains
 * it nothing. The floor is grammY as its users run it, with its default HTTP client (node-fetch);
 * the gateway sends over node:http itself (src/channels/telegram/bot-api-fetch.ts), which is part of
 * what it does to stay at the floor while doing more per update. Where `/proc` exists, a second
 * row gives each process's CPU time per update over the same rounds: the rate depends on the
 * machine's load, the CPU an update costs much less.
 */
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { botInfoFor } from "../test/fakes/telegram-bot-api.js";
import { writeStateDir } from "../test/support/state.js";
import { cliBinPath } from "../src/util/package-root.js";
import { startBotApiFake, type BotApiFake } from "./bot-api-fake.js";
import { percentile, type BenchResult } from "./result.js";
import { OWNER, statusUpdate } from "./status-update.js";

const TOKEN = "123456789:BENCH-webhook-token";
const SECRET = "bench-webhook-secret-0123456789";
const WEBHOOK_PATH = "/telegram-webhook";
const BOT_INFO = botInfoFor(123456789, "bench_bot", "Bench");
/** Chats posting at once (Telegram's default `max_connections` is 40). */
const LANES = 16;
const ROUNDS = 7;
const ROUND_MS = 2000;
/** A round also ends after this many updates, so a fast machine does not run unbounded. */
const ROUND_MAX = 20_000;
const WARMUP = 1500;

/** A whole process the bench posts updates to. */
interface Target {
  readonly name: string;
  readonly port: number;
  readonly agent: http.Agent;
  readonly child: ChildProcess;
  /** The last lines it wrote to stderr, for an error message. */
  readonly tail: string[];
}

let updateId = 0;

/** The next `/model status` update for `chatId`, as the JSON body Telegram posts. */
function statusBody(chatId: number): string {
  return JSON.stringify(statusUpdate(++updateId, chatId));
}

/** POSTs one update with the secret header; resolves once answered 200. */
function post(target: Target, body: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: target.port,
        path: WEBHOOK_PATH,
        method: "POST",
        agent: target.agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(body),
          "x-telegram-bot-api-secret-token": SECRET,
        },
      },
      (res) => {
        res.resume();
        res.on("end", () =>
          res.statusCode === 200
            ? resolve()
            : reject(new Error(`${target.name} answered ${String(res.statusCode)}: ${target.tail.join("\n")}`)),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

/** One update in one chat: posted, answered, and its reply arrived at the fake. */
async function oneUpdate(fake: BotApiFake, target: Target, chatId: number): Promise<string> {
  const reply = fake.nextReply(chatId);
  await post(target, statusBody(chatId));
  return reply;
}

/** CPU time (user and system) a process has used so far, in ms; undefined without `/proc`. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    // Fields 14 and 15 of stat(5), counted after the command name, which may hold spaces.
    const fields =
      fs
        .readFileSync(`/proc/${String(pid)}/stat`, "utf8")
        .split(") ")[1]
        ?.split(" ") ?? [];
    // In clock ticks, 100 a second on Linux whatever the kernel's HZ (USER_HZ).
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

/** One round against one process. */
interface Round {
  /** Updates per second. */
  readonly rate: number;
  /** The process's CPU time per update, in µs (undefined without `/proc`). */
  readonly cpuUs: number | undefined;
}

/** Updates over about `ms`, {@link LANES} chats at once, at most `max` updates. */
async function rate(fake: BotApiFake, target: Target, expected: string, ms: number, max: number): Promise<Round> {
  let started = 0;
  const cpuBefore = cpuMs(target.child.pid);
  const start = performance.now();
  const lane = async (chatId: number) => {
    while (started < max && performance.now() - start < ms) {
      started++;
      const text = await oneUpdate(fake, target, chatId);
      if (text !== expected) throw new Error(`${target.name} replied something else:\n${text}`);
    }
  };
  await Promise.all(Array.from({ length: LANES }, (_, i) => lane(OWNER + 1 + i)));
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = cpuMs(target.child.pid);
  const cpuUs =
    cpuBefore === undefined || cpuAfter === undefined ? undefined : ((cpuAfter - cpuBefore) * 1000) / started;
  return { rate: started / seconds, cpuUs };
}

/** Spawns a process and resolves once `ready` has matched a line of its output (stdout or stderr). */
function launch(
  name: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  ready: (line: string) => number | undefined,
): Promise<Target> {
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", "pipe", "pipe"] });
  const tail: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 30 s:\n${tail.join("\n")}`)), 30_000);
    const onLine = (line: string) => {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      const port = ready(line);
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({ name, port, agent: new http.Agent({ keepAlive: true, maxSockets: LANES }), child, tail });
    };
    // Both streams are read to the end: a full pipe would stall the process under test.
    readline.createInterface({ input: child.stdout }).on("line", onLine);
    readline.createInterface({ input: child.stderr }).on("line", onLine);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited ${String(code)} before it was ready:\n${tail.join("\n")}`));
    });
  });
}

/** The gateway in webhook mode: ready once it listens and the Telegram channel has set its webhook. */
function startGateway(root: string, apiRoot: string): Promise<Target> {
  const stateDir = path.join(root, "state");
  fs.mkdirSync(stateDir, { mode: 0o700 });
  writeStateDir({
    prefix: "unused",
    stateDir,
    config: {
      agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
      commands: { ownerAllowFrom: [`telegram:${OWNER}`] },
      channels: {
        telegram: {
          botToken: TOKEN,
          apiRoot,
          webhookUrl: `https://bench.invalid${WEBHOOK_PATH}`,
          webhookSecret: SECRET,
        },
      },
    },
    authProfiles: {
      version: 1,
      profiles: {
        "anthropic:work": { type: "api_key", provider: "anthropic", key: `sk-ant-api03-${"W".repeat(40)}work` },
        "anthropic:ci": { type: "api_key", provider: "anthropic", key: `sk-ant-api03-${"C".repeat(40)}ci99` },
      },
    },
  });
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: root,
    OPENCLAW_STATE_DIR: stateDir,
    OPENCLAW_GATEWAY_PORT: "0",
  };
  for (const k of ["ANTHROPIC_API_KEY", "TELEGRAM_BOT_TOKEN", "OPENCLAW_CONFIG_PATH", "NODE_EXTRA_CA_CERTS"])
    delete env[k];
  let port: number | undefined;
  return launch("the gateway", [cliBinPath(), "gateway"], env, (line) => {
    port ??= Number(/ http 127\.0\.0\.1:(\d+)/.exec(line)?.[1]) || undefined;
    return line.includes("ready (webhook)") ? port : undefined;
  });
}

function startBareBot(apiRoot: string, reply: string): Promise<Target> {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "bare-webhook-bot.js");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    BENCH_TOKEN: TOKEN,
    BENCH_API_ROOT: apiRoot,
    BENCH_SECRET: SECRET,
    BENCH_PATH: WEBHOOK_PATH,
    BENCH_REPLY: reply,
    BENCH_BOT_INFO: JSON.stringify(BOT_INFO),
  };
  delete env.NODE_EXTRA_CA_CERTS;
  return launch("the bare grammY bot", [script], env, (line) => (/^\d+$/.test(line) ? Number(line) : undefined));
}

async function stop(target: Target | undefined): Promise<void> {
  if (!target) return;
  target.agent.destroy();
  if (target.child.exitCode !== null) return;
  const exited = new Promise((resolve) => target.child.once("exit", resolve));
  target.child.kill("SIGTERM");
  await exited;
}

/**
 * The gateway's `/model status` webhook rate as a ratio to the bare grammY bot's, the median of
 * the per-round ratios (each round pairs one gateway round with the bare round after it), with
 * the lowest and highest round beside it; then the same for CPU time per update. Needs a build
 * (`npm run build`).
 */
export default async function bench(): Promise<BenchResult[]> {
  if (!fs.existsSync(cliBinPath())) throw new Error(`${cliBinPath()} is missing; run \`npm run build\` first`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-webhook-"));
  fs.chmodSync(root, 0o700);
  const fake = await startBotApiFake(TOKEN, BOT_INFO);
  let gateway: Target | undefined;
  let bare: Target | undefined;
  try {
    gateway = await startGateway(root, fake.apiRoot);
    const reply = await oneUpdate(fake, gateway, OWNER);
    if (!reply.includes("anthropic:work")) throw new Error(`the gateway's /model status was not a status:\n${reply}`);
    bare = await startBareBot(fake.apiRoot, reply);
    await rate(fake, gateway, reply, 60_000, WARMUP);
    await rate(fake, bare, reply, 60_000, WARMUP);
    const ours: Round[] = [];
    const floor: Round[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      ours.push(await rate(fake, gateway, reply, ROUND_MS, ROUND_MAX));
      floor.push(await rate(fake, bare, reply, ROUND_MS, ROUND_MAX));
    }
    const baselineName = "bare grammY webhook bot process, same reply";
    const ratios = ours.map((o, i) => (floor[i]?.rate ?? Number.NaN) / o.rate);
    const results: BenchResult[] = [
      {
        name: `/model status via webhook, gateway process, ${LANES} chats at once`,
        value: percentile(
          ours.map((o) => o.rate),
          50,
        ),
        unit: "updates/s",
        baseline: {
          name: baselineName,
          value: percentile(
            floor.map((b) => b.rate),
            50,
          ),
        },
        ratio: percentile(ratios, 50),
        spread: [Math.min(...ratios), Math.max(...ratios)],
        // At least 0.95x of the floor's rate.
        target: 1.05,
      },
    ];
    const cpu = ours.map((o) => o.cpuUs);
    const floorCpu = floor.map((b) => b.cpuUs);
    if (cpu.every((c) => c !== undefined) && floorCpu.every((c) => c !== undefined)) {
      const cpuRatios = cpu.map((c, i) => c / (floorCpu[i] ?? Number.NaN));
      results.push({
        name: "  the same rounds: process CPU per update (/proc)",
        value: percentile(cpu, 50),
        unit: "µs",
        baseline: { name: baselineName, value: percentile(floorCpu, 50) },
        ratio: percentile(cpuRatios, 50),
        spread: [Math.min(...cpuRatios), Math.max(...cpuRatios)],
      });
    }
    return results;
  } finally {
    await stop(gateway);
    await stop(bare);
    await fake.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
