#!/usr/bin/env node
// Compiles the TypeScript sources into dist/. With --if-stale (what `npm start`, `npm test` and
// `npm run bench` use) it compiles only when a source changed since the last successful build, so
// starting a built checkout costs a few stat calls instead of a 10-70 s compile.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** Written after a successful compile; its mtime is the time of that build. */
const stamp = path.join(root, "dist", ".build-stamp");
/** What tsconfig.json compiles, plus the files that change how it compiles. */
const inputs = [
  "src",
  "plugins",
  "web",
  "bench",
  "test",
  "scripts",
  "tsconfig.json",
  "package.json",
  "package-lock.json",
];

/**
 * The newest mtime among the inputs. Directories count too: adding, removing or renaming a file
 * changes its directory's mtime, so a deleted source also makes the build stale.
 */
function newestInput() {
  let newest = 0;
  const visit = (p) => {
    let st;
    try {
      st = fs.statSync(p);
    } catch {
      return;
    }
    newest = Math.max(newest, st.mtimeMs);
    if (st.isDirectory()) for (const name of fs.readdirSync(p)) visit(path.join(p, name));
  };
  for (const input of inputs) visit(path.join(root, input));
  return newest;
}

function builtAt() {
  try {
    return fs.statSync(stamp).mtimeMs;
  } catch {
    return -1;
  }
}

if (process.argv.includes("--if-stale") && builtAt() >= newestInput()) process.exit(0);

const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const started = Date.now();
const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { stdio: "inherit" });
if (result.status !== 0) process.exit(result.status ?? 1);
// The CLI is bundled into one CommonJS file (scripts/bundle-cli.mjs explains why): a start reads one
// of our files instead of a hundred and fifty.
const bundle = spawnSync(process.execPath, [path.join(root, "scripts", "bundle-cli.mjs")], { stdio: "inherit" });
if (bundle.status !== 0) process.exit(bundle.status ?? 1);
// The control page's browser code is type-checked with the DOM's types (web/tsconfig.json), then
// bundled apart from the CLI: none of it is in dist/cli.cjs.
const webTypes = spawnSync(process.execPath, [tsc, "-p", path.join(root, "web", "tsconfig.json")], {
  stdio: "inherit",
});
if (webTypes.status !== 0) process.exit(webTypes.status ?? 1);
const web = spawnSync(process.execPath, [path.join(root, "scripts", "build-ui.mjs")], { stdio: "inherit" });
if (web.status !== 0) process.exit(web.status ?? 1);
// The launcher writes the bundle's V8 code cache after a run that found none (src/cli/launch.ts): one
// run of a typical command, on an empty state dir of its own, so that the first real command starts
// as fast as every later one.
const warmState = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-build-"));
try {
  spawnSync(process.execPath, [path.join(root, "dist", "openclaw.cjs"), "models", "status", "--check"], {
    env: { PATH: process.env.PATH, HOME: warmState, OPENCLAW_STATE_DIR: warmState },
    cwd: warmState,
    stdio: "ignore",
  });
} finally {
  fs.rmSync(warmState, { recursive: true, force: true });
}
fs.writeFileSync(stamp, `${new Date().toISOString()}\n`);
if (process.argv.includes("--if-stale"))
  console.error(
    `built dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s (sources changed since the last build)`,
  );
