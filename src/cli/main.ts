#!/usr/bin/env node
import { processIo } from "./io.js";
import { runCli } from "./program.js";
import { exitPromptlyOnSignals } from "./signals.js";

// The `openclaw` binary. Exit through `process.exitCode` so pending stdout is flushed first.
exitPromptlyOnSignals(process.argv[2]);
process.exitCode = await runCli(process.argv.slice(2), processIo());
