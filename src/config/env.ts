import { createRequire } from "node:module";
import path from "node:path";
import type { OpenClawConfig } from "./schema.js";
import { readIfExists } from "../util/secure-fs.js";
import { stateEnvFile } from "./paths.js";

/** Where an environment value came from, most authoritative first. */
export type EnvSource = "process" | "cwd-dotenv" | "state-dotenv" | "config";

/** A resolved environment: the values and, per key, where each came from. */
export interface LoadedEnv {
  readonly values: Readonly<Record<string, string>>;
  readonly sources: Readonly<Record<string, EnvSource>>;
  /** Keys the working directory's `.env` tried to set but may not (provider keys, `OPENCLAW_*`). */
  readonly refusedFromCwd: readonly string[];
  /**
   * What SecretRefs read (`env` refs and an exec ref's `passEnv`): every source but the working
   * directory's `.env`, which must not decide which key pays whatever the variable is called.
   */
  readonly forRefs: Readonly<Record<string, string>>;
  /** Variables only the working directory's `.env` sets, so a ref naming one can say why it is unset. */
  readonly onlyInCwd: ReadonlySet<string>;
}

/** Provider keys and our own settings must not come from whatever repo the gateway was started in. */
export function isProtectedEnvKey(key: string): boolean {
  return key.startsWith("OPENCLAW_") || /_(API_KEYS?|API_KEY_.+|OAUTH_TOKEN|BOT_TOKEN|TOKEN)$/.test(key);
}

/** A variable that holds one key or token (not a `_API_KEYS` list, not a setting). */
const SINGLE_KEY = /_(API_KEY|API_KEY_.+|OAUTH_TOKEN|BOT_TOKEN|TOKEN)$/;
const ASSIGNMENT = /^\s*(?:export\s+)?([\w.-]+)\s*=\s*(.*)$/;
/** A line that can only be the rest of a wrapped key: key characters and nothing else. */
const KEY_TAIL = /^\s*[A-Za-z0-9_+/.:=-]+\s*$/;

const load = createRequire(import.meta.url);
let dotenvParse: ((text: string) => Record<string, string>) | undefined;

/** dotenv's parser, loaded on first use: it pulls in `node:crypto`, and most starts have no `.env`. */
function parse(text: string): Record<string, string> {
  dotenvParse ??= (load("dotenv") as typeof import("dotenv")).parse;
  return dotenvParse(text);
}

/**
 * Parses a `.env` file as dotenv does, except that a single-key variable whose unquoted value a
 * paste wrapped onto the next lines gets those lines back (joined with a line break, which
 * `envCredentials` then removes and `doctor` reports). dotenv would silently drop them and
 * leave half a key.
 */
export function parseEnvFile(text: string): Record<string, string> {
  if (text.trim() === "") return {};
  const values = parse(text);
  let current: string | undefined;
  for (const line of text.split(/\r?\n/)) {
    const m = ASSIGNMENT.exec(line);
    if (m) {
      const [, name = "", value = ""] = m;
      current = SINGLE_KEY.test(name) && !/^["'`]/.test(value) ? name : undefined;
    } else if (current !== undefined && KEY_TAIL.test(line) && values[current] !== undefined) {
      values[current] = `${values[current]}\n${line.trim()}`;
    } else {
      current = undefined;
    }
  }
  return values;
}

function configEnv(config: OpenClawConfig): Record<string, string> {
  const out: Record<string, string> = {};
  const block = config.env;
  if (!block) return out;
  for (const [k, v] of Object.entries(block)) if (typeof v === "string") out[k] = v;
  for (const [k, v] of Object.entries(block.vars ?? {})) out[k] ??= v;
  return out;
}

/** The two `.env` files, parsed: read once per process start, merged again for each config. */
export interface EnvFiles {
  /** `./.env` of the working directory. */
  readonly cwd: Readonly<Record<string, string>>;
  /** `<state>/.env`. */
  readonly state: Readonly<Record<string, string>>;
}

/** Reads and parses `./.env` and `<state>/.env` (absent files are empty). */
export function readEnvFiles(opts: { cwd: string; stateDir: string }): EnvFiles {
  return {
    cwd: parseEnvFile(readIfExists(path.join(opts.cwd, ".env")) ?? ""),
    state: parseEnvFile(readIfExists(stateEnvFile(opts.stateDir)) ?? ""),
  };
}

/**
 * Merges the environment in OpenClaw's order: process env > `./.env` > `<state>/.env` > config
 * `env` block. A value that is already set is never overridden. Does not touch `process.env`.
 * The files come as {@link readEnvFiles} read them, once per start, so a config change merges
 * again without reading them.
 */
export function loadEnv(opts: { processEnv: NodeJS.ProcessEnv; files: EnvFiles; config: OpenClawConfig }): LoadedEnv {
  const values: Record<string, string> = {};
  const sources: Record<string, EnvSource> = {};
  const refusedFromCwd: string[] = [];
  const forRefs: Record<string, string> = {};
  const add = (entries: Readonly<Record<string, string | undefined>>, source: EnvSource) => {
    for (const [k, v] of Object.entries(entries)) {
      if (v === undefined) continue;
      if (source !== "cwd-dotenv" && !(k in forRefs)) forRefs[k] = v;
      // Reported even when already set elsewhere: doctor warns about the file either way.
      if (source === "cwd-dotenv" && isProtectedEnvKey(k)) {
        refusedFromCwd.push(k);
        continue;
      }
      if (k in values) continue;
      values[k] = v;
      sources[k] = source;
    }
  };
  const { files } = opts;
  add(opts.processEnv, "process");
  add(files.cwd, "cwd-dotenv");
  add(files.state, "state-dotenv");
  add(configEnv(opts.config), "config");
  const onlyInCwd = new Set(Object.keys(files.cwd).filter((k) => !(k in forRefs)));
  return { values, sources, refusedFromCwd, forRefs, onlyInCwd };
}

// Variables whose values are credentials; paths such as OPENCLAW_STATE_DIR or HOME are not.
const CREDENTIAL_VARIABLE = /(_API_KEYS?|_API_KEY_.+|_TOKEN|_SECRET|_PASSWORD)$/;

/** Whether an environment variable's name says its value is a credential (a key, token or password). */
export function isCredentialVariable(name: string): boolean {
  return CREDENTIAL_VARIABLE.test(name);
}
