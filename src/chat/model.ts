import { modelParams } from "../config/model-params.js";
import { maySeeCredentials } from "../gateway/access.js";
import { userErrorLine } from "../util/user-error.js";
import { currentSelection } from "../gateway/selection.js";
import type { AnswerSink, CommandContext, GatewayServices } from "../gateway/types.js";
import { resolveModelRef, type ResolvedModel } from "../models/ref.js";
import { pickAnotherModel, type ChatCommands } from "./failure-text.js";
import { noSpend, type ChatSettings, type Turn } from "./turn.js";

/**
 * The most tokens an answer may take: `params.maxTokens` (the user's explicit limit), else the
 * model's cap within ours.
 */
export function answerTokensFor(
  services: GatewayServices,
  settings: ChatSettings,
  model: ResolvedModel,
  agentId: string,
): number {
  const ours = settings.maxAnswerTokens;
  return (
    modelParams(services.config().config, agentId, model.ref).maxTokens ??
    Math.max(1, Math.min(ours, model.model?.maxTokens ?? ours))
  );
}

/** What the model step needs besides the message. */
export interface ModelStepDeps {
  readonly services: GatewayServices;
  readonly settings: ChatSettings;
  readonly commands: ChatCommands;
  /** Aborted when the responder closes. */
  readonly shutdown: AbortSignal;
}

/**
 * The model step: the session's model and pin, the same /model shows (a thread inherits its parent
 * chat's, unless an inherited pin cannot serve the thread's own provider), and everything the turn
 * decides before its first call. A string is the reply when the model cannot be used at all.
 */
export async function startTurn(
  deps: ModelStepDeps,
  ctx: CommandContext,
  text: string,
  sink: AnswerSink | undefined,
): Promise<Turn | string> {
  const { services, settings } = deps;
  const catalog = services.catalog();
  const selection = await currentSelection(ctx);
  const resolved = resolveModelRef(catalog, selection.ref);
  if (!resolved.ok) return userErrorLine(resolved.error);
  const model = resolved.value;
  const provider = catalog.providers.get(model.provider);
  if (!provider) return `Unknown provider "${model.provider}" for ${model.ref}. ${pickAnotherModel(deps.commands)}`;
  return {
    ctx,
    text,
    selection,
    model,
    provider,
    pin: selection.pin,
    answerTokens: answerTokensFor(services, settings, model, ctx.agentId),
    messages: [{ role: "user", content: text }],
    sink,
    stop: new AbortController(),
    shutdown: deps.shutdown,
    spend: noSpend(),
    facts: {
      provider: provider.id,
      providerName: provider.name,
      model: model.ref,
      now: services.clock(),
      timeoutMs: settings.timeoutMs,
      showMasked: maySeeCredentials(ctx),
      commands: deps.commands,
    },
  };
}
