import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { packageRoot } from "../src/util/package-root.js";
import { percentile, type BenchResult } from "./result.js";

const RUNS = 15;
const ARGS = ["models", "status", "--check"] as const;

/** A realistic state dir: a config with a default model and one stored API key profile. */
function makeState(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-"));
  const state = path.join(root, "state");
  fs.mkdirSync(path.join(state, "agents", "main", "agent"), { recursive: true, mode: 0o700 });
  fs.writeFileSync(
    path.join(state, "openclaw.json"),
    JSON.stringify({ agents: { defaults: { model: "anthropic/claude-sonnet-5-5" } }, auth: { profiles: { "anthropic:manual": { provider: "anthropic", mode: "api_key" } } } }),
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

/**
 * Cold start of the CLI: spawns `node dist/src/cli/main.js models status --check` 15 times
 * against a temporary state dir and reports the median and p90 wall time (target: median < 150 ms).
 * Needs a build (`npm run build`).
 */
export default async function bench(): Promise<BenchResult[]> {
  const bin = path.join(packageRoot(), "dist", "src", "cli", "main.js");
  if (!fs.existsSync(bin)) throw new Error(`${bin} is missing; run \`npm run build\` first`);
  const root = makeState();
  const env: NodeJS.ProcessEnv = { ...process.env, OPENCLAW_STATE_DIR: path.join(root, "state"), HOME: root };
  delete env.ANTHROPIC_API_KEY;
  try {
    // One unmeasured run warms the OS file cache, as a person's second command would find it.
    spawnSync(process.execPath, [bin, ...ARGS], { env, cwd: root, stdio: "ignore" });
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const r = spawnSync(process.execPath, [bin, ...ARGS], { env, cwd: root, stdio: "ignore" });
      times.push(performance.now() - start);
      if (r.status !== 0) throw new Error(`openclaw ${ARGS.join(" ")} exited ${String(r.status)} (expected 0)`);
    }
    return [
      { name: `openclaw ${ARGS.join(" ")} median (n=${RUNS})`, value: percentile(times, 50), unit: "ms", target: "< 150 ms" },
      { name: `openclaw ${ARGS.join(" ")} p90 (n=${RUNS})`, value: percentile(times, 90), unit: "ms" },
    ];
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await bench()) console.log(`${r.name}: ${r.value.toFixed(1)} ${r.unit}${r.target ? ` (target ${r.target})` : ""}`);
}
