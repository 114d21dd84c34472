import type { CommandContext, Reply } from "../../src/gateway/types.js";
import type { PinInput } from "../../src/auth/resolver.js";
import { DROP_PIN } from "../../src/sessions/record.js";
import { currentRecord } from "../../src/sessions/inherit.js";
import { currentSelection, resolveCurrent, describeSource } from "../../src/gateway/selection.js";
import { errorReply, fitReply, fitText } from "./format.js";
import { modelLabel } from "../../src/models/catalog.js";
import type { DefaultCommand, NewCommand, SelectCommand } from "./grammar.js";
import { resolveModelRef } from "../../src/models/ref.js";
import { configuredRefs } from "./allowed.js";
import { type Result, userErrorText } from "../../src/util/user-error.js";
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

/** What `/new` does once the catalog has decided whether its first word names a model. */
interface NewPlan {
  readonly then?: SelectCommand | DefaultCommand;
  /** For the model, in the new conversation; empty when none. */
  readonly text: string;
}

/**
 * Decides `/new <word> …`: the word is the model when it names one without reading it with the
 * default provider (an alias, a catalogued or configured id, a `provider/model` of a known
 * provider), as OpenClaw's `/new <model>` takes it; otherwise the whole text is the message.
 */
export function planNew(ctx: CommandContext, cmd: NewCommand): NewPlan {
  const { then, unlessModel } = cmd;
  if (then?.kind === "select" && unlessModel !== undefined) {
    const config = ctx.services.config().config;
    if (!resolveModelRef(ctx.services.catalog(), then.ref, configuredRefs(config, ctx.agentId)).ok)
      return { text: unlessModel };
  }
  return { ...(then ? { then } : {}), text: cmd.text ?? "" };
}

/**
 * `/new [model]` and `/reset [model]`: starts a fresh conversation. `auto` pins (the gateway's
 * cache-warming choice) are dropped; a user pin stays while its profile exists and serves the
 * model's provider. With a model it also selects it under `/model`'s rules, checked before
 * anything changes. The conversation history is the chat responder's: it is asked to forget it.
 * Only this session's own record is touched, never a parent chat's. Returns the confirmation's
 * lines, or the refusal (nothing changed then).
 */
export async function startConversation(ctx: CommandContext, plan: NewPlan): Promise<Result<string[]>> {
  const { services, sessionKey } = ctx;
  let selection: SelectionPlan | undefined;
  const notes: string[] = [];
  if (plan.then?.kind === "select") {
    const planned = await planSelection(ctx, plan.then);
    if (!planned.ok) return planned;
    selection = planned.value;
    const why = selection.pin ? stalePin(ctx, selection.pin, selection.model.provider) : undefined;
    if (selection.pin && why !== undefined) {
      if (why) notes.push(why);
      const { pin: _dropped, ...rest } = selection;
      selection = rest;
    }
  } else if (plan.then === undefined) {
    const own = await currentRecord(services.sessions, sessionKey, services.clock());
    if (own?.profileId !== undefined) {
      const pin: PinInput = { profileId: own.profileId, source: own.pinSource ?? "user" };
      const why = stalePin(ctx, pin, (await currentSelection(ctx)).provider);
      if (why !== undefined) {
        await services.sessions.update(sessionKey, DROP_PIN, services.clock());
        if (why) notes.push(why);
      }
    }
  }
  const cleared = plan.then?.kind === "default" ? await clearSelection(ctx, plan.then) : undefined;
  if (cleared && !cleared.ok) return cleared;
  await services.chat?.reset(sessionKey);

  const lines = ["New conversation started."];
  if (selection) lines.push(...(await applySelection(ctx, selection)));
  else if (cleared) lines.push(...cleared.value);
  else {
    const sel = await currentSelection(ctx);
    const catalog = services.catalog();
    lines.push(`Model: ${modelLabel(catalog, sel.ref)} — ${describeSource(sel, ctx.agentId)}`);
    if (sel.pin) lines.push(`Pinned profile: ${pinLabel(ctx, sel.pin.profileId)}`);
    lines.push(...nextLines(ctx, sel.ref, resolveCurrent(ctx, sel)));
  }
  lines.push(...notes);
  return { ok: true, value: lines };
}

/**
 * `/new …` as a command. With text for the model that arrived as a native command (a Discord slash
 * command, which has no message to pass on), the answer follows the confirmation in one reply; a
 * typed one never gets here with text (the handler leaves it to {@link newWithText}).
 */
export async function newConversation(ctx: CommandContext, cmd: NewCommand): Promise<Reply> {
  const plan = planNew(ctx, cmd);
  const started = await startConversation(ctx, plan);
  if (!started.ok) return fitReply(errorReply(started.error), ctx.capabilities);
  // Only the confirmation is fitted: an answer is a chat answer, which the adapter splits over as
  // many messages as it needs, as it does any other.
  const confirmation = fitText(started.value.join("\n"), ctx.capabilities.maxLength);
  if (plan.text === "" || !ctx.services.chat) return { text: confirmation };
  const answer = await ctx.services.chat.respond(ctx, plan.text);
  return { text: `${confirmation}\n\n${answer.text}` };
}

/**
 * `/new <text>` leading a message (OpenClaw's form): a fresh conversation (and model, when its first
 * word names one), then only the text goes to the model, spacing intact; the confirmation is the
 * notice. Refused: nothing changes and nothing is sent. Undefined when it holds no text.
 */
export async function newWithText(
  ctx: CommandContext,
  cmd: NewCommand,
): Promise<{ text: string; notice: string } | undefined> {
  const plan = planNew(ctx, cmd);
  if (plan.text === "") return undefined;
  const started = await startConversation(ctx, plan);
  if (!started.ok) return { text: "", notice: userErrorText(started.error) };
  return { text: plan.text, notice: started.value.join("\n") };
}
