import type { CommandContext, MessagePlan } from "../../src/gateway/types.js";
import { type UserError, userErrorText } from "../../src/util/user-error.js";
import { parseCommandText } from "../../src/gateway/command-text.js";
import { fitText } from "./format.js";
import { parseDirective, parseInvocation } from "./grammar.js";
import { newWithText } from "./new.js";
import { aliasNames } from "./aliases.js";
import { applySelection, clearSelection, planSelection } from "./select.js";
import { onceMessage } from "./once.js";

/** The names `/new` goes by (OpenClaw's `/reset` is the same command here). */
export const NEW = "new";
export const RESET = "reset";

/**
 * A message that starts with `/new <text>` or `/reset <text>` starts a fresh conversation first
 * (see {@link newWithText}), then sends on only the text. A message that starts with a model directive (`/model opus explain this`, `/model: opus …`,
 * `/opus@work -s explain …`) switches the session's model under `/model`'s rules and sends on only
 * the text after it, spacing intact; the confirmation is the notice. When the directive is
 * refused (unknown model, not allowed, not an owner) nothing changes and nothing is sent to the
 * model: the text comes back empty and the notice says why. With `--once` (`/model opus --once
 * explain this`) nothing changes either: the text goes on with that model for this message alone.
 * Undefined for any other message.
 *
 * Assumes the host calls it only for senders allowed to use `/model` (`commands.allowFrom`), as
 * `PluginHost.handleMessage` does; owner rules for pins and `-a`/`-g` are checked here.
 */
export async function onMessage(ctx: CommandContext, text: string): Promise<MessagePlan | undefined> {
  const max = ctx.capabilities.maxLength;
  const line = parseCommandText(text);
  if (line?.command === NEW || line?.command === RESET) {
    const parsed = parseInvocation(line.command, line.args);
    const started = parsed.ok && parsed.value.kind === "new" ? await newWithText(ctx, parsed.value) : undefined;
    return started && { text: started.text, notice: fitText(started.notice, max) };
  }
  const aliases = aliasNames(ctx.services.catalog());
  const d = parseDirective(text, (name) => aliases.has(name));
  if (!d) return undefined;
  const refuse = (e: UserError) => ({ text: "", notice: fitText(userErrorText(e), max) });
  if (!d.selection.ok) return refuse(d.selection.error);
  const sel = d.selection.value;
  if (sel.kind === "select" && sel.once !== undefined) return onceMessage(ctx, sel, sel.once);
  let lines: string[];
  if (sel.kind === "select") {
    const plan = await planSelection(ctx, sel);
    if (!plan.ok) return refuse(plan.error);
    lines = await applySelection(ctx, plan.value);
  } else {
    const cleared = await clearSelection(ctx, sel);
    if (!cleared.ok) return refuse(cleared.error);
    lines = cleared.value;
  }
  return { text: d.rest, notice: fitText(lines.join("\n"), max) };
}
