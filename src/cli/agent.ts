import fs from "node:fs";
import path from "node:path";
import { agentIds } from "../config/agents.js";
import type { LoadedContext } from "../config/context.js";
import { closestMatches } from "../util/closest.js";
import { fail } from "./errors.js";

/** Agents the config names plus those that already have a directory under `<state>/agents`. */
export function knownAgents(ctx: LoadedContext): string[] {
  const ids = new Set(agentIds(ctx.loaded.config));
  try {
    for (const entry of fs.readdirSync(path.join(ctx.stateDir, "agents"), { withFileTypes: true })) {
      if (entry.isDirectory()) ids.add(entry.name);
    }
  } catch {
    // No agents directory yet: only configured agents exist.
  }
  return [...ids];
}

/**
 * The agent a command works on: `--agent <id>` when given, else the configured default. An id that
 * is neither configured nor present on disk is refused, so a typo never creates a stray agent.
 */
export function selectAgent(ctx: LoadedContext, requested: string | undefined): string {
  const wanted = requested?.trim();
  if (wanted === undefined) return ctx.defaultAgentId;
  if (wanted === "") fail("agent_empty", "--agent needs an agent id.");
  const known = knownAgents(ctx);
  if (known.includes(wanted)) return wanted;
  const near = closestMatches(wanted, known);
  fail(
    "unknown_agent",
    `Unknown agent "${wanted}".`,
    near.length
      ? `Did you mean ${near.join(", ")}? Known agents: ${known.join(", ")}.`
      : `Known agents: ${known.join(", ")}.`,
  );
}
