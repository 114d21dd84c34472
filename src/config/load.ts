import type * as z from "zod";
import { configSchema, type OpenClawConfig } from "./schema.js";
import { readIfExists } from "../util/secure-fs.js";
import { UserFacingError, userError } from "../util/user-error.js";
import { parseJson5 } from "../util/json5.js";
import { deepMerge, resolveIncludes, substituteEnv } from "./includes.js";
import { foreignOwnFileKeys, isFormerSqliteStore, legacyKeys, OWN_KEYS } from "./own-settings.js";
import type { RawObject } from "./raw-object.js";
import { unknownKeys, unknownKeyText } from "./known-keys.js";
import { closestMatches } from "../util/closest.js";
import { checkSections, valueAt, type ConfigSection } from "./plugin-section.js";

/**
 * The config as loaded: `openclaw.json` with our own file (`model-gateway.json`) read on top of it,
 * validated, and what each command warns about.
 */
export interface LoadedConfig {
  /** `openclaw.json`. */
  readonly path: string;
  readonly exists: boolean;
  /** `model-gateway.json`, our own settings. */
  readonly ownPath: string;
  readonly ownExists: boolean;
  readonly config: OpenClawConfig;
  /** One line each: our keys still in `openclaw.json`, unknown keys, unset `${VAR}`s. */
  readonly warnings: readonly string[];
}

/** What a load reads besides the two files. */
export interface LoadOptions {
  /** `model-gateway.json`; without it, only `openclaw.json` is read (tests of one file). */
  readonly ownFile?: string;
  /** For `${VAR}` and `OPENCLAW_INCLUDE_ROOTS`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Relative store paths resolve against it. */
  readonly stateDir?: string;
  /** The loaded plugins' own sections, validated with the config and reported against their plugin. */
  readonly sections?: readonly ConfigSection[];
}

/** Formats a zod issue path the way people write config keys: `channels.telegram.botToken`, `list[0].id`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out || "(top level)";
}

function describeIssue(issue: z.core.$ZodIssue): string {
  return `${formatKeyPath(issue.path)}: ${issue.message}`;
}

/** Parses JSON5 text into a value; a syntax error names the file, line and column. */
export function parseConfigText(file: string, text: string): unknown {
  try {
    return text.trim() === "" ? {} : parseJson5(text);
  } catch (err) {
    const e = err as SyntaxError & { lineNumber?: number; columnNumber?: number };
    const what = e.message.replace(/^JSON5: /, "").replace(/ at \d+:\d+$/, "");
    const detail = e.lineNumber !== undefined ? `line ${e.lineNumber}, column ${e.columnNumber ?? 0}: ${what}` : what;
    throw new UserFacingError(userError("config_syntax", `Invalid config ${file}: ${detail}`));
  }
}

/** Validates a parsed config. Throws {@link UserFacingError} naming the file, the key path and what was expected. */
export function validateConfig(file: string, raw: unknown): OpenClawConfig {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw invalidConfig(file, parsed.error.issues.map(describeIssue));
  return parsed.data;
}

/** The error for a config that breaks a schema, naming the first few keys: `key: what was expected`. */
function invalidConfig(file: string, problems: readonly string[]): UserFacingError {
  return new UserFacingError(
    userError(
      "config_invalid",
      `Invalid config ${file}: ${problems.slice(0, 5).join("; ")}`,
      "Fix the key named above, then run the command again.",
    ),
  );
}

/**
 * Parses and validates config text. Throws {@link UserFacingError} naming the file, the key path
 * and what was expected; never a stack trace for bad input.
 */
export function parseConfig(file: string, text: string): OpenClawConfig {
  return validateConfig(file, parseConfigText(file, text));
}

function isObject(v: unknown): v is RawObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Reads, includes and substitutes one file; undefined when it does not exist. */
function readRaw(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
  missing: Set<string>,
): RawObject | undefined {
  const text = readIfExists(file);
  if (text === undefined) return undefined;
  const raw = substituteEnv(resolveIncludes(parseConfigText(file, text), file, env), env, missing);
  if (!isObject(raw))
    throw new UserFacingError(userError("config_invalid", `Invalid config ${file}: (top level): expected an object`));
  return raw;
}

/**
 * Loads `openclaw.json` from `file` and, on top of it, our own settings from `opts.ownFile`; a
 * missing file is an empty one. Our keys still in `openclaw.json` keep working (with a warning that
 * `doctor --fix` moves them); a key in our file that is not ours is warned about and ignored.
 */
export function loadConfig(file: string, opts: LoadOptions = {}): LoadedConfig {
  const env = opts.env ?? {};
  const missing = new Set<string>();
  const base = readRaw(file, env, missing);
  const ownFile = opts.ownFile;
  const own = ownFile !== undefined ? readRaw(ownFile, env, missing) : undefined;
  const warnings: string[] = [];
  const stateDir = opts.stateDir ?? process.cwd();
  const legacy = base ? legacyKeys(base, { stateDir }) : [];
  if (legacy.length > 0)
    warnings.push(
      `${file} has ${legacy.length === 1 ? "a key" : "keys"} OpenClaw refuses: ${legacy.map((l) => l.key).join(", ")}; \`openclaw doctor\` says why, \`openclaw doctor --fix\` rewrites them (ours move to model-gateway.json).`,
    );
  const sections = opts.sections ?? [];
  let ownKept: RawObject = {};
  if (own && ownFile !== undefined) {
    const foreign = foreignOwnFileKeys(
      own,
      sections.map((s) => s.path.join(".")),
    );
    for (const key of foreign) warnings.push(foreignKeyText(ownFile, file, key));
    ownKept = withoutKeys(own, foreign);
  }
  const refused = new Set(legacy.map((l) => l.key));
  for (const u of unknownKeys(base ?? {})) if (!refused.has(u.key)) warnings.push(unknownKeyText(file, u));
  for (const name of missing) warnings.push(`\${${name}} is not set; the value that names it stays unresolved.`);
  let merged = deepMerge(base ?? {}, ownKept) as RawObject;
  const session = isObject(merged.session) ? merged.session : undefined;
  // An earlier version kept its own SQLite file at `session.store`; OpenClaw's file there is JSON.
  if (
    session &&
    isFormerSqliteStore(session.store, stateDir) &&
    !isObject((own?.session as RawObject | undefined)?.store)
  )
    merged = deepMerge(merged, { session: { store: { kind: "sqlite", path: session.store } } }) as RawObject;
  const shown = own !== undefined && ownFile !== undefined ? `${file} (with ${ownFile})` : file;
  const config = validateConfig(shown, merged);
  const plugins = checkSections(merged, sections, (path) =>
    ownFile !== undefined && valueAt(ownKept, path) !== undefined ? ownFile : file,
  );
  if (plugins.errors.length > 0) throw invalidConfig(shown, plugins.errors);
  warnings.push(...plugins.warnings);
  return {
    path: file,
    exists: base !== undefined,
    ownPath: ownFile ?? file,
    ownExists: own !== undefined,
    config,
    warnings,
  };
}

/** Why a key of our file is ignored: it is OpenClaw's (and belongs in its file), or nobody's. */
function foreignKeyText(ownFile: string, file: string, key: readonly string[]): string {
  const unknown = unknownKeys(keyTree(key));
  const nearest = closestMatches(
    key.at(-1) ?? "",
    OWN_KEYS.map((k) => k.split(".").at(-1) ?? ""),
    1,
  )[0];
  if (unknown.length === 0)
    return `${ownFile}: ${key.join(".")} is OpenClaw's key and is ignored here; it belongs in ${file}.`;
  const hint = nearest !== undefined ? ` (did you mean ${nearest}?)` : "";
  return `${ownFile}: unknown key ${key.join(".")}${hint}; it is ignored.`;
}

/** `{ a: { b: { c: true } } }` for the key `a.b.c`. */
function keyTree(key: readonly string[]): RawObject {
  let tree: unknown = true;
  for (const k of [...key].reverse()) tree = { [k]: tree };
  return tree as RawObject;
}

function withoutKeys(raw: RawObject, keys: readonly (readonly string[])[]): RawObject {
  const copy = structuredClone(raw);
  for (const key of keys) {
    const parts = [...key];
    const last = parts.pop() ?? "";
    let cur: unknown = copy;
    for (const p of parts) cur = isObject(cur) ? cur[p] : undefined;
    if (isObject(cur)) delete cur[last];
  }
  return copy;
}
