import * as z from "zod/mini";
import "../util/zod-messages.js";
import type { PeriodKind } from "../util/utc-period.js";
import { byChannelEntry, type ChatAddress } from "./by-channel.js";

// Strict objects: every key here is ours, so a misspelt one (`dialy`) is an error that names it,
// never a limit silently not enforced.

const limit = z.strictObject({
  usd: z.number().check(z.positive({ message: "expected a limit in USD above 0" })),
  action: z.enum(["refuse", "warn"], { message: 'expected "refuse" or "warn"' }),
});
const limits = z.strictObject({ daily: z.optional(limit), monthly: z.optional(limit) });

/**
 * `budgets` in `model-gateway.json`: limits in USD per UTC day or month for the whole gateway, an
 * agent, a credential profile, and every chat alike (`chats.default`) with overrides for named
 * chats in the key forms of OpenClaw's `channels.modelByChannel` (`chats.byChannel`).
 */
export const budgetsSection = z.strictObject({
  gateway: z.optional(limits),
  agents: z.optional(z.record(z.string(), limits)),
  profiles: z.optional(z.record(z.string(), limits)),
  chats: z.optional(
    z.strictObject({
      default: z.optional(limits),
      byChannel: z.optional(z.record(z.string(), z.record(z.string(), limits))),
    }),
  ),
  fallbacks: z.optional(z.strictObject({ allowPricier: z.optional(z.boolean()) })),
});

/** The `budgets` section as validated. */
export type BudgetsConfig = z.infer<typeof budgetsSection>;
/** The limits of one subject: `{ daily?, monthly? }`. */
export type BudgetLimits = z.infer<typeof limits>;
/** What happens at a limit: the turn is refused, or a line warns (at 80% and at 100%). */
export type BudgetAction = z.infer<typeof limit>["action"];

/** Whom a limit is about. */
export type BudgetScope = "chat" | "agent" | "profile" | "gateway";

/** One limit that applies, with everything a check, a reply and `doctor` say about it. */
export interface BudgetLimit {
  readonly scope: BudgetScope;
  /**
   * The chat's session key, the agent id or the profile id; absent for the gateway. A chat limit
   * counts that session's spend only: each chat (a topic or thread too) has its own.
   */
  readonly subject?: string | undefined;
  readonly period: PeriodKind;
  readonly usd: number;
  readonly action: BudgetAction;
  /** Where it is set: `budgets.chats.byChannel.telegram["-100123"].daily`. */
  readonly key: string;
}

const PERIODS: readonly PeriodKind[] = ["daily", "monthly"];

/** A key path step as people write it: `.main` for a plain name, `["anthropic:work"]` otherwise. */
export function keyStep(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** The limits `set` holds, as {@link BudgetLimit}s under `key`. */
export function limitsOf(
  set: BudgetLimits | undefined,
  scope: BudgetScope,
  subject: string | undefined,
  key: string,
): BudgetLimit[] {
  if (set === undefined) return [];
  const out: BudgetLimit[] = [];
  for (const period of PERIODS) {
    const l = set[period];
    if (l) out.push({ scope, subject, period, usd: l.usd, action: l.action, key: `${key}.${period}` });
  }
  return out;
}

/**
 * The limits of the chat `chat` (session `sessionKey`): its `chats.byChannel` entry when it has one
 * (which replaces the default whole), else `chats.default`.
 */
export function chatLimits(budgets: BudgetsConfig, sessionKey: string, chat: ChatAddress): BudgetLimit[] {
  const named = byChannelEntry(budgets.chats?.byChannel, chat);
  if (named) return limitsOf(named.value, "chat", sessionKey, `budgets.chats.byChannel.${named.key}`);
  return limitsOf(budgets.chats?.default, "chat", sessionKey, "budgets.chats.default");
}

/** What a turn is: its chat, its session and its agent. */
export interface TurnSubject {
  readonly sessionKey: string;
  readonly agentId: string;
  readonly chat: ChatAddress;
}

/** The limits that decide at a turn's start: its chat's, its agent's and the gateway's. */
export function turnLimits(budgets: BudgetsConfig, turn: TurnSubject): BudgetLimit[] {
  return [
    ...chatLimits(budgets, turn.sessionKey, turn.chat),
    ...limitsOf(budgets.agents?.[turn.agentId], "agent", turn.agentId, `budgets.agents${keyStep(turn.agentId)}`),
    ...limitsOf(budgets.gateway, "gateway", undefined, "budgets.gateway"),
  ];
}

/** The limits of one credential profile, decided each time it is about to be used. */
export function profileLimits(budgets: BudgetsConfig, profileId: string): BudgetLimit[] {
  return limitsOf(budgets.profiles?.[profileId], "profile", profileId, `budgets.profiles${keyStep(profileId)}`);
}

/** True when any profile has a limit: the credential step asks only then. */
export function hasProfileLimits(budgets: BudgetsConfig): boolean {
  return Object.keys(budgets.profiles ?? {}).length > 0;
}
