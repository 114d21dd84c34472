// Bundles the `openclaw` CLI over tsc's dist/src/cli/main.js so a command loads a few files instead
// of ~170 (ESM resolution and compilation were most of the cold start). Each lazily imported command
// becomes its own chunk; channel libraries, SDKs and native modules stay external, loaded from
// node_modules only by the commands that need them.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const outdir = path.join(root, "dist", "src", "cli");
const chunks = path.join(outdir, "chunks");
fs.rmSync(chunks, { recursive: true, force: true }); // no stale chunks from an earlier build

await build({
  absWorkingDir: root,
  entryPoints: { main: "src/cli/main.ts" },
  outdir,
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  minify: true,
  format: "esm",
  platform: "node",
  target: "node20",
  // Bundled CommonJS (json5) calls `require` for Node built-ins, which ESM lacks.
  banner: { js: 'import { createRequire as __cr } from "node:module"; const require = __cr(import.meta.url);' },
  external: [
    "better-sqlite3",
    "discord.js",
    "grammy",
    "@grammyjs/*",
    "ioredis",
    "openai",
    "@anthropic-ai/sdk",
    "@clack/prompts",
  ],
  logLevel: "warning",
});
