import type { Choice, CommandContext, Reply } from "../../src/gateway/types.js";
import type { Catalog } from "../../src/models/catalog.js";
import { modelAllowlist } from "../../src/config/agents.js";
import { isModelAllowed } from "../../src/models/ref.js";
import { offeredModels, type AllowedModels } from "./allowed.js";
import {
  currentSelection,
  resolveCurrent,
  type CurrentSelection,
  describeSource,
} from "../../src/gateway/selection.js";
import { errorReply, plural } from "./format.js";
import { modelLabel } from "../../src/models/catalog.js";
import { decodePayload, encodePayload, type PickerAction } from "./payload.js";
import { clearSelection, nextLines, selectModel } from "./select.js";
import { retirementLabel } from "../../src/models/retirement.js";
import { pinLabel } from "./rights.js";

/** Choices per picker page: a Discord select holds 25 options; Telegram keyboards stay readable at 8. */
export function pickerPageSize(channel: string): number {
  return channel === "discord" ? 25 : 8;
}

/** How many aliases the text-only `/model` shows. */
const QUICK_PICKS = 10;

const STALE: Reply = { text: "This picker is out of date; run /model again.", replace: true };
const RESET: Choice = { label: "Reset to default", payload: encodePayload({ kind: "reset" }) };
const CANCEL: Choice = { label: "Cancel", payload: encodePayload({ kind: "cancel" }) };

/** The first lines of `/model`: the model in use, where it comes from, and what the next request uses. */
async function currentLines(ctx: CommandContext): Promise<{ sel: CurrentSelection; lines: string[] }> {
  const catalog = ctx.services.catalog();
  const sel = await currentSelection(ctx);
  const lines = [`Model: ${modelLabel(catalog, sel.ref)} — ${describeSource(sel, ctx.agentId)}`];
  lines.push(sel.pin ? `Pinned profile: ${pinLabel(ctx, sel.pin.profileId)}` : "Pinned profile: none");
  lines.push(...nextLines(ctx, sel.ref, resolveCurrent(ctx, sel)));
  return { sel, lines };
}

/** `◀ Prev`, `2/5`, `Next ▶`, as far as there is more than one page. */
function navigation(page: number, count: number, at: (page: number) => PickerAction, noop: PickerAction): Choice[] {
  if (count <= 1) return [];
  const out: Choice[] = [];
  if (page > 0) out.push({ label: "◀ Prev", payload: encodePayload(at(page - 1)) });
  out.push({ label: `${page + 1}/${count}`, payload: encodePayload(noop) });
  if (page < count - 1) out.push({ label: "Next ▶", payload: encodePayload(at(page + 1)) });
  return out;
}

/** The provider list with buttons: providers with their allowed-model counts, two per row. */
async function providerPage(ctx: CommandContext, page: number, replace: boolean): Promise<Reply> {
  const allowed = offeredModels(ctx);
  const size = pickerPageSize(ctx.invocation.channel);
  const count = Math.max(1, Math.ceil(allowed.providers.length / size));
  if (page >= count) return STALE;
  const { sel, lines } = await currentLines(ctx);
  const version = allowed.version;
  const choices = allowed.providers.slice(page * size, (page + 1) * size).map(
    (p, i): Choice => ({
      label: `${p.id} (${p.models.length})`,
      payload: encodePayload({ kind: "provider", version, provider: page * size + i, page: 0 }),
      ...(p.id === sel.provider ? { selected: true } : {}),
    }),
  );
  lines.push(choices.length ? "Choose a provider:" : "No model is allowed here.");
  const actions = [
    ...navigation(page, count, (p) => ({ kind: "home", version, page: p }), { kind: "noop", version, page }),
    RESET,
    CANCEL,
  ];
  return {
    text: lines.join("\n"),
    choices,
    columns: 2,
    actions,
    page: { index: page, count },
    ...(replace ? { replace } : {}),
  };
}

/** One provider's models with buttons, `pickerPageSize` per page, ✓ on the current one. */
async function modelPage(ctx: CommandContext, allowed: AllowedModels, provider: number, page: number): Promise<Reply> {
  const p = allowed.providers[provider];
  const size = pickerPageSize(ctx.invocation.channel);
  const count = p ? Math.ceil(p.models.length / size) : 0;
  if (!p || page >= count) return STALE;
  const catalog = ctx.services.catalog();
  const sel = await currentSelection(ctx);
  const version = allowed.version;
  const choices = p.models.slice(page * size, (page + 1) * size).map((m, i): Choice => {
    const aliases = catalog.aliasesOf(m.ref);
    return {
      label: `${m.id}${aliases.length ? ` · ${aliases.join(", ")}` : ""}${m.deprecated ? ` (${retirementLabel(m.deprecated, ctx.services.clock())})` : ""}`,
      payload: encodePayload({ kind: "select", version, provider, model: page * size + i }),
      ...(m.ref === sel.ref ? { selected: true } : {}),
    };
  });
  const actions = [
    ...navigation(page, count, (pg) => ({ kind: "provider", version, provider, page: pg }), {
      kind: "noop",
      version,
      provider,
      page,
    }),
    { label: "Back", payload: encodePayload({ kind: "home", version, page: Math.floor(provider / size) }) },
    RESET,
    CANCEL,
  ];
  const text = `${p.id} — ${plural(p.models.length, "model")}${count > 1 ? `, page ${page + 1}/${count}` : ""}. Current: ${modelLabel(catalog, sel.ref)}\nTap a model to use it in this chat.`;
  return { text, choices, columns: 1, actions, page: { index: page, count }, replace: true };
}

/** Aliases the agent may use, in catalog order: the compact picks of the text-only `/model`. */
function quickPicks(catalog: Catalog, allow: readonly string[]): Array<[string, string]> {
  return [...catalog.aliases].filter(([, ref]) => isModelAllowed(catalog, allow, ref));
}

/**
 * `/model` with no arguments: the model in use and its profile, then a compact picker: provider
 * buttons where the channel has buttons, otherwise a numbered list of aliases and how to pick.
 */
export async function showReply(ctx: CommandContext): Promise<Reply> {
  if (ctx.capabilities.buttons) return providerPage(ctx, 0, false);
  const catalog = ctx.services.catalog();
  const allowed = offeredModels(ctx);
  const { sel, lines } = await currentLines(ctx);
  const picks = quickPicks(catalog, modelAllowlist(ctx.services.config().config, ctx.agentId));
  if (picks.length) {
    lines.push("", "Quick picks:");
    picks
      .slice(0, QUICK_PICKS)
      .forEach(([alias, ref], i) => lines.push(`${i + 1}. ${alias} — ${ref}${ref === sel.ref ? " ✓" : ""}`));
    if (picks.length > QUICK_PICKS)
      lines.push(`… and ${picks.length - QUICK_PICKS} more aliases in /models <provider>`);
  }
  if (allowed.providers.length)
    lines.push(`Providers: ${allowed.providers.map((p) => `${p.id} (${p.models.length})`).join(", ")}`);
  lines.push(
    "Switch with /model <alias or provider/model>, e.g. /model opus; for a while: /model opus --for 2h; for one message: /model opus --once <message>. Browse: /models <provider>. Details: /model status.",
  );
  return { text: lines.join("\n") };
}

/**
 * A picker button press. The payload is untrusted: anything we did not make, or made for a list
 * that has changed since (config edit, allowlist change), gets "out of date", never a throw.
 * Choosing a model changes this session only, never a configured default.
 */
export async function onChoice(ctx: CommandContext, payload: string): Promise<Reply> {
  const action = decodePayload(payload);
  if (!action) return STALE;
  switch (action.kind) {
    case "cancel":
      return { text: "Model picker closed.", replace: true };
    case "reset": {
      const r = await clearSelection(ctx, { kind: "default" });
      return r.ok ? { text: r.value.join("\n"), replace: true } : errorReply(r.error, { replace: true });
    }
    default:
      break;
  }
  const allowed = offeredModels(ctx);
  if (action.version !== allowed.version) return STALE;
  switch (action.kind) {
    case "home":
      return providerPage(ctx, action.page, true);
    case "provider":
      return modelPage(ctx, allowed, action.provider, action.page);
    case "noop":
      return action.provider === undefined
        ? providerPage(ctx, action.page, true)
        : modelPage(ctx, allowed, action.provider, action.page);
    case "select": {
      const m = allowed.providers[action.provider]?.models[action.model];
      if (!m) return STALE;
      return { ...(await selectModel(ctx, { kind: "select", ref: m.ref }, { sessionOnly: true })), replace: true };
    }
  }
}
