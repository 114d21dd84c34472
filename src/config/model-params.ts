import type { ModelParams, OpenClawConfig } from "./schema.js";

/**
 * The provider parameters for one agent and model, in OpenClaw's merge order (later layers win by
 * key): `agents.defaults.params`, `agents.defaults.models["p/m"].params`,
 * `agents.entries.<id>.models["p/m"].params`, then `agents.entries.<id>.params`.
 */
export function modelParams(config: OpenClawConfig, agentId: string, ref: string): ModelParams {
  const agents = config.agents;
  const agent = agents?.entries?.[agentId];
  return {
    ...agents?.defaults?.params,
    ...agents?.defaults?.models?.[ref]?.params,
    ...agent?.models?.[ref]?.params,
    ...agent?.params,
  };
}

/** The top-level body fields `params` adds to an OpenAI-compatible request, or undefined when none. */
export function extraBodyOf(params: ModelParams): Record<string, unknown> | undefined {
  const { chat_template_kwargs, extra_body, extraBody } = params;
  if (chat_template_kwargs === undefined && extra_body === undefined && extraBody === undefined) return undefined;
  // `extra_body.chat_template_kwargs` has the last word, as in OpenClaw.
  return {
    ...(chat_template_kwargs !== undefined ? { chat_template_kwargs } : {}),
    ...extraBody,
    ...extra_body,
  };
}
