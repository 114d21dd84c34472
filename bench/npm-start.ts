import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { packageRoot } from "../src/util/package-root.js";
import { costFigure, percentile, type BenchResult } from "./result.js";

const RUNS = 5;

/** Milliseconds from spawning `npm start` until the console has answered `/model status`. */
function firstAnswer(env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn("npm", ["start", "--silent"], { cwd: packageRoot(), env, stdio: ["pipe", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      out += d;
      if (!out.includes("Agent: main")) return;
      resolve(performance.now() - started);
      child.stdin.end();
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (!out.includes("Agent: main"))
        reject(new Error(`npm start exited ${String(code)} without answering; stdout:\n${out}`));
    });
    child.stdin.write("/model status\n");
  });
}

/**
 * `npm start` on a built checkout, as the README's first command runs it: the staleness check,
 * the gateway's start and the console's first answer, as a ratio to the same run's bare `node -e 0`
 * start (alternating runs, medians).
 */
export default async function bench(): Promise<BenchResult[]> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-bench-start-"));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OPENCLAW_STATE_DIR: path.join(root, "state"),
    HOME: root,
    NO_COLOR: "1",
  };
  try {
    await firstAnswer(env); // builds if a source changed; not measured
    const times: number[] = [];
    const nodeStarts: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      times.push(await firstAnswer(env));
      const t = performance.now();
      spawnSync(process.execPath, ["-e", "0"], { stdio: "ignore" });
      nodeStarts.push(performance.now() - t);
    }
    // The README's promise is "under 2 s"; as a ratio that is about 15x a quiet machine's node start.
    return [
      costFigure(
        `npm start → first console answer, median (n=${RUNS})`,
        "ms",
        { ours: percentile(times, 50), baseline: percentile(nodeStarts, 50) },
        "node -e 0",
        15,
      ),
    ];
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}
