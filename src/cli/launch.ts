// The `openclaw` binary (dist/openclaw.cjs): it runs the CLI bundle (dist/cli.cjs) with a V8 code cache.
//
// Why: compiling the bundle was the largest single cost of a command's start, and Node 20 has no
// compile cache of its own (Node 22's `module.enableCompileCache` is the same idea). V8 can skip the
// compile when handed the code it produced for the same source before. The cache is written once
// after a run that had none (the build runs one), so it also holds the functions a command compiled
// while it ran. Without the cache, or where V8 or the bundle changed, the bundle compiles as before.
import fs from "node:fs";
import Module, { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";

// Node 22.1+ keeps compiled code of the libraries a command loads (channels, SDKs) on disk as well;
// Node 20 has no such API.
(Module as { enableCompileCache?: () => unknown }).enableCompileCache?.();

const bundle = path.join(__dirname, "cli.cjs");
const cacheFile = `${bundle}.v8cache`;

/**
 * V8 checks its own version, flags and the source's length, not the source itself: a rebuilt bundle
 * of the same length would take the old code. The bundle's size and mtime name the build the cache
 * was made from, and a cache made from another build is not used.
 */
function buildKey(): string {
  const st = fs.statSync(bundle);
  return `${st.size}:${st.mtimeMs}`;
}

/** The cached code for this build, if there is one. */
function readCache(key: string): Buffer | undefined {
  let data: Buffer;
  try {
    data = fs.readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  const newline = data.indexOf(10);
  if (newline < 0 || data.toString("latin1", 0, newline) !== key) return undefined;
  return data.subarray(newline + 1);
}

/**
 * Writes the cache beside the bundle, through a temp file so that a concurrent start never reads half
 * of one. An install the user cannot write to simply runs without it.
 */
function writeCache(key: string, script: vm.Script): void {
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, Buffer.concat([Buffer.from(`${key}\n`, "latin1"), script.createCachedData()]));
    fs.renameSync(tmp, cacheFile);
  } catch {
    fs.rmSync(tmp, { force: true });
  }
}

const key = buildKey();
const cachedData = readCache(key);
// No `importModuleDynamically`: Node 20 drops it from functions that come out of a code cache, so the
// bundle has no `import()` (scripts/bundle-cli.mjs turns each into `require`, which loads ES modules
// too since Node 20.19).
// The bundle is ASCII (the build checks), and Latin-1 decodes it quicker than UTF-8.
const script = new vm.Script(Module.wrap(fs.readFileSync(bundle, "latin1")), {
  filename: bundle,
  ...(cachedData ? { cachedData } : {}),
});
if (!cachedData || script.cachedDataRejected) process.once("exit", () => writeCache(key, script));
const mod = new Module(bundle);
mod.filename = bundle;
const run = script.runInThisContext() as (
  exports: unknown,
  require: NodeJS.Require,
  module: Module,
  filename: string,
  dirname: string,
) => void;
run.call(mod.exports, mod.exports, createRequire(bundle), mod, bundle, __dirname);
