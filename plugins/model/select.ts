import type { CommandContext, Reply } from "../../src/gateway/types.js";
import type { AuthProfilesFile } from "../../src/auth/profiles.js";
import type { PinInput, Resolution } from "../../src/auth/resolver.js";
import { defaultProviderOf, resolveModelRef, type ResolvedModel } from "../../src/models/ref.js";
import { defaultProviderText } from "../../src/models/near-misses.js";
import { closestMatches } from "../../src/util/closest.js";
import { SECRET_IN_INPUT, userError, type Result, type UserError } from "../../src/util/user-error.js";
import { containsSecretShape } from "../../src/util/mask.js";
import { allowedFor, configuredRefs, notAllowedError } from "./allowed.js";
import {
  configuredFor,
  currentSelection,
  resolveCurrent,
  describeSource,
  timedText,
} from "../../src/gateway/selection.js";
import { currentRecord } from "../../src/sessions/inherit.js";
import { makeTimed } from "../../src/sessions/record.js";
import type { TimedSwitch } from "../../src/sessions/types.js";
import { errorReply } from "./format.js";
import { modelLabel } from "../../src/models/catalog.js";
import { credentialLabel } from "../../src/auth/resolver.js";
import type { DefaultCommand, SelectCommand } from "./grammar.js";
import { decideScope, scopeKey, writeDefaultModel, type ScopeDecision } from "./scope.js";
import { isRetired } from "../../src/models/retirement.js";
import { pinLabel, profileName, sharesDmSession } from "./rights.js";
import { maySeeCredentials } from "../../src/gateway/access.js";

/** How a selection arrived. */
export interface SelectOptions {
  /** Picker presses change this session only, whatever flags or config say. */
  readonly sessionOnly?: boolean;
}

/** A checked selection, ready to write. */
export interface SelectionPlan {
  readonly model: ResolvedModel;
  readonly scope: ScopeDecision;
  /** `--for`: how long the switch lasts, in ms. */
  readonly forMs?: number;
  /** The profile to pin: chosen now (`user`), kept from before, or none. */
  readonly pin?: PinInput;
  /** The pin this change drops, with why. */
  readonly dropped?: string;
}

// Telegram bot usernames end in "bot"; `/opus@MyBot` addresses the bot, not a profile.
const BOT_USERNAME = /^[A-Za-z0-9_]{1,64}bot$/i;
const NUMBER = /^\d+$/;

function profileIdsOf(file: AuthProfilesFile, provider: string): string[] {
  return Object.entries(file.profiles)
    .filter(([, p]) => p.provider === provider)
    .map(([id]) => id);
}

/**
 * Finds the profile a user named: an exact id, or a bare name meaning `<provider>:<name>`. Refuses
 * a profile of another provider (naming both) and an unknown one (with the closest ids). Undefined
 * when a glued `@name` is really a bot's username.
 */
export function findProfile(
  file: AuthProfilesFile,
  model: ResolvedModel,
  wanted: string,
  glued: boolean,
): Result<string | undefined> {
  // An exact id of the right provider wins; then `<provider>:<name>`; then an exact id of another provider (refused below).
  const prefixed = `${model.provider}:${wanted}`;
  const id =
    file.profiles[wanted]?.provider === model.provider
      ? wanted
      : file.profiles[prefixed]
        ? prefixed
        : file.profiles[wanted]
          ? wanted
          : undefined;
  if (id === undefined) {
    if (containsSecretShape(wanted)) return { ok: false, error: SECRET_IN_INPUT };
    if (glued && BOT_USERNAME.test(wanted)) return { ok: true, value: undefined };
    const own = profileIdsOf(file, model.provider);
    const near = closestMatches(wanted, [...own, ...Object.keys(file.profiles).filter((k) => !own.includes(k))]);
    const hint = near.length
      ? `Did you mean ${near.map((n) => `\`${n}\``).join(", ")}?`
      : own.length
        ? `${model.provider} profiles: ${own.join(", ")}.`
        : `There are no ${model.provider} profiles; add one with \`openclaw models auth paste-api-key --provider ${model.provider}\`.`;
    return {
      ok: false,
      error: userError(
        "unknown_profile",
        `Unknown profile "${wanted}".`,
        `${hint} Profile ids are exact; /model status lists them.`,
      ),
    };
  }
  const owner = file.profiles[id]?.provider ?? "";
  if (owner !== model.provider) {
    const own = profileIdsOf(file, model.provider);
    return {
      ok: false,
      error: userError(
        "profile_provider_mismatch",
        `Profile ${id} is for ${owner}, but ${model.ref} runs on ${model.provider}. Nothing was changed.`,
        own.length
          ? `Pin one of ${model.provider}'s profiles (${own.join(", ")}), or choose a model of ${owner}.`
          : `Choose a model of ${owner} to use ${id}.`,
      ),
    };
  }
  return { ok: true, value: id };
}

/** Checks a selection without changing anything: model, allowlist, who may do it, profile. */
export async function planSelection(
  ctx: CommandContext,
  cmd: SelectCommand,
  opts: SelectOptions = {},
): Promise<Result<SelectionPlan>> {
  const config = ctx.services.config().config;
  // A timed or one-shot model is this chat's matter only, whatever modelSelectionScope says.
  const sessionOnly = opts.sessionOnly === true || cmd.forMs !== undefined || cmd.once !== undefined;
  const scope = decideScope(ctx, config, cmd.scope, sessionOnly);
  if (!scope.ok) return scope;
  const plan = await planChecked(ctx, cmd, scope.value);
  if (!plan.ok || cmd.forMs === undefined) return plan;
  return { ok: true, value: { ...plan.value, forMs: cmd.forMs } };
}

/** {@link planSelection} once the scope is decided: the model, the allowlist, the profile. */
async function planChecked(
  ctx: CommandContext,
  cmd: SelectCommand,
  scope: ScopeDecision,
): Promise<Result<SelectionPlan>> {
  const { services, agentId } = ctx;
  const config = services.config().config;
  const catalog = services.catalog();
  const resolved = resolveModelRef(
    catalog,
    cmd.ref,
    configuredRefs(config, agentId),
    defaultProviderOf(catalog, configuredFor(config, catalog, agentId).ref),
  );
  if (!resolved.ok) {
    if (!NUMBER.test(cmd.ref)) return resolved;
    return {
      ok: false,
      error: userError(
        "unknown_model",
        `"${cmd.ref}" is not a model: numbers in lists are not shortcuts.`,
        "Write /model <alias or provider/model>, e.g. /model opus; /model shows the aliases.",
      ),
    };
  }
  const model = resolved.value;
  if (!allowedFor(config, catalog, agentId, model.ref))
    return { ok: false, error: notAllowedError(config, agentId, model.ref, model.provider) };

  if (cmd.profile !== undefined) {
    if (ctx.invocation.isGroup && !ctx.isOwner) {
      return {
        ok: false,
        error: userError(
          "owner_only",
          "Only an owner can pin a profile in a group. Nothing was changed.",
          "Choose the model without @profile, or pin it in a direct message with me.",
        ),
      };
    }
    // With dmScope "main" every direct message shares one session: a pin here pins it for everyone.
    if (!ctx.isOwner && sharesDmSession(ctx)) {
      return {
        ok: false,
        error: userError(
          "owner_only",
          'Direct messages share one session here (session.dmScope is "main"), so only an owner can pin a profile. Nothing was changed.',
          'Choose the model without @profile, or ask an owner to set session.dmScope to "per-channel-peer".',
        ),
      };
    }
    const found = findProfile(services.profiles.get(agentId), model, cmd.profile, cmd.glued ?? false);
    if (!found.ok) return found;
    if (found.value !== undefined)
      return { ok: true, value: { model, scope, pin: { profileId: found.value, source: "user" } } };
  }

  // No profile named: keep the session's pin when it serves the new model's provider.
  const current = await currentSelection(ctx);
  if (!current.pin) return { ok: true, value: { model, scope } };
  // A profile deleted since it was pinned is kept: the reply then shows the resolver's pin error.
  const pinProvider = pinnedProvider(ctx, current.pin.profileId);
  if (pinProvider === undefined || pinProvider === model.provider)
    return { ok: true, value: { model, scope, pin: current.pin } };
  return {
    ok: true,
    value: {
      model,
      scope,
      dropped: `Unpinned ${profileName(ctx, current.pin.profileId)}: it is for ${pinProvider}, not ${model.provider}.`,
    },
  };
}

/** The provider of a pinned profile, or undefined when the profile no longer exists. */
export function pinnedProvider(ctx: CommandContext, profileId: string): string | undefined {
  return ctx.services.profiles.get(ctx.agentId).profiles[profileId]?.provider;
}

/**
 * The "what happens next" lines: the credential the resolver will really use, or why none. Where
 * the caller may not see credentials, only whether the next request has one.
 */
export function nextLines(ctx: CommandContext, ref: string, resolution: Resolution, asked?: string): string[] {
  const out: string[] = [];
  const chosen = resolution.chosen;
  const label = modelLabel(ctx.services.catalog(), ref);
  if (!maySeeCredentials(ctx)) {
    if (chosen) out.push(`Next request: ${label}.`);
    else if (resolution.error)
      out.push("⚠ The next request will fail: no credential can serve it. An owner can see why with /model status.");
    return out;
  }
  if (chosen) {
    out.push(`Next request: ${label} with ${credentialLabel(chosen)}.`);
    if (asked !== undefined && chosen.id !== asked) out.push(`⚠ That is not ${asked}, the profile you asked for.`);
  } else if (resolution.error) {
    out.push(`⚠ The next request will fail: ${resolution.error.message}`);
    if (resolution.error.hint) out.push(resolution.error.hint);
  }
  return out;
}

/**
 * Notes about the model itself: not in the catalog, deprecated, or already retired. A retired
 * model is selected all the same (see the README: the catalog's dates can be out of date both
 * ways), but the warning says plainly that requests are expected to fail and what to do.
 */
function modelNotes(model: ResolvedModel, now: number): string[] {
  const out: string[] = [];
  if (model.withDefaultProvider) out.push(`Note: ${defaultProviderText(model)}.`);
  else if (!model.model)
    out.push(`Note: ${model.ref} is not in the catalog; it is used as typed (check the id if requests fail).`);
  const retires = model.model?.deprecated;
  if (retires === undefined) return out;
  if (isRetired(retires, now)) {
    out.push(
      `⛔ ${model.ref} was retired on ${retires}: ${model.provider} no longer serves it, so requests to it are expected to fail.`,
      `Pick a current model: /models ${model.provider}`,
    );
  } else out.push(`⚠ ${model.ref} is deprecated: ${model.provider} retires it on ${retires}.`);
  return out;
}

function setBy(ctx: CommandContext): string {
  return `${ctx.invocation.channel}:${ctx.invocation.sender.id}`;
}

/**
 * Writes a checked selection: the session first (so the reply never outruns it), then the
 * configured default for `-a`/`-g`. A failed config write does not undo the session change; the
 * reply says what happened. Returns the reply lines.
 */
export async function applySelection(ctx: CommandContext, plan: SelectionPlan): Promise<string[]> {
  const { services, agentId } = ctx;
  const { model, scope, pin } = plan;
  const now = services.clock();
  const timed = plan.forMs === undefined ? null : await timedSwitch(ctx, now + plan.forMs, now);
  await services.sessions.update(
    ctx.sessionKey,
    { model: model.ref, profileId: pin?.profileId ?? null, pinSource: pin?.source ?? null, setBy: setBy(ctx), timed },
    now,
  );
  const lines: string[] = [];
  const label = modelLabel(services.catalog(), model.ref);
  if (timed) {
    const sel = await currentSelection(ctx);
    lines.push(`Model for this chat: ${label}${sel.timed ? ` ${timedText(sel.timed)}` : ""}.`);
  } else if (scope.scope === "session") lines.push(`Model for this chat: ${label}.`);
  else {
    const key = scopeKey(scope.scope, agentId);
    try {
      await writeDefaultModel(services.config().path, services.stateDir, scope.scope, agentId, model.ref);
      const whose = scope.scope === "agent" ? `agent ${agentId}'s default` : "the global default";
      lines.push(`Model for this chat and ${whose}: ${label} (written to ${key}).`);
      const own = services.config().config.agents?.entries?.[agentId]?.model;
      if (scope.scope === "global" && own !== undefined)
        lines.push(
          `Note: agent ${agentId} has its own model in agents.entries.${agentId}.model, which still wins for its other chats.`,
        );
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      lines.push(`Model for this chat: ${label}.`, `⚠ ${key} was not changed: ${why}`);
    }
  }
  if (scope.note) lines.push(scope.note);
  if (plan.dropped) lines.push(plan.dropped);
  else if (pin)
    lines.push(
      `Pinned profile: ${pinLabel(ctx, pin.profileId)}${pin.source === "auto" ? " (kept by the gateway)" : ""}.`,
    );
  lines.push(...modelNotes(model, services.clock()));
  const resolution = resolveCurrent(ctx, { ref: model.ref, provider: model.provider, ...(pin ? { pin } : {}) });
  lines.push(...nextLines(ctx, model.ref, resolution, pin?.source === "user" ? pin.profileId : undefined));
  return lines;
}

/**
 * The timed switch a `--for` starts, ending at `until`: what the session has now comes back then. A
 * switch made during another keeps the first one's way back, so the chat still returns to its own
 * choice.
 */
async function timedSwitch(ctx: CommandContext, until: number, now: number): Promise<TimedSwitch> {
  const own = await currentRecord(ctx.services.sessions, ctx.sessionKey, now);
  const before = own?.timed ?? own;
  const userPin = own?.timed ? own.timed.profileId : own?.pinSource === "user" ? own.profileId : undefined;
  return makeTimed(until, before?.model, userPin, before?.setBy);
}

/** `/model <ref>[@profile] [flags]` and its alias and picker forms, as one reply. */
export async function selectModel(ctx: CommandContext, cmd: SelectCommand, opts: SelectOptions = {}): Promise<Reply> {
  const plan = await planSelection(ctx, cmd, opts);
  if (!plan.ok) return errorReply(plan.error);
  return { text: (await applySelection(ctx, plan.value)).join("\n") };
}

/** Why `/model default -a|-g` is refused: it would have to invent what the default becomes. */
const DEFAULT_SCOPE_ERROR: UserError = userError(
  "scope_unsupported",
  "/model default only clears this chat's choice; it does not change configured defaults. Nothing was changed.",
  "To change a default, choose a model with -a (agent) or -g (global), e.g. /model sonnet -g.",
);

/** Clears the session's model and pin (`/model default`, the picker's Reset). */
export async function clearSelection(ctx: CommandContext, cmd: DefaultCommand): Promise<Result<string[]>> {
  if (cmd.scope === "agent" || cmd.scope === "global") return { ok: false, error: DEFAULT_SCOPE_ERROR };
  const { services } = ctx;
  await services.sessions.update(
    ctx.sessionKey,
    { model: null, profileId: null, pinSource: null, setBy: setBy(ctx) },
    services.clock(),
  );
  const now = await currentSelection(ctx);
  const catalog = services.catalog();
  const lines = [`This chat now uses ${modelLabel(catalog, now.ref)}: ${describeSource(now, ctx.agentId)}.`];
  lines.push(
    now.pin ? `Pinned profile (from the parent chat): ${pinLabel(ctx, now.pin.profileId)}.` : "No profile pinned.",
  );
  lines.push(...nextLines(ctx, now.ref, resolveCurrent(ctx, now)));
  return { ok: true, value: lines };
}

/** `/model default` as one reply. */
export async function resetModel(ctx: CommandContext, cmd: DefaultCommand): Promise<Reply> {
  const r = await clearSelection(ctx, cmd);
  return r.ok ? { text: r.value.join("\n") } : errorReply(r.error);
}
