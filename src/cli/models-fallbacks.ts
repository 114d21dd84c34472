import {
  addDefaultFallback,
  clearDefaultFallbacks,
  defaultFallbacks,
  removeDefaultFallback,
} from "../config/model-defaults.js";
import { primaryOf } from "../config/agents.js";
import type { CatalogContext } from "../models/context.js";
import { resolveModelRef } from "../models/ref.js";
import type { CliIo } from "./io.js";
import { EXIT, fail } from "./errors.js";
import { toJson } from "./format.js";
import {
  type DefaultsOptions,
  loadDefaults,
  modelArgument,
  refuseAgent,
  writeDefaults,
} from "./model-defaults-command.js";

const KEY = "agents.defaults.model.fallbacks";

/** The model an entry (a ref or an alias, as written) names, or the entry itself when it names none. */
function refOf(ctx: CatalogContext, entry: string): string {
  const r = resolveModelRef(ctx.catalog, entry);
  return r.ok ? r.value.ref : entry;
}

/** `Fallback chain: a → b`, or `none`. */
function chainLine(list: readonly string[]): string {
  return `Fallback chain: ${list.length ? list.join(" → ") : "none"}`;
}

/**
 * `openclaw models fallbacks list`: `agents.defaults.model.fallbacks` as written, with the model
 * each alias names and why an entry is never tried (an unknown model, the primary itself).
 */
export async function runFallbacksList(io: CliIo, opts: DefaultsOptions): Promise<number> {
  refuseAgent(opts, "models fallbacks list");
  const ctx = loadDefaults(io);
  const list = defaultFallbacks(ctx.loaded.config);
  if (opts.json) {
    io.out(toJson({ fallbacks: list }));
    return EXIT.ok;
  }
  if (opts.plain) {
    if (list.length) io.out(list.join("\n"));
    return EXIT.ok;
  }
  const primary = primaryOf(ctx.loaded.config.agents?.defaults?.model);
  const primaryRef = primary !== undefined ? refOf(ctx, primary) : undefined;
  io.out(`Fallbacks (${list.length}), ${KEY}:`);
  if (list.length === 0) io.out("  none");
  list.forEach((entry, i) => {
    const r = resolveModelRef(ctx.catalog, entry);
    const note = !r.ok
      ? "  (not a known model: never tried)"
      : r.value.ref === primaryRef
        ? "  (the primary itself: skipped)"
        : r.value.ref !== entry
          ? ` → ${r.value.ref}`
          : "";
    io.out(`  ${i + 1}. ${entry}${note}`);
  });
  return EXIT.ok;
}

/** `openclaw models fallbacks add <model>`: appends the model (an alias is stored as the model it names). */
export async function runFallbacksAdd(io: CliIo, opts: DefaultsOptions, args: string[]): Promise<number> {
  refuseAgent(opts, "models fallbacks add");
  const ctx = loadDefaults(io);
  const model = modelArgument(io, ctx, args[0] ?? "");
  await writeDefaults(io, ctx, KEY, (raw) => {
    addDefaultFallback(raw, model.ref);
    const primary = primaryOf(ctx.loaded.config.agents?.defaults?.model);
    if (primary !== undefined && refOf(ctx, primary) === model.ref)
      io.err(`note: ${model.ref} is also the default model; a turn never falls back to the model that just failed.`);
    return [chainLine(defaultFallbacks(raw))];
  });
  return EXIT.ok;
}

/** `openclaw models fallbacks remove <model>`: removes every entry naming that model (as a ref or an alias). */
export async function runFallbacksRemove(io: CliIo, opts: DefaultsOptions, args: string[]): Promise<number> {
  refuseAgent(opts, "models fallbacks remove");
  const input = args[0]?.trim() ?? "";
  const ctx = loadDefaults(io);
  const target = refOf(ctx, input);
  await writeDefaults(io, ctx, KEY, (raw) => {
    const removed = removeDefaultFallback(raw, (entry) => entry === input || refOf(ctx, entry) === target);
    if (removed.length === 0) {
      const list = defaultFallbacks(raw);
      fail(
        "fallback_not_found",
        `${input} is not in ${KEY}; nothing was changed.`,
        list.length ? `The list: ${list.join(", ")}.` : "The list is empty.",
      );
    }
    return [chainLine(defaultFallbacks(raw))];
  });
  return EXIT.ok;
}

/** `openclaw models fallbacks clear`: an empty list (`[]`), so the default model has no fallbacks. */
export async function runFallbacksClear(io: CliIo, opts: DefaultsOptions): Promise<number> {
  refuseAgent(opts, "models fallbacks clear");
  const ctx = loadDefaults(io);
  await writeDefaults(io, ctx, KEY, (raw) => {
    clearDefaultFallbacks(raw);
    return [chainLine([])];
  });
  return EXIT.ok;
}
