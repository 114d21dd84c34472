import { updateConfigFile } from "../config/write.js";
import type { RawObject } from "../config/raw-object.js";
import type { CatalogContext } from "../models/context.js";
import { defaultProviderText, notInCatalogText } from "../models/near-misses.js";
import { defaultProviderOf, resolveModelRef, type ResolvedModel } from "../models/ref.js";
import { primaryOf } from "../config/agents.js";
import { closestMatches } from "../util/closest.js";
import type { CliIo } from "./io.js";
import { fail } from "./errors.js";
import { cliAssembly } from "./cli-context.js";

/**
 * What `models set`, `models aliases` and `models fallbacks` share: they change the defaults every
 * agent inherits (`agents.defaults` in `openclaw.json`), so they take no `--agent`, as in OpenClaw.
 */

/** Flags these commands accept; `agent` only so it can be refused with a reason. */
export interface DefaultsOptions {
  readonly agent?: string;
  readonly json?: boolean;
  readonly plain?: boolean;
}

/** Refuses `--agent`: the command changes what every agent inherits, never one agent. */
export function refuseAgent(opts: DefaultsOptions, command: string): void {
  if (opts.agent === undefined) return;
  fail(
    "agent_not_supported",
    `\`openclaw ${command}\` changes agents.defaults, which every agent inherits; it takes no --agent. Nothing was changed.`,
    "An agent's own model is agents.entries.<id>.model in openclaw.json (or /model <ref> -a in a chat with that agent).",
  );
}

/** The config and catalog, with the config's warnings printed once. */
export function loadDefaults(io: CliIo): CatalogContext {
  const ctx = cliAssembly(io).catalogContext();
  for (const w of ctx.loaded.warnings) io.err(`warning: ${w}`);
  return ctx;
}

/**
 * A model argument (alias, `provider/model` or a bare id) read as the `/model` command reads it:
 * OpenClaw's spellings rewritten, an alias to the model it names, a model of a known provider that
 * the catalog lacks accepted with a note on stderr, and so is a bare id no catalog has that is no
 * near miss of one: read with the default model's provider (`resolveModelRef`). An unknown provider
 * or a near miss is refused with the closest names; nothing is written then.
 */
export function modelArgument(io: CliIo, ctx: CatalogContext, input: string): ResolvedModel {
  const { catalog } = ctx;
  const configured = Object.keys(ctx.loaded.config.agents?.defaults?.models ?? {});
  const defaults = primaryOf(ctx.loaded.config.agents?.defaults?.model) ?? catalog.defaultModel;
  const r = resolveModelRef(catalog, input, configured, defaultProviderOf(catalog, defaults));
  if (!r.ok) {
    const slash = input.indexOf("/");
    const provider = slash > 0 ? input.slice(0, slash) : undefined;
    if (provider !== undefined && r.error.code === "unknown_model" && !catalog.providers.has(provider)) {
      const near = closestMatches(provider, [...catalog.providers.keys()]);
      fail(
        "unknown_provider",
        `Unknown provider "${provider}" in ${input.trim()}; nothing was changed.`,
        `${near.length ? `Did you mean ${near.join(", ")}? ` : ""}A provider of your own goes under models.providers in ${ctx.loaded.path}.`,
      );
    }
    fail(
      r.error.code,
      `${r.error.message} Nothing was changed.`,
      r.error.hint?.replace("/model list", "openclaw models list --all"),
    );
  }
  if (r.value.withDefaultProvider) io.err(`note: ${defaultProviderText(r.value)}`);
  else if (!r.value.model && !configured.includes(r.value.ref))
    io.err(`note: ${notInCatalogText(catalog, r.value.ref)}`);
  return r.value;
}

/**
 * Applies `mutate` to `openclaw.json` under its lock (see `updateConfigFile`), then prints the lines
 * it returns (what the defaults are now) and where the change went. `mutate` may throw an expected
 * failure; then nothing is written.
 */
export async function writeDefaults(
  io: CliIo,
  ctx: CatalogContext,
  key: string,
  mutate: (raw: RawObject) => readonly string[],
): Promise<void> {
  let lines: readonly string[] = [];
  await updateConfigFile(ctx.loaded.path, ctx.stateDir, (raw) => {
    lines = mutate(raw);
  });
  for (const line of lines) io.out(line);
  io.out(`Saved ${key} in ${ctx.loaded.path}.`);
}
