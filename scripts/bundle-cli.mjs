// Bundles the `openclaw` CLI into one CommonJS file, dist/cli.cjs, and its launcher, dist/openclaw.cjs
// (package.json `bin`), which runs the bundle with a V8 code cache (src/cli/launch.ts says why).
//
// Why CommonJS and one file: a command's start was mostly module loading. An ESM start goes through
// Node's asynchronous loader for every file (resolve, read, link, evaluate as separate jobs); one
// CommonJS file is read and compiled once, and V8 compiles each function only when it first runs, so
// the code of commands that do not run costs a quick pre-parse. Measured with `npm run bench -- cli`
// against the split ESM bundle it replaced (see README). Lazily imported modules stay lazy: esbuild
// wraps each in an init function, and the libraries marked external below are `require`d only when
// the code that needs them runs.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * commander loads `node:child_process` (and with it `net` and `stream`) at start for one feature we
 * do not use, subcommands that are separate executables; that was about 10 ms of every command.
 * Its one use of the module, `spawn`, now loads it when called.
 */
const lazyChildProcessInCommander = {
  name: "lazy-child-process-in-commander",
  setup(b) {
    b.onLoad({ filter: /[\\/]commander[\\/]lib[\\/]command\.js$/ }, async (args) => {
      const eager = "const childProcess = require('node:child_process');";
      const source = await fs.promises.readFile(args.path, "utf8");
      if (!source.includes(eager)) throw new Error(`${args.path} no longer loads child_process as expected`);
      const lazy = "const childProcess = { spawn: (...a) => require('node:child_process').spawn(...a) };";
      return { contents: source.replace(eager, lazy), loader: "js" };
    });
  },
};

/**
 * `import fs from "node:fs"` becomes `const fs = require("node:fs")` in our sources. For a default
 * import esbuild wraps the module in an ES namespace that copies every property of it, once per
 * importing file: 26 copies were 6 ms of `models status`. A Node built-in's default export is its
 * `require` result, so the two are the same object.
 */
const ours = /^(src|plugins)[\\/]/;
const builtinDefaultImportsAsRequire = {
  name: "builtin-default-imports-as-require",
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (!ours.test(path.relative(root, args.path))) return undefined;
      const source = await fs.promises.readFile(args.path, "utf8");
      const contents = source.replace(
        /^import (\w+) from "(node:[\w/]+)";$/gm,
        (_, name, specifier) => `const ${name} = require("${specifier}");`,
      );
      return { contents, loader: "ts" };
    });
  },
};

const common = {
  absWorkingDir: root,
  bundle: true,
  minify: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  // `import()` becomes `require`: the launcher runs the bundle from a V8 code cache, and Node 20
  // cannot resolve `import()` in code that came from one (src/cli/launch.ts). `require` loads the
  // ES-module-only libraries as well (@clack/prompts) since Node 20.19, our minimum.
  supported: { "dynamic-import": false },
  plugins: [builtinDefaultImportsAsRequire],
  logLevel: "warning",
};

await build({
  ...common,
  entryPoints: ["src/cli/launch.ts"],
  outfile: path.join(root, "dist", "openclaw.cjs"),
  banner: { js: "#!/usr/bin/env node" },
});

const bundle = path.join(root, "dist", "cli.cjs");
await build({
  ...common,
  entryPoints: ["src/cli/main.ts"],
  outfile: bundle,
  plugins: [builtinDefaultImportsAsRequire, lazyChildProcessInCommander],
  // Our modules read `import.meta.url` (package root, createRequire); CommonJS has `__filename`.
  define: { "import.meta.url": "__openclaw_module_url" },
  banner: { js: '"use strict";const __openclaw_module_url = require("node:url").pathToFileURL(__filename).href;' },
  // Channel libraries, SDKs, the gateway's metrics and the JSON5 parser (for config files that are
  // not plain JSON) stay in node_modules, loaded by the code that uses them.
  external: [
    // better-sqlite3's JavaScript is bundled; its native addon is loaded by path (src/util/sqlite.ts),
    // never through `bindings`.
    "bindings",
    "discord.js",
    "grammy",
    "@grammyjs/*",
    "ioredis",
    "openai",
    "@anthropic-ai/sdk",
    "@clack/prompts",
    "prom-client",
    "json5",
  ],
});

// The launcher reads the bundle as Latin-1, which is quicker than UTF-8 and gives V8 a one-byte string;
// that reads ASCII right and anything else wrong. esbuild escapes non-ASCII text in strings but not in
// regular expressions.
const nonAscii = /[^\x00-\x7f]/.exec(fs.readFileSync(bundle, "latin1"));
if (nonAscii) {
  const at = nonAscii.index;
  const context = fs.readFileSync(bundle, "utf8").slice(Math.max(0, at - 60), at + 20);
  throw new Error(`dist/cli.cjs must be ASCII; escape the character in: ${context}`);
}
