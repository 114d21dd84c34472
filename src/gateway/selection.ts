import type { CommandContext, TurnModel } from "./types.js";
import type { OpenClawConfig } from "../config/schema.js";
import type { Catalog } from "../models/catalog.js";
import type { PinInput, Resolution, ResolveRequest } from "../auth/resolver.js";
import { effectiveSession, type EffectiveSession } from "../sessions/inherit.js";
import { configuredModel } from "../config/agents.js";
import { modelLabel } from "../models/catalog.js";
import { providerOf } from "../models/ref.js";
import { spanText, utcTimeText } from "../util/duration.js";
import { channelModel } from "./channel-model.js";

/** Where the model in use comes from; `once` is a model for one message only (`/model x --once …`). */
export type ModelSource = "session" | "parent" | "channel" | "agent" | "defaults" | "builtin" | "once";

/** A timed switch in force (`/model x --for 2h`), as people read it. */
export interface TimedSelection {
  /** Epoch ms when it ends. */
  readonly until: number;
  /** How long it still lasts, from when the selection was read. */
  readonly left: number;
  /** The model's label the chat returns to, naming the default as such. */
  readonly after: string;
}

/** The model a chat uses when it chose none: its channel's, else its agent's. */
export interface ConfiguredModel {
  readonly ref: string;
  readonly source: "channel" | "agent" | "defaults" | "builtin";
  /** For `channel`: the `channels.modelByChannel` key that set it. */
  readonly key?: string;
}

/** What a session uses now: its model (and where that comes from) and its pin. */
export interface CurrentSelection {
  readonly ref: string;
  readonly provider: string;
  readonly source: ModelSource;
  readonly configured: ConfiguredModel;
  /** The session's fields, completed by its parent's for a thread. */
  readonly record?: EffectiveSession;
  readonly pin?: PinInput;
  /** Set while a timed switch gives the model. */
  readonly timed?: TimedSelection;
}

/** The configured model of an agent and which key gives it. */
export function configuredFor(
  config: OpenClawConfig,
  catalog: Catalog,
  agentId: string,
): ConfiguredModel & { source: "agent" | "defaults" | "builtin" } {
  const own = configuredModel({ agents: { entries: config.agents?.entries, list: config.agents?.list } }, agentId);
  if (own !== undefined) return { ref: own, source: "agent" };
  const defaults = configuredModel(config, agentId);
  if (defaults !== undefined) return { ref: defaults, source: "defaults" };
  return { ref: catalog.defaultModel, source: "builtin" };
}

/**
 * The session's current model and pin, with a thread or topic inheriting its parent chat's
 * fields it does not set itself ({@link effectiveSession}). An inherited pin that cannot serve the
 * thread's own provider is not applied: the thread chose another provider, and the store has no
 * way to record "no pin here" (see the plugin README). A timed switch that has ended is undone as
 * it is read. With `once` (a model for this message only) that model and pin are the selection,
 * and the session's own is left as it is.
 */
export async function currentSelection(ctx: CommandContext, once?: TurnModel): Promise<CurrentSelection> {
  const { services, sessionKey, parentSessionKey, agentId } = ctx;
  const config = services.config().config;
  const catalog = services.catalog();
  const byChannel = channelModel(config, ctx.invocation);
  const configured: ConfiguredModel = byChannel
    ? { ref: catalog.aliases.get(byChannel.ref.toLowerCase()) ?? byChannel.ref, source: "channel", key: byChannel.key }
    : configuredFor(config, catalog, agentId);
  if (once) {
    const selection: { -readonly [K in keyof CurrentSelection]: CurrentSelection[K] } = {
      ref: once.ref,
      provider: providerOf(once.ref),
      source: "once",
      configured,
    };
    if (once.pin) selection.pin = once.pin;
    return selection;
  }
  const now = services.clock();
  const record = await effectiveSession(services.sessions, sessionKey, parentSessionKey, now);
  const ref = record?.model ?? configured.ref;
  const provider = providerOf(ref);
  const source: ModelSource =
    record?.model === undefined ? configured.source : record.modelFrom === sessionKey ? "session" : "parent";
  let pin: PinInput | undefined =
    record?.profileId !== undefined ? { profileId: record.profileId, source: record.pinSource ?? "user" } : undefined;
  if (pin && record?.profileFrom !== sessionKey) {
    const r = services.resolver().resolve({ agentId, provider, model: ref, pin });
    if (r.error?.code === "pin_provider_mismatch") pin = undefined;
  }
  // Assigned, not spread conditionally: V8 builds `...(x ? { a } : {})` far slower, per command.
  const selection: { -readonly [K in keyof CurrentSelection]: CurrentSelection[K] } = {
    ref,
    provider,
    source,
    configured,
  };
  if (record) selection.record = record;
  if (pin) selection.pin = pin;
  if (record?.timed) {
    const after = record.modelAfter;
    selection.timed = {
      until: record.timed.until,
      left: record.timed.until - now,
      after: after === undefined ? `the default, ${modelLabel(catalog, configured.ref)}` : modelLabel(catalog, after),
    };
  }
  return selection;
}

/**
 * True when someone chose this selection (`/model x` in this chat or its parent, or a profile pin
 * they typed): such a model is strict and never falls back to another one (OpenClaw's rule).
 * A one-shot model (`--once`) counts as chosen too.
 */
export function chosenByUser(sel: Pick<CurrentSelection, "source" | "pin">): boolean {
  return sel.source === "session" || sel.source === "parent" || sel.source === "once" || sel.pin?.source === "user";
}

/** Asks the one resolver what the next request of this selection would use. */
export function resolveCurrent(
  ctx: CommandContext,
  sel: Pick<CurrentSelection, "ref" | "provider" | "pin">,
): Resolution {
  const request: { -readonly [K in keyof ResolveRequest]: ResolveRequest[K] } = {
    agentId: ctx.agentId,
    provider: sel.provider,
    model: sel.ref,
  };
  if (sel.pin) request.pin = sel.pin;
  return ctx.services.resolver().resolve(request);
}

/** `until 15:30 UTC (1h 20m left), then back to …`: how a timed switch reads. */
export function timedText(timed: TimedSelection): string {
  return `until ${utcTimeText(timed.until, timed.until - timed.left)} (${spanText(timed.left)} left), then back to ${timed.after}`;
}

/** A short phrase for where a model comes from, with the time left of a timed switch. */
export function describeSource(sel: CurrentSelection, agentId: string): string {
  const until = sel.timed ? ` ${timedText(sel.timed)}` : "";
  switch (sel.source) {
    case "session":
      return `${sel.record?.setBy ? `chosen for this chat by ${sel.record.setBy}` : "chosen for this chat"}${until}`;
    case "parent":
      return `inherited from the parent chat${until}`;
    case "once":
      return "for this message only";
    case "channel":
      return `set for this chat by ${sel.configured.key ?? "channels.modelByChannel"}`;
    case "agent":
      return `agent ${agentId}'s default`;
    case "defaults":
      return "the default (agents.defaults.model)";
    case "builtin":
      return "the built-in default";
  }
}
