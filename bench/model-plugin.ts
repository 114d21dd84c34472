// `/model status` throughput through the real gateway pieces: LiveConfig, the credential file reader,
// the resolver, the SQLite session store behind its LRU cache (warm), the plugin host and the plugin.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { assemble } from "../src/app/assemble.js";
import { systemClock } from "../src/util/clock.js";
import { PluginHost } from "../src/gateway/host.js";
import type { ChannelCapabilities, CommandInvocation } from "../src/gateway/types.js";
import { modelPlugin } from "../plugins/model/index.js";
import { alternate, rateFigure, type BenchResult } from "./result.js";

const TELEGRAM: ChannelCapabilities = { maxLength: 4096, buttons: true, ephemeral: false };
const HOUR = 3_600_000;

/** A state dir like a small real deployment: a default model, four stored profiles, one env key. */
function makeState(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-model-"));
  fs.chmodSync(dir, 0o700);
  fs.writeFileSync(
    path.join(dir, "openclaw.json"),
    JSON.stringify({
      agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } },
      commands: { allowFrom: { telegram: ["*"] }, ownerAllowFrom: ["telegram:4242"] },
    }),
    { mode: 0o600 },
  );
  const agentDir = path.join(dir, "agents", "main", "agent");
  fs.mkdirSync(agentDir, { recursive: true, mode: 0o700 });
  const secret = (tag: string) => `sk-ant-api03-${tag.repeat(60)}`;
  fs.writeFileSync(
    path.join(agentDir, "auth-profiles.json"),
    JSON.stringify({
      version: 1,
      profiles: {
        "anthropic:work": { type: "token", provider: "anthropic", token: secret("w"), expires: Date.now() + 5 * HOUR },
        "anthropic:ci": { type: "api_key", provider: "anthropic", key: secret("c") },
        "anthropic:old": { type: "oauth", provider: "anthropic", access: secret("o"), expires: Date.now() - HOUR },
        "openai:team": { type: "api_key", provider: "openai", key: `sk-proj-${"p".repeat(60)}` },
      },
    }),
    { mode: 0o600 },
  );
  return dir;
}

/**
 * Calls `fn` in batches for about `ms` of wall time; returns calls per second of this process's
 * CPU time, which is "per second on one core" even on a busy machine.
 */
async function cpuRate(fn: () => Promise<unknown>, ms: number): Promise<number> {
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let ops = 0;
  while (performance.now() - start < ms) {
    for (let i = 0; i < 200; i++) await fn();
    ops += 200;
  }
  const used = process.cpuUsage(cpu0);
  return ops / ((used.user + used.system) / 1e6);
}

/**
 * `/model status` invocations per CPU second for a session with a pinned profile through
 * `PluginHost.handleCommand` (access control, context, routing, the plugin), against the plugin's
 * command handler called directly: the ratio is what the host adds.
 */
export default async function bench(): Promise<BenchResult[]> {
  const stateDir = makeState();
  const processEnv = {
    OPENCLAW_STATE_DIR: stateDir,
    PATH: process.env.PATH ?? "",
    HOME: stateDir,
    ANTHROPIC_API_KEY: `sk-ant-api03-${"e".repeat(60)}`,
  };
  const app = assemble({ env: processEnv, cwd: stateDir, clock: systemClock, log: () => undefined });
  try {
    const services = await app.gateway();
    const host = new PluginHost(services, [modelPlugin], () => undefined);
    const inv = (args: string): CommandInvocation => ({
      channel: "telegram",
      chatId: "4242",
      sender: { id: "4242" },
      isGroup: false,
      command: "model",
      args,
      via: "text",
    });
    const pin = await host.handleCommand(inv("opus@work"), TELEGRAM);
    if (!pin?.text.includes("anthropic:work")) throw new Error(`pin failed: ${pin?.text}`);
    const status = inv("status");
    const check = await host.handleCommand(status, TELEGRAM);
    if (!check?.text.includes("next, pinned")) throw new Error(`unexpected status: ${check?.text}`);

    const command = modelPlugin.commands(services).find((c) => c.name === "model");
    if (!command) throw new Error("no /model command");
    const ctx = host.context(status, TELEGRAM, { allowed: true, isOwner: true });
    const viaHost = () => host.handleCommand(status, TELEGRAM);
    const direct = async () => command.handler(ctx);
    for (let i = 0; i < 2000; i++) await viaHost(); // warm-up: JIT and caches
    for (let i = 0; i < 2000; i++) await direct();
    const rates = await alternate(
      (ms) => cpuRate(viaHost, ms),
      (ms) => cpuRate(direct, ms),
    );
    return [
      rateFigure(
        "/model status via PluginHost (SQLite warm, pinned), per CPU s",
        "/s",
        rates,
        "the plugin handler called directly",
        2,
      ),
    ];
  } finally {
    await app.close();
    fs.rmSync(stateDir, { recursive: true, force: true });
  }
}
