import type { Candidate } from "../auth/resolver.js";
import type { CooldownEntry } from "../auth/cooldowns.js";
import { formatDuration } from "../auth/health.js";
import type { Classification } from "../providers/classify.js";

/** One failed call of a turn: who was tried, how it failed, and the cooldown that started. */
export interface FailedAttempt {
  readonly candidate: Candidate;
  readonly failure: Classification;
  readonly cooldown?: CooldownEntry;
}

/**
 * The commands the texts tell people to type, as the plugins declare them (name without the
 * slash), so a gateway whose model command has another name says that name.
 */
export interface ChatCommands {
  /** Shows and switches the chat's model and pin: `model` for `/model default`, `/model list`. */
  readonly model: string;
}

/** The names of the `/model` plugin's declaration. */
export const DEFAULT_CHAT_COMMANDS: ChatCommands = { model: "model" };

/** What every failure text needs to know about the turn. */
export interface TurnFacts {
  readonly provider: string;
  readonly providerName: string;
  /** `provider/model`. */
  readonly model: string;
  readonly now: number;
  readonly timeoutMs: number;
  /** Show masked secrets next to profile ids (DMs and owners; not to everyone in a group). */
  readonly showMasked: boolean;
  readonly commands: ChatCommands;
}

/** The command that stores an Anthropic API key, for Claude Code-only tokens. */
export const PASTE_API_KEY = "openclaw models auth paste-api-key --provider anthropic";
const PROBE = "`openclaw models status --probe` checks every credential.";

function unpin(commands: ChatCommands): string {
  return `Use /${commands.model} default to unpin, or pin another profile with /${commands.model} <model>@<profileId>.`;
}

/** Where to pick another model: `Use /model list to pick a model.` */
export function pickAnotherModel(commands: ChatCommands): string {
  return `Use /${commands.model} list to pick a model.`;
}

function label(c: Candidate, facts: TurnFacts): string {
  return facts.showMasked && c.masked !== "(empty)" ? `${c.id} (${c.masked})` : c.id;
}

function code(f: Classification): string {
  return f.status !== undefined ? ` (${f.status})` : "";
}

function cooling(a: FailedAttempt, facts: TurnFacts): string {
  if (!a.cooldown) return "";
  const left = formatDuration(a.cooldown.until - facts.now);
  return a.failure.kind === "rate_limit" ? `; free again in ${left}` : `; cooling down for ${left}`;
}

/** What happened to one credential, as a clause: `rejected the credential (401); cooling down for 10m`. */
export function describeFailure(a: FailedAttempt, facts: TurnFacts): string {
  const f = a.failure;
  switch (f.kind) {
    case "auth":
      if (f.reasonCode === "invalid_header")
        return `was not called: ${f.detail}; store it again (a pasted credential loses its line breaks)${cooling(a, facts)}`;
      return `rejected the credential${code(f)}${cooling(a, facts)}`;
    case "rate_limit":
      return `rate-limited it for ${facts.model}${code(f)}${cooling(a, facts)}`;
    case "billing":
      return `refused it for billing or credit${code(f)}${cooling(a, facts)}`;
    case "incompatible":
      return "accepts it only inside Claude Code, not for API requests";
    case "overloaded":
      return f.reasonCode === "connection_error" ? "could not be reached" : `is overloaded${code(f)}`;
    case "config":
      return `could not be reached: ${f.detail}`;
    case "timeout":
      return `did not answer within ${facts.timeoutMs < 1000 ? `${facts.timeoutMs}ms` : formatDuration(facts.timeoutMs)}`;
    case "format":
      return `rejected the request${code(f)}${f.detail ? `: ${f.detail}` : ""}`;
    case "unknown":
      return `failed${code(f)}${f.detail ? `: ${f.detail}` : ""}`;
  }
}

/** The advice for a Claude Code-only credential. */
export function incompatibleAdvice(a: FailedAttempt, facts: TurnFacts): string {
  return (
    `The credential ${label(a.candidate, facts)} is a Claude Code-only token: ${facts.providerName} refuses it for API requests. ` +
    `Add an Anthropic API key with \`${PASTE_API_KEY}\`; the profile is marked incompatible in \`openclaw models status\`.`
  );
}

/** A user-pinned profile failed: say which, why, that nothing else was tried, and how to unpin. */
export function pinnedFailureText(a: FailedAttempt, facts: TurnFacts): string {
  if (a.failure.kind === "incompatible")
    return `${incompatibleAdvice(a, facts)} This session is pinned to it. ${unpin(facts.commands)}`;
  if (a.failure.kind === "overloaded" || a.failure.kind === "timeout") {
    return `${facts.providerName} ${describeFailure(a, facts)}; please try again in a moment. (This session is pinned to ${a.candidate.id}, so no other credential is tried.)`;
  }
  return (
    `Your pinned profile ${label(a.candidate, facts)} failed: ${facts.providerName} ${describeFailure(a, facts)}. ` +
    `This session is pinned to it, so no other credential is tried. ${unpin(facts.commands)}`
  );
}

/**
 * The provider's host does not resolve: a configuration error, not an outage, so no "try again";
 * the key to fix is named. Every credential goes to that host, so none other is tried.
 */
export function configFailureText(a: FailedAttempt, facts: TurnFacts): string {
  return (
    `${facts.providerName} ${describeFailure(a, facts)}. This is a configuration error, not an outage: ` +
    `check models.providers.${facts.provider}.baseUrl in the config (and that this machine can resolve host names).`
  );
}

/** The provider is overloaded or slow, twice at most: ask to try again. */
export function transientText(last: FailedAttempt, facts: TurnFacts): string {
  return `${facts.providerName} ${describeFailure(last, facts)} for ${facts.model}; please try again in a moment.`;
}

/** A request the provider will refuse whatever credential sends it (400, 404, a garbled answer). */
export function requestFailureText(a: FailedAttempt, facts: TurnFacts): string {
  const f = a.failure;
  if (f.reasonCode === "not_found")
    return `${facts.providerName} does not serve ${facts.model}${code(f)}. Pick another model with /${facts.commands.model} list.`;
  if (f.reasonCode === "malformed_response")
    return `${facts.providerName} sent an answer that could not be read; please try again.`;
  if (f.kind === "format") return `${facts.providerName} ${describeFailure(a, facts)}.`;
  return `The call to ${facts.providerName} ${describeFailure(a, facts)}. Please try again; ${PROBE}`;
}

/** Every candidate failed (unpinned session): one line per credential and what to do next. */
export function exhaustedText(attempts: readonly FailedAttempt[], facts: TurnFacts): string {
  const incompatible = attempts.find((a) => a.failure.kind === "incompatible");
  if (incompatible && attempts.length === 1) return incompatibleAdvice(incompatible, facts);
  const lines = attempts.map(
    (a) => `• ${label(a.candidate, facts)}: ${facts.providerName} ${describeFailure(a, facts)}`,
  );
  const head =
    attempts.length === 1
      ? `The ${facts.provider} credential failed for ${facts.model}:`
      : `All ${attempts.length} ${facts.provider} credentials failed for ${facts.model}:`;
  const soonest = attempts
    .map((a) => a.cooldown?.until)
    .filter((u): u is number => u !== undefined)
    .sort((x, y) => x - y)[0];
  let hint: string;
  if (incompatible) hint = incompatibleAdvice(incompatible, facts);
  else if (soonest !== undefined && attempts.every((a) => a.failure.kind === "rate_limit"))
    hint = `Try again in ${formatDuration(soonest - facts.now)}.`;
  else hint = PROBE;
  return [head, ...lines, hint].join("\n");
}

/** What cut off an answer, in a few words: `rate limited`, `credential rejected`. */
function cutOffReason(f: Classification): string {
  switch (f.kind) {
    case "rate_limit":
      return "rate limited";
    case "auth":
    case "incompatible":
      return "credential rejected";
    case "billing":
      return "refused for billing";
    case "overloaded":
      return f.reasonCode === "connection_error" ? "connection lost" : "provider overloaded";
    case "config":
      return "host not found";
    case "timeout":
      return "no answer in time";
    case "format":
      return "unreadable answer";
    case "unknown":
      return "failed";
  }
}

/**
 * The note that ends an answer broken off after part of it was shown:
 * `\n\n[…cut off: rate limited on anthropic:work; free again in 30s]`.
 */
export function cutOffText(a: FailedAttempt, facts: TurnFacts): string {
  return `\n\n[…cut off: ${cutOffReason(a.failure)} on ${a.candidate.id}${cooling(a, facts)}]`;
}

/** A user-pinned OAuth profile whose token could not be refreshed: why, and that nothing else is tried. */
export function pinnedRefreshText(error: string, profileId: string, facts: TurnFacts): string {
  return `${error} (This session is pinned to ${profileId}, so no other credential is tried; /${facts.commands.model} default unpins.)`;
}
