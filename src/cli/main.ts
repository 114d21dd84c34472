// The CLI's entry, bundled into dist/cli.cjs and started by dist/openclaw.cjs (src/cli/launch.ts).
// No top-level await: the bundle is CommonJS (see scripts/bundle-cli.mjs).
void (async () => {
  const [{ processIo }, { runCli }, { exitPromptlyOnSignals }, { logCrashes, streamLog }] = await Promise.all([
    import("./io.js"),
    import("./program.js"),
    import("./signals.js"),
    import("../gateway/log.js"),
  ]);
  // Crash reports go through the redactor like every other line.
  logCrashes(streamLog());
  // Exit through `process.exitCode` so pending stdout is flushed first.
  exitPromptlyOnSignals(process.argv[2]);
  process.exitCode = await runCli(process.argv.slice(2), processIo());
})();
