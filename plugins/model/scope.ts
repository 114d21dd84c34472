import type { CommandContext } from "../../src/gateway/types.js";
import type { OpenClawConfig } from "../../src/config/schema.js";
import { setConfiguredModel, updateConfigFile } from "../../src/config/write.js";
import { userError, type Result } from "../../src/util/user-error.js";
import type { Scope } from "./grammar.js";

/** The scope a selection gets, and a note when it is narrower than configured. */
export interface ScopeDecision {
  readonly scope: Scope;
  readonly note?: string;
}

/**
 * Decides how far a selection reaches. An explicit flag wins; without one,
 * `agents.defaults.modelSelectionScope` applies (default `session`). Changing a configured default
 * needs an owner: an explicit `-a`/`-g` from anyone else is refused, while a configured wider scope
 * quietly narrows to this session for them (with a note). Picker presses are always session-only.
 */
export function decideScope(
  ctx: CommandContext,
  config: OpenClawConfig,
  flag: Scope | undefined,
  sessionOnly: boolean,
): Result<ScopeDecision> {
  if (sessionOnly) return { ok: true, value: { scope: "session" } };
  if (flag !== undefined) {
    if (flag !== "session" && !ctx.isOwner) {
      const what = flag === "agent" ? "the agent's default model (-a)" : "the global default model (-g)";
      return {
        ok: false,
        error: userError(
          "owner_only",
          `Only an owner can change ${what}. Nothing was changed.`,
          "Leave out the flag (or use -s) to change the model for this chat only.",
        ),
      };
    }
    return { ok: true, value: { scope: flag } };
  }
  const configured = config.agents?.defaults?.modelSelectionScope ?? "session";
  if (configured !== "session" && !ctx.isOwner) {
    return {
      ok: true,
      value: {
        scope: "session",
        note: `Changed for this chat only: agents.defaults.modelSelectionScope is "${configured}", but only owners change defaults.`,
      },
    };
  }
  return { ok: true, value: { scope: configured } };
}

/** The config key a scope writes. */
export function scopeKey(scope: Exclude<Scope, "session">, agentId: string): string {
  return scope === "agent" ? `agents.entries.${agentId}.model` : "agents.defaults.model";
}

/**
 * Writes a model as a configured default through {@link updateConfigFile} (locked, validated,
 * atomic). `agent` sets `agents.entries.<id>.model` to `{ primary }`, keeping its fallbacks;
 * `global` replaces `agents.defaults.model` in the form it has (a string stays a string, an
 * object keeps its fallbacks).
 */
export async function writeDefaultModel(
  file: string,
  stateDir: string,
  scope: Exclude<Scope, "session">,
  agentId: string,
  ref: string,
): Promise<void> {
  await updateConfigFile(file, stateDir, (raw) =>
    setConfiguredModel(raw, scope === "agent" ? { scope, agentId } : { scope: "global" }, ref),
  );
}
