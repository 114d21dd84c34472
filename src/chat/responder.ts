import { errorMessage, type Log } from "../gateway/log.js";
import type { AnswerSink, ChatResponder, CommandContext, GatewayServices, Reply, TurnModel } from "../gateway/types.js";
import { autoPinStep } from "./auto-pin.js";
import { budgetStep } from "./budget.js";
import { callStep } from "./call.js";
import { cooldownStep } from "./cooldown.js";
import { credentialStep } from "./credential.js";
import { DEFAULT_CHAT_COMMANDS, type ChatCommands } from "./failure-text.js";
import { fallbackStep } from "./fallback.js";
import { footerStep } from "./footer.js";
import { GENERIC_FAILURE, guardStep } from "./guard.js";
import { ConversationHistory, historyStep } from "./history.js";
import { InFlight } from "./in-flight.js";
import { LedgerWriter, ledgerStep } from "./ledger.js";
import { startTurn } from "./model.js";
import { pipeline } from "./pipeline.js";
import { SessionQueue } from "./queue.js";
import type { Attempt, CallOutcome, ChatSettings, Turn, TurnOutcome } from "./turn.js";

/** Options of {@link createChatResponder}; every one has a default. */
export interface ChatOptions {
  /**
   * Per-call timeout in ms: for a whole answer when it is not streamed, else for each next piece.
   * Default 120,000.
   */
  readonly timeoutMs?: number;
  /** Most tokens an answer may take (also capped by the model's `maxTokens`). Default 4,096. */
  readonly maxAnswerTokens?: number;
  /** Most history kept and sent per session, in approximate tokens. Default 16,000. */
  readonly historyTokens?: number;
  /** Sessions whose history is kept in memory (LRU). Default 500. */
  readonly historySessions?: number;
  /** A system prompt sent with every call. Default none. */
  readonly systemPrompt?: string;
  /**
   * The command names the replies tell people to type, from the plugins' declarations. Default
   * the `/model` plugin's.
   */
  readonly commands?: ChatCommands;
}

/**
 * Answers plain messages with a model call (DESIGN sections 1 and 3), as a list of named steps,
 * each in its own file:
 *
 * - queue: one turn at a time per session;
 * - model: the session's model and pin (its own, completed by the parent chat's for threads and
 *   topics; else the agent's configured model), or a model for this message only (`--once`);
 * - then, per turn: footer (the chat's `/usage` footer under the reply), guard (a throw becomes a
 *   reply), in flight (for `/stop`), budget (a chat, agent or gateway limit reached refuses the
 *   turn before anything is sent; `warn` limits add a line), fallback (a configured model's
 *   fallbacks answer when it cannot), history (the conversation so far);
 * - credential: the resolver's credentials in order, each refreshed when due, until one answers
 *   (a credential past its profile's budget is passed over, or refuses the turn when pinned);
 * - then, per call: auto pin (an unpinned session keeps the profile that answered), cooldown
 *   (success or the cooldown a failure calls for, in the shared store), ledger (the call's tokens
 *   and cost, in the usage ledger and the metrics), and the call itself.
 *
 * With a sink the answer streams: a failure before the first piece may still fail over; one after
 * it ends the shown text with a note naming what cut it off, since sending the answer again from
 * another credential would show it twice. `stop(sessionKey)` aborts the answer in flight: what was
 * written stays, marked as stopped.
 *
 * Every log line is passed through the process-wide redactor, which knows every credential the
 * resolver handed out. Replies are not: the host masks every reply it hands a channel
 * (`masked` in gateway/host.ts), and doing it here too redacted each answer twice.
 */
export function createChatResponder(services: GatewayServices, log: Log, options: ChatOptions = {}): ChatResponder {
  const settings: ChatSettings = {
    timeoutMs: options.timeoutMs ?? 120_000,
    maxAnswerTokens: options.maxAnswerTokens ?? 4_096,
    systemPrompt: options.systemPrompt,
  };
  const history = new ConversationHistory({
    maxSessions: options.historySessions ?? 500,
    maxTokens: options.historyTokens ?? 16_000,
  });
  const queue = new SessionQueue();
  const inFlight = new InFlight();
  const model = { services, settings, commands: options.commands ?? DEFAULT_CHAT_COMMANDS, shutdown: inFlight.signal };
  const ledger = new LedgerWriter(services, log);
  const recording = () => services.config().config.usage?.ledger !== false;

  // One call with one credential; outermost first.
  const attempt = pipeline<Attempt, CallOutcome>(
    [autoPinStep(services, log), cooldownStep(services, log), ledgerStep(services, ledger, recording)],
    callStep(services, log, settings),
  );
  // One turn with its model (and again with each fallback model); outermost first.
  const turn = pipeline<Turn, TurnOutcome>(
    [
      footerStep(services, log, recording),
      guardStep(log),
      inFlight.step,
      budgetStep(services, log),
      fallbackStep(services, log, settings),
      historyStep(history),
    ],
    credentialStep(services, log, attempt),
  );
  const answer = async (
    ctx: CommandContext,
    text: string,
    sink: AnswerSink | undefined,
    once: TurnModel | undefined,
  ): Promise<string> => {
    const started = await startTurn(model, ctx, text, sink, once);
    return typeof started === "string" ? started : (await turn(started)).text;
  };

  return {
    async respond(ctx: CommandContext, text: string, sink?: AnswerSink, once?: TurnModel): Promise<Reply> {
      try {
        return { text: await queue.run(ctx.sessionKey, () => answer(ctx, text, sink, once)) };
      } catch (err) {
        // Reading the session or config failed, before any credential was looked at.
        log("error", `chat session=${ctx.sessionKey} failed: ${errorMessage(err)}`);
        return { text: GENERIC_FAILURE };
      }
    },
    async reset(sessionKey: string): Promise<void> {
      history.reset(sessionKey);
    },
    stop: (sessionKey) => inFlight.stop(sessionKey),
    close: () => {
      inFlight.close();
      ledger.close();
    },
  };
}
