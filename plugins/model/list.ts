import type { CommandContext, Reply } from "../../src/gateway/types.js";
import type { Catalog, CatalogModel } from "../../src/models/catalog.js";
import { closestMatches } from "../../src/util/closest.js";
import { userError, type Result } from "../../src/util/user-error.js";
import { offeredModels, type AllowedModels, type AllowedProvider } from "./allowed.js";
import { allowlistKey } from "../../src/config/agents.js";
import { currentSelection } from "../../src/gateway/selection.js";
import { errorReply, plural } from "./format.js";
import type { ListCommand } from "./grammar.js";
import { paginate, type PageFrame } from "./paginate.js";
import { pinnedProvider } from "./select.js";
import { quote, quoteIfNeeded } from "./quote.js";
import { retirementText } from "../../src/models/retirement.js";

/** The last line of every `/models` page: how to switch. */
export const SWITCH_HINT = "Switch: /model <provider/model>";

/** The answer to `/models add …`, which OpenClaw removed: nothing is registered from chat. */
export const MODELS_ADD_NOTE = [
  "/models add is not a command here (OpenClaw removed it); nothing was changed.",
  "Models come from the built-in catalog and models.providers in openclaw.json.",
  "Use /models to browse them and /model <provider/model> to switch; a provider's model that the catalog lacks works by its full ref.",
].join("\n");

/** Lines per page of `/models` when no `limit=` is given. */
export const DEFAULT_LIST_LIMIT = 20;

const LIST_KEYWORD_LIKE = /^(?:\d+|all|-.*|.*=.*)$/i;

/** A list argument as typed back: quoted when it would read as a page, a size or an option. */
function listArg(value: string): string {
  return LIST_KEYWORD_LIKE.test(value) ? quote(value) : quoteIfNeeded(value);
}

/**
 * `• anthropic/claude-sonnet-4-5 (sonnet) — deprecated, retires 2026-11-30` (or `— retired on …`
 * once that day is past `now`), `✓` for the current one.
 */
export function modelLine(catalog: Catalog, m: CatalogModel, current: string, now: number): string {
  const aliases = catalog.aliasesOf(m.ref);
  return `${m.ref === current ? "✓" : "•"} ${m.ref}${aliases.length ? ` (${aliases.join(", ")})` : ""}${m.deprecated ? ` — ${retirementText(m.deprecated, now)}` : ""}`;
}

/** Finds a provider among the allowed ones (exact, then case-insensitive), or explains why not. */
export function findAllowedProvider(
  ctx: CommandContext,
  allowed: AllowedModels,
  name: string,
): Result<AllowedProvider> {
  const lower = name.toLowerCase();
  const hit =
    allowed.providers.find((p) => p.id === name) ?? allowed.providers.find((p) => p.id.toLowerCase() === lower);
  if (hit) return { ok: true, value: hit };
  const catalog = ctx.services.catalog();
  const known =
    catalog.providers.get(name) ?? [...catalog.providers.values()].find((p) => p.id.toLowerCase() === lower);
  if (known) {
    const key = allowlistKey(ctx.services.config().config, ctx.agentId);
    return {
      ok: false,
      error: userError(
        "model_not_allowed",
        `No ${known.id} model is allowed here (${key}).`,
        `Add "${known.id}/*" to ${key} to allow them. Allowed providers: /models.`,
      ),
    };
  }
  const near = closestMatches(
    name,
    allowed.providers.map((p) => p.id),
  );
  const hint = near.length ? `Did you mean ${near.join(", ")}? Providers: /models.` : "Providers: /models.";
  return { ok: false, error: userError("unknown_provider", `Unknown provider "${name}".`, hint) };
}

/**
 * `/models [provider] [page] [limit=<n>|all]` and `/model list …`: without a provider, the
 * providers with their model counts; with one, its model refs. Only allowed models are counted and
 * shown; aliases, deprecation dates and the current model (✓) are marked, and a provider's header
 * names the profile this chat has pinned for it. Every page fits the channel whatever `limit`
 * asks; the footer gives the exact command for the next page and ends with {@link SWITCH_HINT}.
 */
export async function listReply(ctx: CommandContext, cmd: ListCommand): Promise<Reply> {
  const { services, agentId } = ctx;
  const config = services.config().config;
  const catalog = services.catalog();
  const allowed = offeredModels(ctx);
  if (allowed.providers.length === 0) {
    return errorReply(
      userError(
        "model_not_allowed",
        `No model of the catalog is allowed for agent ${agentId}.`,
        `Check ${allowlistKey(config, agentId)} in openclaw.json.`,
      ),
    );
  }
  const current = await currentSelection(ctx);
  const limit = cmd.limit === "all" ? Infinity : (cmd.limit ?? DEFAULT_LIST_LIMIT);
  const limitArg = cmd.limit === undefined ? "" : ` limit=${cmd.limit}`;
  let lines: string[];
  let frame: PageFrame;
  let what: string;
  if (cmd.provider === undefined) {
    lines = allowed.providers.map(
      (p) => `${p.id === current.provider ? "✓" : "•"} ${p.id} — ${plural(p.models.length, "model")}`,
    );
    what = "the provider list";
    frame = {
      header: (page, count) =>
        `Providers${count > 1 ? `, page ${page}/${count}` : ""} (current model: ${current.ref}):`,
      footer: (page, count) =>
        [
          page < count ? `Next page: /models ${page + 1}${limitArg}` : "",
          "Models of one provider: /models <provider>",
          SWITCH_HINT,
        ]
          .filter(Boolean)
          .join("\n"),
    };
  } else {
    const found = findAllowedProvider(ctx, allowed, cmd.provider);
    if (!found.ok) return errorReply(found.error);
    const p = found.value;
    lines = p.models.map((m) => modelLine(catalog, m, current.ref, ctx.services.clock()));
    what = p.id;
    const pin =
      current.pin && pinnedProvider(ctx, current.pin.profileId) === p.id
        ? `, pinned profile ${current.pin.profileId}`
        : "";
    frame = {
      header: (page, count) =>
        `${p.id} — ${plural(p.models.length, "model")}${pin}${count > 1 ? `, page ${page}/${count}` : ""}:`,
      footer: (page, count) =>
        [page < count ? `Next page: /models ${listArg(p.id)} ${page + 1}${limitArg}` : "", SWITCH_HINT]
          .filter(Boolean)
          .join("\n"),
    };
  }
  const page = paginate(lines, frame, { maxLength: ctx.capabilities.maxLength, limit, page: cmd.page ?? 1, what });
  if (!page.ok) return errorReply(page.error);
  return { text: page.value.text, page: { index: page.value.page - 1, count: page.value.count } };
}
