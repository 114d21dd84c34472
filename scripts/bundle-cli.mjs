// Bundles the `openclaw` CLI into one CommonJS file, dist/openclaw.cjs (package.json `bin`).
//
// Why CommonJS and one file: a command's start was mostly module loading. An ESM start goes through
// Node's asynchronous loader for every file (resolve, read, link, evaluate as separate jobs); one
// CommonJS file is read and compiled once, and V8 compiles each function only when it first runs, so
// the code of commands that do not run costs a quick pre-parse. Measured with `npm run bench -- cli`
// against the split ESM bundle it replaced (see README). Lazily imported modules stay lazy: esbuild
// wraps each in an init function, and the libraries marked external below are `require`d (or, for
// ESM-only ones, `import()`ed) only when the code that needs them runs.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

await build({
  absWorkingDir: root,
  entryPoints: ["src/cli/main.ts"],
  outfile: path.join(root, "dist", "openclaw.cjs"),
  bundle: true,
  minify: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // Our modules read `import.meta.url` (package root, createRequire); CommonJS has `__filename`.
  define: { "import.meta.url": "__openclaw_module_url" },
  banner: { js: '"use strict";const __openclaw_module_url = require("node:url").pathToFileURL(__filename).href;' },
  // Channel libraries, SDKs, native modules and the gateway's metrics stay in node_modules, loaded by
  // the commands that use them.
  external: [
    "better-sqlite3",
    "discord.js",
    "grammy",
    "@grammyjs/*",
    "ioredis",
    "openai",
    "@anthropic-ai/sdk",
    "@clack/prompts",
    "prom-client",
  ],
  logLevel: "warning",
});
