import {
  hasProfileLimits,
  profileLimits,
  turnLimits,
  type BudgetLimit,
  type BudgetsConfig,
} from "../config/budgets.js";
import type { Log } from "../gateway/log.js";
import type { GatewayServices } from "../gateway/types.js";
import { isReached, limitUse, type LimitUse } from "../sessions/budget-use.js";
import { budgetLine, budgetRefusalText, budgetWarningText, unpricedRefusalText, type WarnMark } from "./budget-text.js";
import type { Step } from "./pipeline.js";
import { said, type ProfileBudget, type Turn, type TurnOutcome } from "./turn.js";

/** The mark a spend has reached on a `warn` limit, if any. */
function markOf(use: LimitUse): WarnMark | undefined {
  if (use.spentUsd >= use.limit.usd) return 100;
  return use.spentUsd >= use.limit.usd * 0.8 ? 80 : undefined;
}

/**
 * One turn's budget checks against the shared ledger, at the turn's start time: the first `refuse`
 * limit reached, and the warning lines of `warn` limits, each shown once per period and mark by
 * whichever instance claims it first. A profile is looked up once per turn, however often it is
 * offered.
 */
class TurnBudget implements ProfileBudget {
  private readonly lines: string[] = [];
  private readonly profiles = new Map<string, Promise<LimitUse | undefined>>();

  constructor(
    private readonly services: GatewayServices,
    private readonly budgets: BudgetsConfig,
    private readonly now: number,
  ) {}

  /** The first `refuse` limit of `limits` that is reached; queries them all at once, one each. */
  async check(limits: readonly BudgetLimit[]): Promise<LimitUse | undefined> {
    if (limits.length === 0) return undefined;
    const ledger = this.services.sessions.ledger;
    const uses = await Promise.all(limits.map((l) => limitUse(ledger, l, this.now)));
    const refused = uses.find((u) => u.limit.action === "refuse" && isReached(u));
    if (refused) return refused;
    for (const use of uses) if (use.limit.action === "warn") await this.warn(use);
    return undefined;
  }

  reached(profileId: string): Promise<LimitUse | undefined> {
    let found = this.profiles.get(profileId);
    if (found === undefined) {
      found = this.check(profileLimits(this.budgets, profileId));
      this.profiles.set(profileId, found);
    }
    return found;
  }

  /** `out` with the warning lines under it (not remembered: the history keeps the model's words). */
  annotate(out: TurnOutcome): TurnOutcome {
    if (this.lines.length === 0) return out;
    return { ...out, text: `${out.text}\n\n${this.lines.join("\n")}` };
  }

  private async warn(use: LimitUse): Promise<void> {
    const mark = markOf(use);
    if (mark === undefined) return;
    const { limit, period } = use;
    const claim = `budget-warn:${limit.key}:${limit.subject ?? ""}:${period.from}:${mark}`;
    // The claim lapses with the period; the next period's key differs anyway.
    if (await this.services.sessions.claimOnce(claim, Math.max(1, period.to - this.now)))
      this.lines.push(budgetWarningText(use, mark));
  }
}

/**
 * The budget step (issue #30): before anything is sent, the turn's chat, agent and gateway limits
 * are read from the shared ledger; a `refuse` limit reached ends the turn with a reply that says
 * which, what was spent, when it resets and who may raise it. Profile limits are decided per
 * credential by the credential step, through the turn's {@link ProfileBudget}. `warn` limits add
 * their lines to the reply. Without a `budgets` section it does nothing at all.
 */
export function budgetStep(services: GatewayServices, log: Log): Step<Turn, TurnOutcome> {
  return async (turn, next) => {
    const budgets = services.config().config.budgets;
    if (budgets === undefined) return next(turn);
    const { ctx } = turn;
    const budget = new TurnBudget(services, budgets, turn.facts.now);
    const limits = turnLimits(budgets, { sessionKey: ctx.sessionKey, agentId: ctx.agentId, chat: ctx.invocation });
    const uncountable = turn.model.model?.cost === undefined ? limits.find((l) => l.action === "refuse") : undefined;
    if (uncountable) {
      log("info", `chat session=${ctx.sessionKey} budget=${uncountable.key} model=${turn.model.ref} unpriced refused`);
      return said(unpricedRefusalText(uncountable, turn.model.ref, turn.provider.id, turn.facts.commands.model));
    }
    const refused = await budget.check(limits);
    if (refused) {
      log("info", budgetLine(ctx.sessionKey, refused, "refused"));
      return said(budgetRefusalText(refused));
    }
    const out = await next(hasProfileLimits(budgets) ? { ...turn, profileBudget: budget } : turn);
    return budget.annotate(out);
  };
}
