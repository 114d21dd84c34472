import type { CommandContext, MessagePlan, Reply, TurnModel } from "../../src/gateway/types.js";
import { currentSelection, resolveCurrent } from "../../src/gateway/selection.js";
import { modelLabel } from "../../src/models/catalog.js";
import { type Result, userErrorText } from "../../src/util/user-error.js";
import { errorReply, fitReply, fitText } from "./format.js";
import type { SelectCommand } from "./grammar.js";
import { nextLines, planSelection } from "./select.js";

/** A checked one-shot model and the lines that confirm it. */
interface OncePlan {
  readonly model: TurnModel;
  readonly lines: readonly string[];
}

/**
 * Checks `/model <ref>[@profile] --once …` under the rules of `/model <ref>[@profile]` (allowlist,
 * owners only for a pin in a group, unknown model or profile with the closest matches) and changes
 * nothing. Without `@profile` the session's pin goes along when it serves that provider, as it
 * would for a switch.
 */
async function planOnce(ctx: CommandContext, cmd: SelectCommand): Promise<Result<OncePlan>> {
  const plan = await planSelection(ctx, cmd);
  if (!plan.ok) return plan;
  const { model, pin } = plan.value;
  const catalog = ctx.services.catalog();
  const stays = await currentSelection(ctx);
  const resolution = resolveCurrent(ctx, { ref: model.ref, provider: model.provider, ...(pin ? { pin } : {}) });
  const lines = [
    `This message only: ${modelLabel(catalog, model.ref)}; this chat stays on ${modelLabel(catalog, stays.ref)}.`,
    ...nextLines(ctx, model.ref, resolution, pin?.source === "user" ? pin.profileId : undefined),
  ];
  return { ok: true, value: { model: { ref: model.ref, ...(pin ? { pin } : {}) }, lines } };
}

/**
 * `/model <ref> --once <text>` leading a message: the text goes on to be answered by that model
 * alone, and the confirmation is the notice. Refused: nothing is sent and the notice says why.
 */
export async function onceMessage(ctx: CommandContext, cmd: SelectCommand, text: string): Promise<MessagePlan> {
  const plan = await planOnce(ctx, cmd);
  const max = ctx.capabilities.maxLength;
  if (!plan.ok) return { text: "", notice: fitText(userErrorText(plan.error), max) };
  return { text, notice: fitText(plan.value.lines.join("\n"), max), model: plan.value.model };
}

/**
 * `/model <ref> --once <text>` as a native command (a Discord slash command, which has no message
 * to pass on): the confirmation, then the answer, in one reply. Only the confirmation is fitted:
 * the adapter splits a long answer as it does any other.
 */
export async function answerOnce(ctx: CommandContext, cmd: SelectCommand, text: string): Promise<Reply> {
  const plan = await planOnce(ctx, cmd);
  if (!plan.ok) return fitReply(errorReply(plan.error), ctx.capabilities);
  const confirmation = fitText(plan.value.lines.join("\n"), ctx.capabilities.maxLength);
  const chat = ctx.services.chat;
  if (!chat) return { text: `${confirmation}\n\nModel calls are not set up in this gateway.` };
  const answer = await chat.respond(ctx, text, undefined, plan.value.model);
  return { text: `${confirmation}\n\n${answer.text}` };
}
