import { splitProfile } from "../../src/models/ref.js";
import { commandHead } from "../../src/gateway/command-text.js";
import { userError, type Result, type UserError } from "../../src/util/user-error.js";
import { parseDuration } from "../../src/util/duration.js";
import { quote, quoteIfNeeded, readToken, tokenize, type Token } from "./quote.js";

/** How far a model change reaches: this session, also the agent's default, or also the global default. */
export type Scope = "session" | "agent" | "global";

/** `/model <ref>[@profile] [-s|-a|-g] [--for <duration> | --once <message>]`, and the same after `/<alias>`. */
export interface SelectCommand {
  readonly kind: "select";
  /** Alias, `provider/model` or bare model id, as typed (quotes removed). */
  readonly ref: string;
  /** Profile id (or bare profile name) to pin; absent when none was given. */
  readonly profile?: string;
  /** The scope flag given, if any; absent means "follow `agents.defaults.modelSelectionScope`". */
  readonly scope?: Scope;
  /**
   * The profile came glued to an alias command (`/opus@work`), where Telegram also puts a bot's
   * username (`/opus@MyBot`). The handler drops it when it names no profile and looks like a bot.
   */
  readonly glued?: boolean;
  /** `--for <duration>`: the switch lasts this many ms, then the chat returns to what it had. */
  readonly forMs?: number;
  /** `--once <message>`: only this message (never blank) is answered by the model; the chat's selection stays. */
  readonly once?: string;
}

/** `/model default [-s]`: clear the session's model and pin. */
export interface DefaultCommand {
  readonly kind: "default";
  readonly scope?: Scope;
}

/** `/model list …` and `/models …`. */
export interface ListCommand {
  readonly kind: "list";
  readonly provider?: string;
  /** 1-based page as typed; checked against the page count by the handler. */
  readonly page?: number;
  /** Items per page as asked; the channel's message limit may lower it. */
  readonly limit?: number | "all";
}

/** `/new [model] [text]` and `/reset [model] [text]`. */
export interface NewCommand {
  readonly kind: "new";
  /** The model selection leading the arguments. */
  readonly then?: SelectCommand | DefaultCommand;
  /** The text after it, for the model in the new conversation (OpenClaw's `/new <text>`); absent when none. */
  readonly text?: string;
  /**
   * Set when `then` is a bare word that may or may not name a model (`/new opus hi` or `/new hello
   * there`): whether it does depends on the catalog, and when it names none, this whole text goes to
   * the model instead. Absent when `@profile`, a flag or `default` make it a selection for sure.
   */
  readonly unlessModel?: string;
}

/** Every form of the plugin's commands, parsed. */
export type ModelCommand =
  | { readonly kind: "show" }
  | { readonly kind: "status" }
  /** `/models add …`, removed in OpenClaw: answered with a note, changes nothing. */
  | { readonly kind: "add" }
  | ListCommand
  | SelectCommand
  | DefaultCommand
  | NewCommand;

const FLAGS: ReadonlyMap<string, Scope> = new Map([
  ["-s", "session"],
  ["--session", "session"],
  ["-a", "agent"],
  ["--agent", "agent"],
  ["-g", "global"],
  ["--global", "global"],
]);
// Phones turn `--` into an en or em dash.
const DASHES = /^[\u2013\u2014]/;
const DIGITS = /^\d+$/;
const LIMIT = /^(?:limit|size)=(.*)$/i;
const MAX_PAGE_DIGITS = 9;

const fail = (error: UserError): { ok: false; error: UserError } => ({ ok: false, error });

/** An option of a selection: a scope flag, `--for <duration>` (`value` when written `--for=2h`), or `--once`. */
type SelectOption =
  | { readonly kind: "scope"; readonly scope: Scope }
  | { readonly kind: "for"; readonly value?: string }
  | { readonly kind: "once" };

const OPTIONS_HINT = "Options: -s/--session, -a/--agent, -g/--global, --for <duration>, --once <message>.";

/**
 * An option (`-s`, `--global`, `—agent`, `--for 2h`, `--for=2h`, `--once`), undefined when the
 * token is not option-like, or an error for an unknown option.
 */
function optionOf(t: Token): Result<SelectOption> | undefined {
  if (t.quoted) return undefined;
  const v = t.value.toLowerCase().replace(DASHES, "--");
  if (!v.startsWith("-") || v.length < 2) return undefined;
  const scope = FLAGS.get(v);
  if (scope) return { ok: true, value: { kind: "scope", scope } };
  if (v === "--once") return { ok: true, value: { kind: "once" } };
  if (v === "--for") return { ok: true, value: { kind: "for" } };
  if (v.startsWith("--for="))
    return { ok: true, value: { kind: "for", value: t.value.slice(t.value.indexOf("=") + 1) } };
  return fail(userError("unknown_option", `Unknown option ${t.value}.`, OPTIONS_HINT));
}

/** True for an unquoted `--once` (or `—once`): the rest of the line is the message. */
function isOnce(t: Token): boolean {
  const o = optionOf(t);
  return o?.ok === true && o.value.kind === "once";
}

function addScope(prev: Scope | undefined, next: Scope): Result<Scope> {
  if (prev !== undefined && prev !== next) {
    return fail(
      userError(
        "conflicting_scope",
        `Choose one scope: ${prev} or ${next}, not both.`,
        "-s changes this session, -a the agent default, -g the global default.",
      ),
    );
  }
  return { ok: true, value: next };
}

function unexpected(t: Token, hint: string): { ok: false; error: UserError } {
  return fail(userError("unexpected_argument", `Unexpected "${t.value}".`, hint));
}

/**
 * Splits a token into model and profile. Without quotes {@link splitProfile} decides (the first
 * `@` after the last `/` that starts no version or quantisation: `x@iq3_xxs@work`). With quotes,
 * the first `@` outside quotes separates them and quoted text never splits, so
 * `"claude-3-5"@"2024-10-22"` pins a profile that looks like a version and `"a@b"` is a model
 * named `a@b`.
 */
export function splitToken(t: Token): Result<{ ref: string; profile?: string }> {
  let ref: string;
  let profile: string | undefined;
  if (!t.quoted) {
    const s = splitProfile(t.value);
    ref = s.ref;
    profile = s.profile;
  } else {
    ref = "";
    for (const seg of t.segments) {
      if (profile !== undefined) profile += seg.text;
      else if (seg.quoted) ref += seg.text;
      else {
        const at = seg.text.indexOf("@");
        if (at < 0) ref += seg.text;
        else {
          ref += seg.text.slice(0, at);
          profile = seg.text.slice(at + 1);
        }
      }
    }
  }
  if (ref.trim() === "") {
    return fail(
      userError(
        "empty_model",
        "No model before the @.",
        "Write /model <model>@<profileId>, e.g. /model opus@anthropic:work.",
      ),
    );
  }
  if (profile === "") {
    return fail(
      userError(
        "empty_profile",
        `No profile after "${ref}@".`,
        `Write /model ${formatSelection(ref)}@<profileId>, or leave out the @ to keep the profile as it is.`,
      ),
    );
  }
  return { ok: true, value: profile === undefined ? { ref } : { ref, profile } };
}

/** The options a selection was given. */
interface GivenOptions {
  readonly scope?: Scope;
  readonly forMs?: number;
}

/**
 * Collects scope flags and `--for <duration>` from `tokens`; `other` takes every other token (or
 * refuses it). `--once` never gets here: the caller split the message off at it.
 */
function collectOptions(tokens: readonly Token[], other: (t: Token) => UserError | undefined): Result<GivenOptions> {
  let scope: Scope | undefined;
  let forMs: number | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === undefined) break;
    const o = optionOf(t);
    if (o === undefined) {
      const err = other(t);
      if (err) return fail(err);
      continue;
    }
    if (!o.ok) return o;
    const opt = o.value;
    if (opt.kind === "scope") {
      const s = addScope(scope, opt.scope);
      if (!s.ok) return s;
      scope = s.value;
      continue;
    }
    if (opt.kind === "once" || forMs !== undefined) return unexpected(t, OPTIONS_HINT);
    const raw = opt.value ?? tokens[++i]?.value;
    if (raw === undefined)
      return fail(userError("missing_duration", `${t.value} needs a duration.`, "Write e.g. /model opus --for 2h."));
    const d = parseDuration(raw);
    if (!d.ok) return d;
    forMs = d.value;
  }
  return {
    ok: true,
    value: { ...(scope !== undefined ? { scope } : {}), ...(forMs !== undefined ? { forMs } : {}) },
  };
}

/** Adds `--for` and `--once` to a selection, refusing the combinations that make no sense. */
function withTiming(cmd: SelectCommand, forMs: number | undefined, once: string | undefined): Result<SelectCommand> {
  if (once !== undefined && once.trim() === "")
    return fail(
      userError(
        "once_without_text",
        "--once needs the message to answer.",
        `Write the message after it: /model ${formatSelection(cmd.ref, cmd.profile)} --once explain this.`,
      ),
    );
  if (once !== undefined && forMs !== undefined)
    return fail(
      userError(
        "conflicting_timing",
        "Choose --once (this message) or --for (a while), not both.",
        "--once answers one message with the model; --for switches this chat until the time is up.",
      ),
    );
  if ((once !== undefined || forMs !== undefined) && (cmd.scope === "agent" || cmd.scope === "global"))
    return fail(
      userError(
        "conflicting_scope",
        `${once !== undefined ? "--once" : "--for"} changes this chat only, not a default.`,
        "Leave out -a/-g, or choose the default without --once/--for.",
      ),
    );
  return {
    ok: true,
    value: { ...cmd, ...(forMs !== undefined ? { forMs } : {}), ...(once !== undefined ? { once } : {}) },
  };
}

const SELECT_HINT =
  'One model per command; quote a ref or profile that has spaces: /model "provider/model"@"profile id".';

/**
 * A selection: exactly one model token, anywhere among its options; `once` is the message after a
 * `--once`, when there was one.
 */
function parseSelection(tokens: readonly Token[], once?: string): Result<SelectCommand | DefaultCommand> {
  let model: Token | undefined;
  const opts = collectOptions(tokens, (t) => {
    if (model !== undefined) return unexpected(t, SELECT_HINT).error;
    model = t;
    return undefined;
  });
  if (!opts.ok) return opts;
  const { scope, forMs } = opts.value;
  if (model === undefined) {
    return fail(
      userError(
        "missing_model",
        "Name the model to switch to.",
        "Write /model <alias|provider/model> [-s|-a|-g], e.g. /model opus -s.",
      ),
    );
  }
  if (!model.quoted && model.value.toLowerCase() === "default") {
    if (forMs !== undefined || once !== undefined)
      return fail(
        userError(
          "unexpected_option",
          `${once !== undefined ? "--once" : "--for"} needs a model, not default.`,
          "Write /model default to go back to the default for good, or name the model: /model sonnet --for 2h.",
        ),
      );
    return { ok: true, value: scope === undefined ? { kind: "default" } : { kind: "default", scope } };
  }
  const split = splitToken(model);
  if (!split.ok) return split;
  return withTiming({ kind: "select", ...split.value, ...(scope !== undefined ? { scope } : {}) }, forMs, once);
}

const LIST_HINT = "Write /models [provider] [page] [limit=<n>|all].";

/** `[provider] [page] [limit=<n>|size=<n>|all]` in any order. */
function parseList(tokens: readonly Token[]): Result<ListCommand> {
  let provider: string | undefined;
  let page: number | undefined;
  let limit: number | "all" | undefined;
  const setLimit = (t: Token, raw: string): UserError | undefined => {
    if (limit !== undefined)
      return userError("unexpected_argument", `Give the page size once ("${t.value}").`, LIST_HINT);
    const v = raw.toLowerCase();
    if (v === "all") limit = "all";
    else if (DIGITS.test(v) && v.length <= MAX_PAGE_DIGITS && Number(v) >= 1) limit = Number(v);
    else
      return userError(
        "bad_limit",
        `"${t.value}" is not a page size.`,
        "Use limit=<n> with n from 1, or limit=all; a page still never exceeds the chat's message limit.",
      );
    return undefined;
  };
  for (const t of tokens) {
    const v = t.value;
    if (!t.quoted && DIGITS.test(v)) {
      if (page !== undefined) return unexpected(t, LIST_HINT);
      if (v.length > MAX_PAGE_DIGITS)
        return fail(userError("bad_page", `Page ${v.slice(0, 12)}… is far past the end.`, LIST_HINT));
      page = Number(v);
      continue;
    }
    const m = t.quoted ? null : LIMIT.exec(v);
    if (m || (!t.quoted && v.toLowerCase() === "all")) {
      const err = setLimit(t, m ? (m[1] ?? "") : "all");
      if (err) return fail(err);
      continue;
    }
    const f = optionOf(t);
    if (f !== undefined) {
      if (!f.ok) return f;
      return fail(userError("unexpected_option", `${t.value} applies only when choosing a model.`, LIST_HINT));
    }
    if (provider !== undefined) return unexpected(t, LIST_HINT);
    provider = v;
  }
  return {
    ok: true,
    value: {
      kind: "list",
      ...(provider !== undefined ? { provider } : {}),
      ...(page !== undefined ? { page } : {}),
      ...(limit !== undefined ? { limit } : {}),
    },
  };
}

/**
 * `/models …` arguments: `[provider] [page] [limit=<n>|all]`, and OpenClaw's spellings `list
 * [provider] …` and `providers`. `add …` parses whatever follows, for its note.
 */
function parseModels(tokens: readonly Token[]): Result<ModelCommand> {
  const first = tokens[0];
  const keyword = first === undefined || first.quoted ? "" : first.value.toLowerCase();
  if (keyword === "add") return { ok: true, value: { kind: "add" } };
  if (keyword === "list") return parseList(tokens.slice(1));
  if (keyword === "providers" && tokens.length === 1) return { ok: true, value: { kind: "list" } };
  return parseList(tokens);
}

/**
 * `/model …` arguments, `once` the message after a `--once`. Keywords (`list`, `status`, `default`)
 * are case-insensitive; quote a model named like one.
 */
function parseModel(tokens: readonly Token[], once: string | undefined): Result<ModelCommand> {
  const first = tokens[0];
  if (first === undefined && once === undefined) return { ok: true, value: { kind: "show" } };
  const keyword = first === undefined || first.quoted ? "" : first.value.toLowerCase();
  const rest = tokens.slice(1);
  if (once !== undefined && (keyword === "list" || keyword === "status"))
    return fail(
      userError(
        "unexpected_option",
        "--once applies only when choosing a model.",
        "Write /model opus --once <message>.",
      ),
    );
  if (keyword === "list") return parseList(rest);
  if (keyword === "status") {
    const extra = rest[0];
    if (extra === undefined) return { ok: true, value: { kind: "status" } };
    if (optionOf(extra) !== undefined)
      return fail(
        userError("unexpected_option", `${extra.value} applies only when choosing a model.`, "Write /model status."),
      );
    return unexpected(extra, "/model status takes nothing after it.");
  }
  return parseSelection(tokens, once);
}

/** True for a token that starts with a bare `@`: the profile of an alias command. */
function isProfileToken(t: Token | undefined): t is Token {
  const seg = t?.segments[0];
  return seg !== undefined && !seg.quoted && seg.text.startsWith("@");
}

/**
 * Arguments of an alias command: `/opus`, `/opus@work -g`, `/opus @"profile id" --for 2h`. `glued`
 * says the `@` touched the command name, where Telegram also puts a bot's username; `once` is the
 * message after a `--once`.
 */
function parseAlias(alias: string, tokens: readonly Token[], glued: boolean, once?: string): Result<SelectCommand> {
  let profile: string | undefined;
  let rest = tokens;
  const first = tokens[0];
  if (isProfileToken(first)) {
    profile = first.value.slice(1);
    if (profile === "")
      return fail(userError("empty_profile", `No profile after "/${alias}@".`, `Write /${alias}@<profileId>.`));
    rest = tokens.slice(1);
  }
  const hint = `Write /${alias}[@profile] [-s|-a|-g] [--for <duration> | --once <message>].`;
  const opts = collectOptions(rest, (t) => unexpected(t, hint).error);
  if (!opts.ok) return opts;
  const { scope, forMs } = opts.value;
  const cmd: SelectCommand = {
    kind: "select",
    ref: alias,
    ...(profile !== undefined ? { profile } : {}),
    ...(scope !== undefined ? { scope } : {}),
    ...(profile !== undefined && glued ? { glued } : {}),
  };
  return withTiming(cmd, forMs, once);
}

/** The arguments before an unquoted `--once`, and the message after it (spacing intact). */
function splitAtOnce(args: string): { head: string; once?: string } {
  for (let pos = 0; ; ) {
    const t = readToken(args, pos);
    // An unbalanced quote before any `--once`: the tokenizer reports it.
    if (t === undefined || !t.ok) return { head: args };
    if (isOnce(t.value)) return { head: args.slice(0, t.value.start), once: afterGap(args.slice(t.value.end)) };
    pos = t.value.end;
  }
}

/**
 * Parses one invocation of the plugin's commands: `command` is `model`, `models`, `new`, `reset`
 * or an alias (any other name), `args` the raw text after it. Never throws; bad input is a
 * {@link UserError} with a stable code.
 */
export function parseInvocation(command: string, args: string): Result<ModelCommand> {
  // Its text is the user's message: any quotes in it are theirs.
  if (command === "new" || command === "reset") return parseNew(args);
  if (command === "models") {
    const tokens = tokenize(args);
    return tokens.ok ? parseModels(tokens.value) : tokens;
  }
  const { head, once } = splitAtOnce(args);
  const tokens = tokenize(head);
  if (!tokens.ok) return tokens;
  const t = tokens.value;
  if (command === "model") return parseModel(t, once);
  // A host that keeps `/opus@work`'s suffix passes it as arguments starting with `@`.
  return parseAlias(command, t, t[0]?.start === 0, once);
}

/**
 * `/new` arguments, as OpenClaw reads them: a leading model selection (a word, with `@profile` and
 * flags after it) when there is one, then the text for the model. Anything that cannot be a
 * selection (`/new list three colours`, an unbalanced quote) is all text. `--once` is refused: the
 * new conversation's first message is answered by the model the chat then has.
 */
function parseNew(args: string): Result<NewCommand> {
  const text = args.trimStart();
  if (text === "") return { ok: true, value: { kind: "new" } };
  const d = parseDirective(`/model ${text}`, () => false);
  const once = d?.selection.ok ? d.selection.value.kind === "select" && d.selection.value.once !== undefined : false;
  if (once || (d?.selection.ok === false && d.selection.error.code === "once_without_text"))
    return fail(
      userError(
        "unexpected_option",
        "/new takes no --once: its message is answered by the chat's model.",
        "Write /new <model> <message> to start with that model, or /model <model> --once <message> without /new.",
      ),
    );
  if (!d?.selection.ok) return { ok: true, value: { kind: "new", text } };
  const then = d.selection.value;
  const sure =
    then.kind === "default" || then.profile !== undefined || then.scope !== undefined || then.forMs !== undefined;
  return {
    ok: true,
    value: { kind: "new", then, ...(d.rest !== "" ? { text: d.rest } : {}), ...(sure ? {} : { unlessModel: text }) },
  };
}

/** A model directive at the start of a message, and the text that follows it. */
export interface Directive {
  /** `model` or the alias used. */
  readonly command: string;
  readonly selection: Result<SelectCommand | DefaultCommand>;
  /** The message after the directive, spacing and line breaks intact (after `--once`, that selection's `once`). */
  readonly rest: string;
}

const BOT_SUFFIX = /^@[A-Za-z0-9_]{1,64}/;
const LINE_GAP = /^[ \t]*(?:\r?\n)?/;
const SPACE = /\s/;
const PROFILE_NEXT = /^\s*@/;
const KEYWORD_LIKE = /^(?:list|status|default|-.*)$/i;

/**
 * Finds a selection directive at the start of a message: `/model <ref>[@p] [flags] text…`,
 * `/model: opus text`, `/model@Bot opus text`, `/<alias>[@p] [flags] text…`, where the flags may
 * end in `--once` (the text is then answered by that model alone). Undefined when the
 * message does not start with one (plain text, `/model list`, another command). A directive in
 * the middle (`switch to /opus please`) is text, unlike OpenClaw: quoting a command, pasting a
 * path or talking about `/opus` must not switch a chat's model (README, "Coming from OpenClaw").
 * Only the tokens the directive needs are read, so the rest may hold anything, unbalanced quotes
 * included.
 */
export function parseDirective(text: string, isAlias: (name: string) => boolean): Directive | undefined {
  const head = commandHead(text);
  if (head === undefined) return undefined;
  const command = head.toLowerCase();
  const isModel = command === "model";
  if (!isModel && !isAlias(command)) return undefined;
  let pos = head.length + 1;
  if (isModel) {
    const bot = BOT_SUFFIX.exec(text.slice(pos));
    if (bot) pos += bot[0].length;
  }
  const glued = !isModel && text.charAt(pos) === "@";
  if (!glued) {
    if (text.charAt(pos) === ":") pos++;
    if (pos < text.length && !SPACE.test(text.charAt(pos))) return undefined;
  }
  const consumed: Token[] = [];
  // The model (for /model) or an `@profile` (for an alias) comes first; an alias's message may
  // start right away, so its first token is read only when it is a profile.
  if (isModel || PROFILE_NEXT.test(text.slice(pos))) {
    const first = readToken(text, pos);
    if (first === undefined) return undefined;
    if (!first.ok) return { command, selection: first, rest: "" };
    const kw = first.value.quoted ? "" : first.value.value.toLowerCase();
    if (isModel && (kw === "list" || kw === "status" || optionOf(first.value) !== undefined)) return undefined;
    consumed.push(first.value);
    pos = first.value.end;
  }
  let once = false;
  for (;;) {
    const t = readToken(text, pos);
    const o = t?.ok ? optionOf(t.value) : undefined;
    if (t === undefined || !t.ok || o === undefined) break;
    pos = t.value.end;
    if (isOnce(t.value)) {
      once = true;
      break;
    }
    consumed.push(t.value);
    // `--for 2h`: the duration is the next token, whatever it looks like.
    const value = o.ok && o.value.kind === "for" && o.value.value === undefined ? readToken(text, pos) : undefined;
    if (value?.ok) {
      consumed.push(value.value);
      pos = value.value.end;
    }
  }
  const rest = afterGap(text.slice(pos));
  const message = once ? rest : undefined;
  const selection = isModel ? parseSelection(consumed, message) : parseAlias(command, consumed, glued, message);
  return { command, selection, rest };
}

/** Text after a directive or `--once`: the spaces and one line break that separate it go. */
function afterGap(after: string): string {
  return after.slice(LINE_GAP.exec(after)?.[0].length ?? 0);
}

/**
 * Prints a selection so {@link parseInvocation} reads it back as the same pair: bare where that is
 * unambiguous, quoted otherwise. `formatSelection("openai/gpt-5", "me+work@x.com")` is
 * `openai/gpt-5@"me+work@x.com"`.
 */
export function formatSelection(ref: string, profile?: string): string {
  const r = KEYWORD_LIKE.test(ref) ? quote(ref) : quoteIfNeeded(ref);
  return profile === undefined ? r : `${r}@${quote(profile)}`;
}
