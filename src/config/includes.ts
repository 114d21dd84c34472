import fs from "node:fs";
import path from "node:path";
import { parseJson5 } from "../util/json5.js";
import { UserFacingError, userError } from "../util/user-error.js";

const MAX_DEPTH = 10;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Sets an own data property, so a `__proto__` key stays data and never becomes the prototype. */
function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Deep-merges `over` onto `base` (objects key by key, anything else replaced); neither is changed. */
export function deepMerge(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) setOwn(out, k, Object.hasOwn(out, k) ? deepMerge(out[k], v) : v);
  return out;
}

function includeError(file: string, detail: string): UserFacingError {
  return new UserFacingError(
    userError(
      "config_include",
      `Invalid config ${file}: $include ${detail}`,
      "Fix the $include path, then run the command again.",
    ),
  );
}

function isInside(child: string, root: string): boolean {
  const rel = path.relative(root, child);
  return !rel.startsWith("..") && !path.isAbsolute(rel);
}

/** The directories an include may read: the config's own, and `OPENCLAW_INCLUDE_ROOTS` (as OpenClaw allows). */
function includeRoots(configFile: string, env: Readonly<Record<string, string | undefined>>): string[] {
  const extra = (env.OPENCLAW_INCLUDE_ROOTS ?? "").split(path.delimiter).filter((p) => p.trim() !== "");
  return [path.dirname(configFile), ...extra].map((p) => {
    const abs = path.resolve(p);
    try {
      return fs.realpathSync(abs);
    } catch {
      return abs;
    }
  });
}

/**
 * Resolves OpenClaw's `$include` directives in a parsed config, as OpenClaw does: a single file
 * replaces the object that names it, an array of files is deep-merged in order, and the object's
 * other keys are merged over the result. Paths are relative to the including file and must stay
 * under the config's directory (or `OPENCLAW_INCLUDE_ROOTS`); cycles and more than ten levels are
 * refused with the file named.
 */
export function resolveIncludes(
  raw: unknown,
  configFile: string,
  env: Readonly<Record<string, string | undefined>>,
): unknown {
  const roots = includeRoots(configFile, env);
  const visit = (value: unknown, from: string, chain: readonly string[]): unknown => {
    if (Array.isArray(value)) return value.map((v) => visit(v, from, chain));
    if (!isObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== "$include") setOwn(out, k, visit(v, from, chain));
    if (!("$include" in value)) return out;
    const spec = value.$include;
    const files = typeof spec === "string" ? [spec] : Array.isArray(spec) ? spec : undefined;
    if (files === undefined || !files.every((f): f is string => typeof f === "string" && f !== ""))
      throw includeError(from, "must be a path or a list of paths");
    let included: unknown = {};
    for (const name of files) {
      const target = path.resolve(path.dirname(from), name);
      let real: string;
      try {
        real = fs.realpathSync(target);
      } catch {
        throw includeError(from, `"${name}": no such file`);
      }
      if (!roots.some((r) => isInside(real, r)))
        throw includeError(from, `"${name}": outside the config's directory (set OPENCLAW_INCLUDE_ROOTS to allow it)`);
      if (chain.includes(real)) throw includeError(from, `"${name}": includes itself`);
      if (chain.length > MAX_DEPTH) throw includeError(from, `"${name}": more than ${MAX_DEPTH} levels deep`);
      let parsed: unknown;
      try {
        parsed = parseJson5(fs.readFileSync(real, "utf8"));
      } catch (err) {
        throw includeError(from, `"${name}": ${(err as Error).message.replace(/^JSON5: /, "")}`);
      }
      included = deepMerge(included, visit(parsed, real, [...chain, real]));
    }
    return deepMerge(included, out);
  };
  return visit(raw, configFile, [path.resolve(configFile)]);
}

const VARIABLE = /\$?\$\{([A-Z_][A-Z0-9_]*)\}/g;

/**
 * Substitutes `${VAR}` in every string value, as OpenClaw does: upper-case names only, `$${VAR}`
 * is a literal `${VAR}`, and a variable that is unset or empty stays as written and is named in
 * `missing` (OpenClaw warns about it and consumers see it unresolved).
 */
export function substituteEnv(
  raw: unknown,
  env: Readonly<Record<string, string | undefined>>,
  missing: Set<string> = new Set(),
): unknown {
  if (typeof raw === "string") {
    return raw.replace(VARIABLE, (whole: string, name: string) => {
      if (whole.startsWith("$$")) return whole.slice(1);
      const value = env[name];
      if (value === undefined || value === "") {
        missing.add(name);
        return whole;
      }
      return value;
    });
  }
  if (Array.isArray(raw)) return raw.map((v) => substituteEnv(v, env, missing));
  if (!isObject(raw)) return raw;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) setOwn(out, k, substituteEnv(v, env, missing));
  return out;
}
