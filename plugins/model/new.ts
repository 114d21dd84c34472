import type { CommandContext, Reply } from "../../src/gateway/types.js";
import type { PinInput } from "../../src/auth/resolver.js";
import { DROP_PIN } from "../../src/sessions/record.js";
import { currentSelection, resolveCurrent } from "../../src/gateway/selection.js";
import { describeSource } from "./current.js";
import { errorReply, modelLabel } from "./format.js";
import type { NewCommand } from "./grammar.js";
import {
  applySelection,
  clearSelection,
  nextLines,
  pinnedProvider,
  planSelection,
  type SelectionPlan,
} from "./select.js";
import { pinLabel, profileName } from "./rights.js";

/** Why a pin does not survive `/new` (empty for an `auto` pin, dropped without a word), or undefined when it does. */
function stalePin(ctx: CommandContext, pin: PinInput, provider: string): string | undefined {
  if (pin.source === "auto") return "";
  const owner = pinnedProvider(ctx, pin.profileId);
  if (owner === undefined) return `Unpinned ${profileName(ctx, pin.profileId)}: that profile no longer exists.`;
  if (owner !== provider) return `Unpinned ${profileName(ctx, pin.profileId)}: it is for ${owner}, not ${provider}.`;
  return undefined;
}

/**
 * `/new [model]` and `/reset [model]`: starts a fresh conversation. `auto` pins (the gateway's
 * cache-warming choice) are dropped; a user pin stays while its profile exists and serves the
 * model's provider. With a model it also selects it under `/model`'s rules, checked before
 * anything changes. The conversation history is the chat responder's: it is asked to forget it.
 * Only this session's own record is touched, never a parent chat's.
 */
export async function newConversation(ctx: CommandContext, cmd: NewCommand): Promise<Reply> {
  const { services, sessionKey } = ctx;
  let plan: SelectionPlan | undefined;
  const notes: string[] = [];
  if (cmd.then?.kind === "select") {
    const planned = await planSelection(ctx, cmd.then);
    if (!planned.ok) return errorReply(planned.error);
    plan = planned.value;
    const why = plan.pin ? stalePin(ctx, plan.pin, plan.model.provider) : undefined;
    if (plan.pin && why !== undefined) {
      if (why) notes.push(why);
      const { pin: _dropped, ...rest } = plan;
      plan = rest;
    }
  } else if (cmd.then === undefined) {
    const own = await services.sessions.get(sessionKey);
    if (own?.profileId !== undefined) {
      const pin: PinInput = { profileId: own.profileId, source: own.pinSource ?? "user" };
      const why = stalePin(ctx, pin, (await currentSelection(ctx)).provider);
      if (why !== undefined) {
        await services.sessions.update(sessionKey, DROP_PIN, services.clock());
        if (why) notes.push(why);
      }
    }
  }
  const cleared = cmd.then?.kind === "default" ? await clearSelection(ctx, cmd.then) : undefined;
  if (cleared && !cleared.ok) return errorReply(cleared.error);
  await services.chat?.reset(sessionKey);

  const lines = ["New conversation started."];
  if (plan) lines.push(...(await applySelection(ctx, plan)));
  else if (cleared) lines.push(...cleared.value);
  else {
    const sel = await currentSelection(ctx);
    const catalog = services.catalog();
    lines.push(`Model: ${modelLabel(catalog, sel.ref)} — ${describeSource(sel, ctx.agentId)}`);
    if (sel.pin) lines.push(`Pinned profile: ${pinLabel(ctx, sel.pin.profileId)}`);
    lines.push(...nextLines(ctx, sel.ref, resolveCurrent(ctx, sel)));
  }
  lines.push(...notes);
  return { text: lines.join("\n") };
}
