import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import Database from "better-sqlite3";

let addon: string | undefined;

/**
 * better-sqlite3's native addon, named by path. Without it better-sqlite3 finds the addon with the
 * `bindings` package, which probes paths relative to the calling file: a dozen stat calls, and none
 * right from the CLI bundle, which carries better-sqlite3's JavaScript but not its addon
 * (scripts/bundle-cli.mjs).
 */
function nativeAddon(): string | undefined {
  if (addon === undefined) {
    const pkg = createRequire(import.meta.url).resolve("better-sqlite3/package.json");
    const built = path.join(path.dirname(pkg), "build", "Release", "better_sqlite3.node");
    if (!fs.existsSync(built)) return undefined;
    addon = built;
  }
  return addon;
}

/** Opens a SQLite database with better-sqlite3; the native addon loads with the first database. */
export function openSqlite(file: string, options: Database.Options = {}): Database.Database {
  return new Database(file, { ...options, nativeBinding: nativeAddon() });
}
