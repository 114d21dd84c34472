import type { Candidate } from "../auth/resolver.js";
import { redactText } from "../auth/redact.js";
import { extraBodyOf, modelParams } from "../config/model-params.js";
import type { Log } from "../gateway/log.js";
import type { GatewayServices } from "../gateway/types.js";
import { callProvider, providerModelId, type ModelRequest } from "../providers/call.js";
import { classifyError } from "../providers/classify.js";
import type { TokenTally } from "../models/price.js";
import { STOP_ACTIONS } from "./stop.js";
import type { Attempt, CallOutcome, ChatSettings, Mutable, Turn } from "./turn.js";

/** One log line per call: who was asked, how it ended, how long it took; never a secret. */
function callLine(turn: Turn, c: Candidate, outcome: CallOutcome, latencyMs: number): string {
  const head = `chat session=${turn.ctx.sessionKey} provider=${turn.provider.id} model=${turn.model.ref} credential=${c.id}`;
  if (outcome.ok) {
    const r = outcome.result;
    const usage = r.usage ? ` tokens=${r.usage.input}/${r.usage.output}` : "";
    return `${head} status=ok latency=${latencyMs}ms${usage}`;
  }
  const f = outcome.failure;
  const http = f.status !== undefined ? ` http=${f.status}` : "";
  const after = f.retryAfterMs !== undefined ? ` retryAfter=${f.retryAfterMs}ms` : "";
  const detail = f.detail ? ` detail=${JSON.stringify(f.detail.slice(0, 300))}` : "";
  return `${head} status=${f.kind} reason=${f.reasonCode}${http}${after} latency=${latencyMs}ms${detail}`;
}

/**
 * The call step, last of an attempt: asks the provider with the attempt's credential (streaming
 * into the turn's sink, with the Stop button under the growing text), classifies a failure, logs
 * one redacted line and counts the call for the metrics.
 */
export function callStep(
  services: GatewayServices,
  log: Log,
  settings: ChatSettings,
): (attempt: Attempt) => Promise<CallOutcome> {
  return async ({ turn, candidate }) => {
    const started = performance.now();
    let outcome: CallOutcome;
    let partial = "";
    let heard: TokenTally | undefined;
    const sink = turn.sink;
    try {
      const request: Mutable<ModelRequest> = {
        model: providerModelId(turn.model.ref),
        messages: turn.messages,
        maxTokens: turn.answerTokens,
        timeoutMs: settings.timeoutMs,
        signal: AbortSignal.any([turn.shutdown, turn.stop.signal]),
      };
      if (settings.systemPrompt !== undefined) request.system = settings.systemPrompt;
      if (sink) {
        request.onText = (delta: string) => {
          partial += delta;
          sink.update(partial, STOP_ACTIONS);
        };
        request.onUsage = (usage) => {
          heard = usage;
        };
      }
      const params = modelParams(services.config().config, turn.ctx.agentId, turn.model.ref);
      if (params.temperature !== undefined && turn.provider.api === "openai-completions")
        request.temperature = params.temperature;
      const extraBody = turn.provider.api === "openai-completions" ? extraBodyOf(params) : undefined;
      if (extraBody) request.extraBody = extraBody;
      const headers = services.resolver().headersFor(turn.provider.id);
      if (Object.keys(headers).length > 0) request.headers = headers;
      const result = await callProvider(turn.provider, { secret: candidate.secret, type: candidate.type }, request);
      outcome = { ok: true, result };
    } catch (err) {
      outcome = { ok: false, failure: classifyError(err, services.clock()), partial, usage: heard };
    }
    const elapsed = performance.now() - started;
    log(outcome.ok ? "info" : "warn", redactText(callLine(turn, candidate, outcome, Math.round(elapsed))));
    services.observer?.modelRequest(turn.provider.id, outcome.ok ? "ok" : outcome.failure.kind, elapsed / 1000);
    return outcome;
  };
}
