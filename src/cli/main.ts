#!/usr/bin/env node
import module from "node:module";

// Node 22.1+ can keep compiled code on disk between runs, which shortens every later start; Node 20
// has no such API and starts as before. It must run before the CLI's modules load, hence the
// dynamic imports below.
(module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

// No top-level await: the bundle is CommonJS (see scripts/bundle-cli.mjs).
void (async () => {
  const [{ processIo }, { runCli }, { exitPromptlyOnSignals }] = await Promise.all([
    import("./io.js"),
    import("./program.js"),
    import("./signals.js"),
  ]);
  // Exit through `process.exitCode` so pending stdout is flushed first.
  exitPromptlyOnSignals(process.argv[2]);
  process.exitCode = await runCli(process.argv.slice(2), processIo());
})();
