import { setDefaultPrimary } from "../config/model-defaults.js";
import type { CliIo } from "./io.js";
import { EXIT, fail } from "./errors.js";
import {
  type DefaultsOptions,
  loadDefaults,
  modelArgument,
  refuseAgent,
  writeDefaults,
} from "./model-defaults-command.js";

/**
 * `openclaw models set <model>`: the default model of every agent without its own
 * (`agents.defaults.model.primary`), written as OpenClaw writes it: the setting becomes
 * `{ primary, fallbacks }` with its fallbacks kept, and the model gets its
 * `agents.defaults.models` entry. An alias is stored as the model it names.
 */
export async function runModelsSet(io: CliIo, opts: DefaultsOptions, args: string[]): Promise<number> {
  refuseAgent(opts, "models set");
  const input = args[0]?.trim() ?? "";
  if (input === "")
    fail("empty_model", "Which model? Give an alias or a provider/model ref.", "openclaw models list --all");
  const ctx = loadDefaults(io);
  const model = modelArgument(io, ctx, input);
  await writeDefaults(io, ctx, "agents.defaults.model.primary", (raw) => {
    setDefaultPrimary(raw, model.ref);
    return [`Default model: ${model.ref}${model.viaAlias !== undefined ? ` (alias ${model.viaAlias})` : ""}`];
  });
  return EXIT.ok;
}
