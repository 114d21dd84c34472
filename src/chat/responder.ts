import type { Candidate, PinInput, Resolution, ResolveRequest } from "../auth/resolver.js";
import type { CooldownEntry, FailureInput } from "../auth/cooldowns.js";
import { redactText } from "../auth/redact.js";
import { errorMessage, type Log } from "../gateway/log.js";
import type { AnswerSink, ChatResponder, CommandContext, GatewayServices, Reply } from "../gateway/types.js";
import type { CatalogProvider } from "../models/catalog.js";
import { resolveModelRef, type ResolvedModel } from "../models/ref.js";
import { chosenByUser, currentSelection } from "../gateway/selection.js";
import { fallbackChain } from "../models/fallbacks.js";
import { extraBodyOf, modelParams } from "../config/model-params.js";
import { callProvider, providerModelId, type ModelRequest } from "../providers/call.js";
import { classifyError, type Classification } from "../providers/classify.js";
import {
  configFailureText,
  cutOffText,
  exhaustedText,
  pinnedFailureText,
  requestFailureText,
  transientText,
  type FailedAttempt,
  type TurnFacts,
} from "./failure-text.js";
import { afterFailure } from "./fallback-turn.js";
import { reasonWithoutCall } from "../auth/unusable-text.js";
import { failureClause, reasonAfterCalls, refused, unavailable, type TurnFailure } from "./fallback-text.js";
import { ConversationHistory, historyBudget } from "./history.js";
import type { ChatMessage, CompletionResult } from "../providers/types.js";
import { UserFacingError, userErrorLine } from "../util/user-error.js";
import { SHUTDOWN_NOTE, STOP_ACTIONS, STOPPED_NOTE } from "./stop.js";
import { needsRefresh, type RefreshFailure } from "../auth/oauth-refresh.js";

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
}

const GENERIC_FAILURE = "Something went wrong while asking the model; it has been logged. Please try again.";
const EMPTY_ANSWER = "(The model returned no text.)";
const CUT_OFF = new Set(["max_tokens", "length"]);
const TRANSIENT: ReadonlySet<Classification["kind"]> = new Set(["overloaded", "timeout"]);

/** How one call ended; `partial` is the text already streamed when it failed. */
type CallOutcome = { ok: true; result: CompletionResult } | { ok: false; failure: Classification; partial: string };

/** Everything a turn decided before its first call. */
/** Built field by field: V8 builds `...(x ? { a } : {})` far slower than an assignment. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Turn {
  readonly ctx: CommandContext;
  readonly text: string;
  readonly model: ResolvedModel;
  readonly provider: CatalogProvider;
  readonly pin?: PinInput | undefined;
  readonly answerTokens: number;
  readonly facts: TurnFacts;
  /** A fallback model's turn: it leaves the session's pin alone. */
  readonly fallback?: boolean;
  /** Where the answer is shown while it is written, when the channel streams. */
  readonly sink?: AnswerSink | undefined;
  /** Aborted by `/stop` for this turn only (close() aborts every turn through its own signal). */
  readonly stop: AbortController;
}

/**
 * Answers plain messages with a model call (DESIGN sections 1 and 3): session record (its own,
 * completed by the parent chat's for threads and topics) → model (session override, agent config, catalog default)
 * → the resolver's credential → provider client → reply.
 *
 * On failure the credential's cooldown is recorded in the shared store (auth, billing and
 * incompatible per profile; rate limits per profile and model, honouring `retry-after`) and an
 * unpinned session moves on to the next candidate, each at most once per turn. Overloaded and
 * timed-out calls cool nothing and get one more try on another credential at most. A session a
 * user pinned never switches credentials: the reply names the profile and how to unpin.
 *
 * With a sink the answer streams: a failure before the first piece may still fail over as above;
 * one after it ends the shown text with a note naming what cut it off (and records the cooldown),
 * since sending the answer again from another credential would show it twice. `stop(sessionKey)`
 * aborts the answer in flight: what was written stays, marked as stopped.
 *
 * Every log line is passed through the process-wide redactor, which knows every credential the
 * resolver handed out. Replies are not: the host masks every reply it hands a channel
 * (`masked` in gateway/host.ts), and doing it here too redacted each answer twice.
 */
export function createChatResponder(services: GatewayServices, log: Log, options: ChatOptions = {}): ChatResponder {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const maxAnswerTokens = options.maxAnswerTokens ?? 4_096;
  const history = new ConversationHistory({
    maxSessions: options.historySessions ?? 500,
    maxTokens: options.historyTokens ?? 16_000,
  });
  // One turn at a time per session, so history stays in order when messages arrive together.
  const queues = new Map<string, Promise<unknown>>();

  const serial = <T>(key: string, fn: () => Promise<T>): Promise<T> => {
    const prev = queues.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    const tail = run.catch(() => undefined);
    queues.set(key, tail);
    void tail.then(() => {
      if (queues.get(key) === tail) queues.delete(key);
    });
    return run;
  };

  const logCall = (turn: Turn, c: Candidate, outcome: CallOutcome, latencyMs: number): void => {
    const head = `chat session=${turn.ctx.sessionKey} provider=${turn.provider.id} model=${turn.model.ref} credential=${c.id}`;
    let line: string;
    if (outcome.ok) {
      const usage =
        outcome.result.outputTokens !== undefined
          ? ` tokens=${outcome.result.inputTokens ?? "?"}/${outcome.result.outputTokens}`
          : "";
      line = `${head} status=ok latency=${latencyMs}ms${usage}`;
    } else {
      const f = outcome.failure;
      const http = f.status !== undefined ? ` http=${f.status}` : "";
      const after = f.retryAfterMs !== undefined ? ` retryAfter=${f.retryAfterMs}ms` : "";
      const detail = f.detail ? ` detail=${JSON.stringify(f.detail.slice(0, 300))}` : "";
      line = `${head} status=${f.kind} reason=${f.reasonCode}${http}${after} latency=${latencyMs}ms${detail}`;
    }
    log(outcome.ok ? "info" : "warn", redactText(line));
  };

  // Aborted by close(): a shutdown does not wait out a slow provider.
  const shutdown = new AbortController();
  // The turn in flight per session, for /stop.
  const running = new Map<string, AbortController>();

  const call = async (turn: Turn, c: Candidate, messages: readonly ChatMessage[]): Promise<CallOutcome> => {
    const started = performance.now();
    let outcome: CallOutcome;
    let partial = "";
    const sink = turn.sink;
    const onText = sink
      ? (delta: string) => {
          partial += delta;
          sink.update(partial, STOP_ACTIONS);
        }
      : undefined;
    try {
      const request: Mutable<ModelRequest> = {
        model: providerModelId(turn.model.ref),
        messages,
        maxTokens: turn.answerTokens,
        timeoutMs,
        signal: AbortSignal.any([shutdown.signal, turn.stop.signal]),
      };
      if (options.systemPrompt !== undefined) request.system = options.systemPrompt;
      if (onText) request.onText = onText;
      const params = modelParams(services.config().config, turn.ctx.agentId, turn.model.ref);
      if (params.temperature !== undefined && turn.provider.api === "openai-completions")
        request.temperature = params.temperature;
      const extraBody = turn.provider.api === "openai-completions" ? extraBodyOf(params) : undefined;
      if (extraBody) request.extraBody = extraBody;
      const headers = services.resolver().headersFor(turn.provider.id);
      if (Object.keys(headers).length > 0) request.headers = headers;
      const result = await callProvider(turn.provider, { secret: c.secret, type: c.type }, request);
      outcome = { ok: true, result };
    } catch (err) {
      outcome = { ok: false, failure: classifyError(err, services.clock()), partial };
    }
    const elapsed = performance.now() - started;
    logCall(turn, c, outcome, Math.round(elapsed));
    services.observer?.modelRequest(turn.provider.id, outcome.ok ? "ok" : outcome.failure.kind, elapsed / 1000);
    return outcome;
  };

  /** Records the cooldown a failure calls for; none for overloaded, timeout, format or unknown. */
  const recordCooldown = async (turn: Turn, c: Candidate, f: Classification): Promise<CooldownEntry | undefined> => {
    const now = services.clock();
    let input: FailureInput | undefined;
    if (f.kind === "auth" || f.kind === "billing" || f.kind === "incompatible") input = { reason: f.kind, now };
    else if (f.kind === "rate_limit")
      input = {
        reason: "rate_limit",
        model: turn.model.ref,
        now,
        ...(f.retryAfterMs !== undefined ? { retryAfterMs: f.retryAfterMs } : {}),
      };
    if (!input) return undefined;
    try {
      return await services.sessions.cooldowns.recordFailure(c.id, input);
    } catch (err) {
      log("error", redactText(`chat: could not record the cooldown of ${c.id}: ${errorMessage(err)}`));
      return undefined;
    }
  };

  const resolve = (turn: Turn, pin: PinInput | undefined): Resolution => {
    const request: Mutable<ResolveRequest> = {
      agentId: turn.ctx.agentId,
      provider: turn.provider.id,
      model: turn.model.ref,
    };
    if (pin) request.pin = pin;
    return services.resolver().resolve(request);
  };

  // Keeps an unpinned session on the profile that just answered (an `auto` pin), so the provider's
  // prompt cache stays warm instead of least-recently-used order switching credentials every turn.
  // `/new` and auth order changes drop auto pins; user pins are never touched here.
  const rememberAutoPin = async (turn: Turn, used: Candidate): Promise<void> => {
    if (turn.fallback || used.kind !== "profile" || turn.pin?.source === "user" || turn.pin?.profileId === used.id)
      return;
    try {
      await services.sessions.update(
        turn.ctx.sessionKey,
        { profileId: used.id, pinSource: "auto", setBy: "gateway", onlyIfProfileId: turn.pin?.profileId ?? null },
        services.clock(),
      );
    } catch (err) {
      log("warn", `chat: could not remember ${used.id} for ${turn.ctx.sessionKey}: ${errorMessage(err)}`);
    }
  };

  /** The candidate with a fresh access token (an OAuth profile expiring within 5 minutes is refreshed first). */
  const freshen = async (turn: Turn, c: Candidate): Promise<Candidate | RefreshFailure> => {
    const refresher = services.refresher;
    if (!refresher || c.kind !== "profile" || !needsRefresh(c, services.clock())) return c;
    const fresh = await refresher.ensureFresh({ agentId: turn.ctx.agentId, provider: c.provider, profileId: c.id });
    if (!fresh.ok) {
      const f = fresh.failure;
      log("warn", redactText(`chat: refresh of ${c.id} failed: ${f.code}: ${f.message}`));
      return f;
    }
    if (fresh.refreshed) log("info", `chat: refreshed the OAuth profile ${c.id}`);
    return { ...c, secret: fresh.secret, expires: fresh.expires, health: "ok" };
  };

  // A string is the answer; a failure says whether a configured model may fall back (issue 17).
  const answer = async (turn: Turn): Promise<string | TurnFailure> => {
    const strict = turn.pin?.source === "user";
    const messages = history.prompt(
      turn.ctx.sessionKey,
      turn.text,
      historyBudget(turn.model.model, turn.answerTokens, history.maxTokens),
    );
    const tried = new Set<string>();
    const failed: FailedAttempt[] = [];
    const refreshFailures: RefreshFailure[] = [];
    let transientRetried = false;
    // An `auto` pin is a preference for the first call only; after a failure the normal order applies.
    let pin = turn.pin;
    for (;;) {
      const res = resolve(turn, pin);
      const next =
        res.chosen && !tried.has(res.chosen.id) ? res.chosen : res.candidates.find((c) => c.usable && !tried.has(c.id));
      if (!next) {
        const refreshText = refreshFailures.map(userErrorLine).join("\n");
        if (failed.length === 0 && refreshText !== "")
          return (strict ? refused : unavailable)(refreshText, "its OAuth token could not be refreshed");
        if (failed.length === 0) {
          const e = res.error;
          const text = e ? userErrorLine(e) : `No usable credential for ${turn.provider.id}.`;
          // A user pin that cannot serve: its error already says how to unpin.
          return (strict ? refused : unavailable)(text, reasonWithoutCall(res, services.clock()));
        }
        const facts = { ...turn.facts, now: services.clock() };
        const last = failed[failed.length - 1];
        const text =
          last && failed.every((a) => TRANSIENT.has(a.failure.kind))
            ? transientText(last, facts)
            : exhaustedText(failed, facts);
        return unavailable(refreshText === "" ? text : `${text}\n${refreshText}`, reasonAfterCalls(failed, facts));
      }
      tried.add(next.id);
      const ready = await freshen(turn, next);
      if (!("secret" in ready)) {
        if (strict)
          return refused(
            `${userErrorLine(ready)} (This session is pinned to ${next.id}, so no other credential is tried; /model default unpins.)`,
            "its OAuth token could not be refreshed",
          );
        refreshFailures.push(ready);
        pin = undefined;
        continue;
      }
      const outcome = await call(turn, ready, messages);
      if (outcome.ok) {
        try {
          await services.sessions.cooldowns.recordSuccess(next.id, turn.model.ref, services.clock());
        } catch (err) {
          log("error", redactText(`chat: could not record the success of ${next.id}: ${errorMessage(err)}`));
        }
        await rememberAutoPin(turn, next);
        const { text, stopReason } = outcome.result;
        if (text !== "") history.append(turn.ctx.sessionKey, turn.text, text);
        const body = text === "" ? EMPTY_ANSWER : text;
        return stopReason !== undefined && CUT_OFF.has(stopReason)
          ? `${body}\n\n[the answer was cut off at ${turn.answerTokens} tokens]`
          : body;
      }
      // A stopped answer keeps what was written; the credential did nothing wrong.
      if (shutdown.signal.aborted)
        return outcome.partial === "" ? SHUTDOWN_NOTE : `${outcome.partial}\n\n${SHUTDOWN_NOTE}`;
      if (turn.stop.signal.aborted)
        return outcome.partial === "" ? STOPPED_NOTE.trim() : `${outcome.partial}${STOPPED_NOTE}`;
      const attempt: FailedAttempt = { candidate: next, failure: outcome.failure };
      const cooldown = await recordCooldown(turn, next, outcome.failure);
      const done: FailedAttempt = cooldown ? { ...attempt, cooldown } : attempt;
      failed.push(done);
      const facts = { ...turn.facts, now: services.clock() };
      // Part of the answer is already shown: another credential would start it over.
      if (outcome.partial !== "") return `${outcome.partial}${cutOffText(done, facts)}`;
      // A host that does not resolve fails every credential alike: the config is to fix, pinned or not.
      if (outcome.failure.kind === "config")
        return (strict ? refused : unavailable)(configFailureText(done, facts), failureClause(done, facts));
      if (strict) return refused(pinnedFailureText(done, facts), failureClause(done, facts));
      const kind = outcome.failure.kind;
      if (kind === "format" || kind === "unknown") {
        const text = requestFailureText(done, facts);
        // A model the provider does not serve: another model may answer.
        return outcome.failure.reasonCode === "not_found"
          ? unavailable(text, reasonAfterCalls([done], facts))
          : refused(text, failureClause(done, facts));
      }
      if (TRANSIENT.has(kind)) {
        // The provider's trouble, not the credential's: one more try elsewhere at most.
        if (transientRetried) return unavailable(transientText(done, facts), reasonAfterCalls(failed, facts));
        transientRetried = true;
      }
      pin = undefined;
    }
  };

  // `params.maxTokens` is the user's explicit limit; without it, the model's cap within ours.
  const answerTokensFor = (model: ResolvedModel, agentId: string): number =>
    modelParams(services.config().config, agentId, model.ref).maxTokens ??
    Math.max(1, Math.min(maxAnswerTokens, model.model?.maxTokens ?? maxAnswerTokens));

  // Model fallbacks (issue 17): the same message on a fallback model, for this turn only.
  const askFallback = async (t: Turn, model: ResolvedModel): Promise<string | TurnFailure> => {
    const provider = services.catalog().providers.get(model.provider);
    if (!provider) return unavailable("", `${model.provider} is not a known provider`);
    return answer({
      ctx: t.ctx,
      text: t.text,
      model,
      provider,
      answerTokens: answerTokensFor(model, t.ctx.agentId),
      facts: { ...t.facts, provider: provider.id, providerName: provider.name, model: model.ref },
      sink: t.sink,
      stop: t.stop,
      fallback: true,
    });
  };

  const turn = async (ctx: CommandContext, text: string, sink: AnswerSink | undefined): Promise<string> => {
    const catalog = services.catalog();
    // The same model and pin /model shows: a thread inherits its parent chat's, unless an
    // inherited pin cannot serve the thread's own provider.
    const current = await currentSelection(ctx);
    const resolved = resolveModelRef(catalog, current.ref);
    if (!resolved.ok) {
      const e = resolved.error;
      return `${e.message}${e.hint ? ` ${e.hint}` : ""}`;
    }
    const provider = catalog.providers.get(resolved.value.provider);
    if (!provider)
      return `Unknown provider "${resolved.value.provider}" for ${resolved.value.ref}. Use /model list to pick a model.`;
    const pin = current.pin;
    const answerTokens = answerTokensFor(resolved.value, ctx.agentId);
    const t: Turn = {
      ctx,
      text,
      model: resolved.value,
      provider,
      pin,
      answerTokens,
      sink,
      stop: new AbortController(),
      facts: {
        provider: provider.id,
        providerName: provider.name,
        model: resolved.value.ref,
        now: services.clock(),
        timeoutMs,
        showMasked: ctx.isOwner || !ctx.invocation.isGroup,
      },
    };
    running.set(ctx.sessionKey, t.stop);
    try {
      const out = await answer(t);
      if (typeof out === "string") return out;
      // Model fallbacks (issue 17): every credential of this model is unusable or its provider is
      // down. A configured model tries its fallbacks; a model the user chose says how to go back.
      const plan = {
        primary: resolved.value.ref,
        userChose: chosenByUser(current),
        configured: current.configured.ref,
        chain: fallbackChain(services.config().config, catalog, ctx.agentId, current.configured.ref),
      };
      const reply = await afterFailure(
        out,
        plan,
        (model) => askFallback(t, model),
        (from, to, reason) =>
          log("info", redactText(`chat session=${ctx.sessionKey} fallback from=${from} to=${to} reason="${reason}"`)),
      );
      return reply;
    } catch (err) {
      log("error", redactText(`chat session=${ctx.sessionKey} failed: ${errorMessage(err)}`));
      // An unreadable credential file and the like: its message is written for people, though it
      // names a path on the host, which is not for everyone in a group.
      if (err instanceof UserFacingError && t.facts.showMasked) return err.message;
      return GENERIC_FAILURE;
    } finally {
      if (running.get(ctx.sessionKey) === t.stop) running.delete(ctx.sessionKey);
    }
  };

  return {
    async respond(ctx: CommandContext, text: string, sink?: AnswerSink): Promise<Reply> {
      try {
        return { text: await serial(ctx.sessionKey, () => turn(ctx, text, sink)) };
      } catch (err) {
        // Reading the session or config failed, before any credential was looked at.
        log("error", `chat session=${ctx.sessionKey} failed: ${errorMessage(err)}`);
        return { text: GENERIC_FAILURE };
      }
    },
    async reset(sessionKey: string): Promise<void> {
      history.reset(sessionKey);
    },
    stop(sessionKey: string): boolean {
      const stop = running.get(sessionKey);
      if (!stop || stop.signal.aborted) return false;
      stop.abort();
      return true;
    },
    close(): void {
      shutdown.abort();
    },
  };
}
