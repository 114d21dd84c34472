import { defineConfig } from "vitest/config";
import { measureSlowness, SLOWNESS_ENV } from "./test/support/slowness.js";

// Every time limit in the suite is written for a quiet machine and scaled by how slow this one is
// right now (test/support/slowness.ts), so a busy machine makes the run slower, never red.
const slowness = measureSlowness();
// One line, so a slow run's report says how much room its limits had.
if (slowness > 1)
  process.stderr.write(`test time limits ×${slowness} (this machine is busier than the quiet baseline)\n`);

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/support/setup.ts"],
    testTimeout: 20_000 * slowness,
    hookTimeout: 20_000 * slowness,
    pool: "forks",
    env: { [SLOWNESS_ENV]: String(slowness) },
  },
});
