import type * as z from "zod/mini";
import { closestMatches } from "../util/closest.js";
import { isRawObject, type RawObject } from "./raw-object.js";
import type { OpenClawConfig } from "./schema.js";

/** The schema of a plugin's section: an object whose keys are the plugin's settings. */
export type SectionSchema = z.ZodMiniObject;

/**
 * A plugin's own settings: where they live in our file (`model-gateway.json`, read on top of
 * `openclaw.json`) and their zod schema. The app hands every loaded plugin's section to the config
 * loader, which validates it and reports a mistake in it against the plugin; the core schema knows
 * none of them.
 */
export interface ConfigSection<S extends SectionSchema = SectionSchema> {
  /** The plugin's name, named in every error and warning about the section. */
  readonly owner: string;
  /** Where the section is, as keys: `["auth", "monitor"]` for `auth.monitor`. */
  readonly path: readonly string[];
  readonly schema: S;
  /** The section's value in a config loaded with it; undefined when the config does not set it. */
  read(config: OpenClawConfig): z.infer<S> | undefined;
}

/** The value at a key path of a raw config, if there is one. */
export function valueAt(raw: unknown, path: readonly string[]): unknown {
  let cur = raw;
  for (const key of path) cur = isRawObject(cur) ? cur[key] : undefined;
  return cur;
}

/** Declares a plugin's section (see {@link ConfigSection}); nothing is read until a config is. */
export function configSection<S extends SectionSchema>(
  owner: string,
  path: readonly string[],
  schema: S,
): ConfigSection<S> {
  // Parsed once per loaded config: plugins read their settings on every message.
  const parsed = new WeakMap<object, z.infer<S> | undefined>();
  return {
    owner,
    path,
    schema,
    read(config) {
      if (parsed.has(config)) return parsed.get(config);
      const raw = valueAt(config, path);
      const result = raw === undefined ? undefined : schema.safeParse(raw);
      const value = result?.success ? result.data : undefined;
      parsed.set(config, value);
      return value;
    },
  };
}

/** What checking the sections of a merged config found: invalid values, and keys no plugin declares. */
export interface SectionProblems {
  /** `auth.monitor.intervalMinutes: Too small: … (plugin auth-monitor)`: the config is refused. */
  readonly errors: readonly string[];
  /** Unknown keys inside a section, each naming its plugin: warned about and ignored. */
  readonly warnings: readonly string[];
}

/**
 * Checks each plugin's section in `merged` against its schema; `fileOf` names the file a section
 * was written in, for warnings. Keys are written as people write them (`auth.monitor.intervalMinutes`).
 */
export function checkSections(
  merged: RawObject,
  sections: readonly ConfigSection[],
  fileOf: (path: readonly string[]) => string,
): SectionProblems {
  const errors: string[] = [];
  const warnings: string[] = [];
  for (const s of sections) {
    const raw = valueAt(merged, s.path);
    if (raw === undefined) continue;
    const at = s.path.join(".");
    const parsed = s.schema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const key = [at, ...issue.path.map(String)].join(".");
        errors.push(`${key}: ${issue.message} (a setting of plugin ${s.owner})`);
      }
      continue;
    }
    if (!isRawObject(raw)) continue;
    const known = Object.keys(s.schema.shape);
    for (const key of Object.keys(raw)) {
      if (known.includes(key)) continue;
      const nearest = closestMatches(key, known, 1)[0];
      const hint = nearest !== undefined ? ` (did you mean ${nearest}?)` : "";
      warnings.push(`${fileOf(s.path)}: ${at}.${key} is not a setting of plugin ${s.owner}${hint}; it is ignored.`);
    }
  }
  return { errors, warnings };
}
