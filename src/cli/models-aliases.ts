import { ALIAS_PATTERN, configuredAliases, removeModelAlias, setModelAlias } from "../config/model-defaults.js";
import type { CliIo } from "./io.js";
import { EXIT, fail } from "./errors.js";
import { columns, toJson } from "./format.js";
import {
  type DefaultsOptions,
  loadDefaults,
  modelArgument,
  refuseAgent,
  writeDefaults,
} from "./model-defaults-command.js";

/**
 * `openclaw models aliases list`: the aliases of `agents.defaults.models` (OpenClaw's, in `aliases`
 * of `--json` and in `--plain`), then the built-in ones they do not override (text, and `builtin`
 * of `--json`).
 */
export async function runAliasesList(io: CliIo, opts: DefaultsOptions): Promise<number> {
  refuseAgent(opts, "models aliases list");
  const ctx = loadDefaults(io);
  const configured = configuredAliases(ctx.loaded.config);
  const taken = new Set(configured.map((a) => a.alias.toLowerCase()));
  const builtin = [...ctx.catalog.builtinAliases].filter(([alias]) => !taken.has(alias));
  if (opts.json) {
    io.out(
      toJson({
        aliases: Object.fromEntries(configured.map((a) => [a.alias, a.ref])),
        builtin: Object.fromEntries(builtin),
      }),
    );
    return EXIT.ok;
  }
  if (opts.plain) {
    if (configured.length) io.out(configured.map((a) => `${a.alias} ${a.ref}`).join("\n"));
    return EXIT.ok;
  }
  const rows = [
    ...configured.map((a) => [a.alias, a.ref, "configured"]),
    ...builtin.map(([alias, ref]) => [alias, ref, "built-in"]),
  ];
  io.out(`Aliases (${configured.length} configured, ${builtin.length} built-in)`);
  io.out(columns(rows, "  ").join("\n"));
  return EXIT.ok;
}

/**
 * `openclaw models aliases add <alias> <model>`: the alias goes on the model's entry
 * (`agents.defaults.models["<ref>"].alias`), replacing that model's former alias; a target that is
 * itself an alias names its model. An alias already taken by another model is refused: remove it
 * first. Aliases match case-insensitively, so `FAST` and `fast` are one alias.
 */
export async function runAliasesAdd(io: CliIo, opts: DefaultsOptions, args: string[]): Promise<number> {
  refuseAgent(opts, "models aliases add");
  const [alias = "", target = ""] = args.map((a) => a.trim());
  if (!ALIAS_PATTERN.test(alias))
    fail(
      "alias_invalid",
      `"${alias}" cannot be an alias: use letters, digits, dots, underscores, colons and dashes only. Nothing was changed.`,
    );
  const ctx = loadDefaults(io);
  const model = modelArgument(io, ctx, target);
  await writeDefaults(io, ctx, `agents.defaults.models["${model.ref}"].alias`, (raw) => {
    const existing = configuredAliases(raw);
    const clash = existing.find((a) => a.alias.toLowerCase() === alias.toLowerCase() && a.ref !== model.ref);
    if (clash)
      fail(
        "alias_taken",
        `The alias ${clash.alias} already names ${clash.ref}; nothing was changed.`,
        `Remove it first: openclaw models aliases remove ${clash.alias}`,
      );
    const former = existing.find((a) => a.ref === model.ref)?.alias;
    setModelAlias(raw, alias, model.ref);
    return [`Alias ${alias} → ${model.ref}${former !== undefined && former !== alias ? ` (replaces ${former})` : ""}`];
  });
  return EXIT.ok;
}

/** `openclaw models aliases remove <alias>`: takes a configured alias off its model's entry. */
export async function runAliasesRemove(io: CliIo, opts: DefaultsOptions, args: string[]): Promise<number> {
  refuseAgent(opts, "models aliases remove");
  const alias = args[0]?.trim() ?? "";
  const ctx = loadDefaults(io);
  const builtin = ctx.catalog.builtinAliases.get(alias.toLowerCase());
  await writeDefaults(io, ctx, "agents.defaults.models", (raw) => {
    const ref = removeModelAlias(raw, alias);
    if (ref === undefined)
      fail(
        "alias_not_found",
        `No configured alias "${alias}"; nothing was changed.`,
        builtin !== undefined
          ? `${alias} is a built-in alias of ${builtin}; it cannot be removed, but an alias of yours with that name replaces it.`
          : "See them with: openclaw models aliases list",
      );
    return [`Removed alias ${alias} (it named ${ref}).`];
  });
  return EXIT.ok;
}
