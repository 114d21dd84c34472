import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { formatSelection, parseDirective, parseInvocation, type ModelCommand } from "../../../plugins/model/grammar.js";

type Expected = ModelCommand | { error: string };

// [command, raw args, expected AST or error code]. The table is the grammar's documentation.
const TABLE: ReadonlyArray<readonly [string, string, Expected]> = [
  // bare /model
  ["model", "", { kind: "show" }],
  ["model", "   ", { kind: "show" }],
  // list
  ["model", "list", { kind: "list" }],
  ["model", "LIST", { kind: "list" }],
  ["model", " list  anthropic  2  limit=5 ", { kind: "list", provider: "anthropic", page: 2, limit: 5 }],
  ["model", "list 2 anthropic", { kind: "list", provider: "anthropic", page: 2 }],
  ["model", "list all", { kind: "list", limit: "all" }],
  ["model", "list openai size=10", { kind: "list", provider: "openai", limit: 10 }],
  ["model", "list LIMIT=ALL", { kind: "list", limit: "all" }],
  ["model", "list limit=0", { error: "bad_limit" }],
  ["model", "list limit=x", { error: "bad_limit" }],
  ["model", "list limit=", { error: "bad_limit" }],
  ["model", "list limit=3 all", { error: "unexpected_argument" }],
  ["model", "list a b", { error: "unexpected_argument" }],
  ["model", "list 1 2", { error: "unexpected_argument" }],
  ["model", "list -s", { error: "unexpected_option" }],
  ["model", 'list "2"', { kind: "list", provider: "2" }],
  ["models", "", { kind: "list" }],
  ["models", "anthropic 3", { kind: "list", provider: "anthropic", page: 3 }],
  ["models", "0", { kind: "list", page: 0 }],
  ["models", "1234567890", { error: "bad_page" }],
  ["models", "all", { kind: "list", limit: "all" }],
  // OpenClaw's spellings: `/models list <provider>` and `/models providers`; `/models add` gets a note.
  ["models", "list anthropic", { kind: "list", provider: "anthropic" }],
  ["models", "LIST anthropic 2 limit=5", { kind: "list", provider: "anthropic", page: 2, limit: 5 }],
  ["models", "list", { kind: "list" }],
  ["models", "providers", { kind: "list" }],
  ["models", '"list"', { kind: "list", provider: "list" }],
  ["models", "add openai gpt-9", { kind: "add" }],
  ["models", "add", { kind: "add" }],
  ["model", "openai/qwen3.6-27b@iq3_xxs@work", { kind: "select", ref: "openai/qwen3.6-27b@iq3_xxs", profile: "work" }],
  ["model", "openai/qwen3.6-27b@iq3_xxs", { kind: "select", ref: "openai/qwen3.6-27b@iq3_xxs" }],
  ["test.alias", " @work -g", { kind: "select", ref: "test.alias", profile: "work", scope: "global" }],
  // status
  ["model", "status", { kind: "status" }],
  ["model", "Status", { kind: "status" }],
  ["model", "status now", { error: "unexpected_argument" }],
  ["model", "status -g", { error: "unexpected_option" }],
  // selection
  ["model", "opus", { kind: "select", ref: "opus" }],
  ["model", "  opus  ", { kind: "select", ref: "opus" }],
  ["model", "OPUS", { kind: "select", ref: "OPUS" }],
  ["model", "anthropic/claude-opus-5-5", { kind: "select", ref: "anthropic/claude-opus-5-5" }],
  ["model", "openrouter/google/gemini-2.5-pro", { kind: "select", ref: "openrouter/google/gemini-2.5-pro" }],
  ["model", "opus@work", { kind: "select", ref: "opus", profile: "work" }],
  ["model", "opus@anthropic:work", { kind: "select", ref: "opus", profile: "anthropic:work" }],
  ["model", "openai/gpt-5@openai:me+work", { kind: "select", ref: "openai/gpt-5", profile: "openai:me+work" }],
  // version-like tails stay in the model id
  ["model", "anthropic/claude-3-5@2024-10-22", { kind: "select", ref: "anthropic/claude-3-5@2024-10-22" }],
  ["model", "claude-3-5@2024-10-22", { kind: "select", ref: "claude-3-5@2024-10-22" }],
  ["model", "claude-3-5@20240620", { kind: "select", ref: "claude-3-5@20240620" }],
  ["model", "gpt@v1.2", { kind: "select", ref: "gpt@v1.2" }],
  ["model", "x@latest", { kind: "select", ref: "x@latest" }],
  ["model", "openai/model@1.0.0-beta.1", { kind: "select", ref: "openai/model@1.0.0-beta.1" }],
  ["model", "openai/model@1.0.0-beta.1 -s", { kind: "select", ref: "openai/model@1.0.0-beta.1", scope: "session" }],
  ["model", "claude-3-5@2024-10-22@work", { kind: "select", ref: "claude-3-5@2024-10-22", profile: "work" }],
  ["model", "a@b/c@work", { kind: "select", ref: "a@b/c", profile: "work" }],
  ["model", "x@", { error: "empty_profile" }],
  ["model", "@work", { error: "empty_model" }],
  // scope flags, anywhere, long and phone-dash forms
  ["model", "opus -s", { kind: "select", ref: "opus", scope: "session" }],
  ["model", "opus --session", { kind: "select", ref: "opus", scope: "session" }],
  ["model", "opus -a", { kind: "select", ref: "opus", scope: "agent" }],
  ["model", "opus --agent", { kind: "select", ref: "opus", scope: "agent" }],
  ["model", "opus -g", { kind: "select", ref: "opus", scope: "global" }],
  ["model", "opus --global", { kind: "select", ref: "opus", scope: "global" }],
  ["model", "opus \u2014global", { kind: "select", ref: "opus", scope: "global" }],
  ["model", "opus -G", { kind: "select", ref: "opus", scope: "global" }],
  ["model", "-s opus", { kind: "select", ref: "opus", scope: "session" }],
  ["model", "opus@anthropic:work -s", { kind: "select", ref: "opus", profile: "anthropic:work", scope: "session" }],
  ["model", "opus -s -s", { kind: "select", ref: "opus", scope: "session" }],
  ["model", "opus -s -g", { error: "conflicting_scope" }],
  ["model", "opus -x", { error: "unknown_option" }],
  ["model", "opus --everywhere", { error: "unknown_option" }],
  ["model", "opus extra", { error: "unexpected_argument" }],
  ["model", "-s", { error: "missing_model" }],
  // default
  ["model", "default", { kind: "default" }],
  ["model", "DEFAULT -s", { kind: "default", scope: "session" }],
  ["model", "default -g", { kind: "default", scope: "global" }],
  ["model", "default x", { error: "unexpected_argument" }],
  // quotes
  ["model", '"default"', { kind: "select", ref: "default" }],
  [
    "model",
    '"openai/gpt-5"@"openai:owner+work@example.com" -s',
    { kind: "select", ref: "openai/gpt-5", profile: "openai:owner+work@example.com", scope: "session" },
  ],
  ["model", '"my model"@"a b"', { kind: "select", ref: "my model", profile: "a b" }],
  ["model", '"a\\"b"@"c\\\\d"', { kind: "select", ref: 'a"b', profile: "c\\d" }],
  ["model", '"a\\nb"', { kind: "select", ref: "a\\nb" }],
  ["model", '"claude-3-5"@"2024-10-22"', { kind: "select", ref: "claude-3-5", profile: "2024-10-22" }],
  ["model", '"a@b"', { kind: "select", ref: "a@b" }],
  ["model", 'openai/gpt-5@"me@x.com"', { kind: "select", ref: "openai/gpt-5", profile: "me@x.com" }],
  ["model", "\u201copus\u201d@\u201cwork\u201d", { kind: "select", ref: "opus", profile: "work" }],
  ["model", '"-s"', { kind: "select", ref: "-s" }],
  ["model", '"opus', { error: "unbalanced_quote" }],
  ["model", 'opus@"work', { error: "unbalanced_quote" }],
  ["model", '"x"@""', { error: "empty_profile" }],
  ["model", '""', { error: "empty_model" }],
  ["model", '"  "', { error: "empty_model" }],
  // unicode and odd spacing
  ["model", "ópus", { kind: "select", ref: "ópus" }],
  ["model", "opus\u00a0-s", { kind: "select", ref: "opus", scope: "session" }],
  ["model", "\topus\n-g", { kind: "select", ref: "opus", scope: "global" }],
  ["model", "模型@工作", { kind: "select", ref: "模型", profile: "工作" }],
  ["model", "🤖/model@👤", { kind: "select", ref: "🤖/model", profile: "👤" }],
  // /new and /reset
  ["new", "", { kind: "new" }],
  // A first word that may name a model: the catalog decides (plugins/model/new.ts), else it is all text.
  ["new", "opus", { kind: "new", then: { kind: "select", ref: "opus" }, unlessModel: "opus" }],
  [
    "new",
    " opus explain  this",
    { kind: "new", then: { kind: "select", ref: "opus" }, text: "explain  this", unlessModel: "opus explain  this" },
  ],
  ["new", "opus@work -s", { kind: "new", then: { kind: "select", ref: "opus", profile: "work", scope: "session" } }],
  ["new", "opus@work hi", { kind: "new", then: { kind: "select", ref: "opus", profile: "work" }, text: "hi" }],
  ["new", "default", { kind: "new", then: { kind: "default" } }],
  ["new", "list three colours", { kind: "new", text: "list three colours" }],
  ["new", 'say "hi', { kind: "new", text: '"hi', then: { kind: "select", ref: "say" }, unlessModel: 'say "hi' }],
  ["reset", "", { kind: "new" }],
  ["reset", "sonnet", { kind: "new", then: { kind: "select", ref: "sonnet" }, unlessModel: "sonnet" }],
  // alias commands: /opus, /opus@work (suffix passed on as arguments), /opus @work -g
  ["opus", "", { kind: "select", ref: "opus" }],
  ["opus", "@work", { kind: "select", ref: "opus", profile: "work", glued: true }],
  ["opus", " @work", { kind: "select", ref: "opus", profile: "work" }],
  ["opus", "@work -g", { kind: "select", ref: "opus", profile: "work", scope: "global", glued: true }],
  ["opus", " -g", { kind: "select", ref: "opus", scope: "global" }],
  ["opus", ' @"a b"', { kind: "select", ref: "opus", profile: "a b" }],
  ["opus", "@", { error: "empty_profile" }],
  ["opus", " extra", { error: "unexpected_argument" }],
  ["opus", " -s -a", { error: "conflicting_scope" }],
  // --for <duration>: a timed switch (1 minute to 30 days)
  ["model", "opus --for 90s", { kind: "select", ref: "opus", forMs: 90_000 }],
  ["model", "opus --for 30m", { kind: "select", ref: "opus", forMs: 1_800_000 }],
  ["model", "opus --for 2H", { kind: "select", ref: "opus", forMs: 7_200_000 }],
  ["model", "opus --for 1d", { kind: "select", ref: "opus", forMs: 86_400_000 }],
  ["model", "opus --for 1h30m", { kind: "select", ref: "opus", forMs: 5_400_000 }],
  ["model", "opus --for=30d", { kind: "select", ref: "opus", forMs: 2_592_000_000 }],
  ["model", "--for 2h opus", { kind: "select", ref: "opus", forMs: 7_200_000 }],
  ["model", "opus —for 1m", { kind: "select", ref: "opus", forMs: 60_000 }],
  [
    "model",
    "opus@anthropic:work --for 2h -s",
    { kind: "select", ref: "opus", profile: "anthropic:work", forMs: 7_200_000, scope: "session" },
  ],
  ["model", "opus --for 59s", { error: "bad_duration" }],
  ["model", "opus --for 31d", { error: "bad_duration" }],
  ["model", "opus --for 0m", { error: "bad_duration" }],
  ["model", "opus --for 1.5h", { error: "bad_duration" }],
  ["model", "opus --for 30m1h", { error: "bad_duration" }],
  ["model", "opus --for soon", { error: "bad_duration" }],
  ["model", "opus --for=", { error: "bad_duration" }],
  ["model", "opus --for", { error: "missing_duration" }],
  ["model", "opus --for 1h --for 2h", { error: "unexpected_argument" }],
  ["model", "opus --for 2h -g", { error: "conflicting_scope" }],
  ["model", "default --for 2h", { error: "unexpected_option" }],
  ["model", "list --for 2h", { error: "unexpected_option" }],
  ["opus", "@work --for 2h", { kind: "select", ref: "opus", profile: "work", forMs: 7_200_000, glued: true }],
  ["opus", " --for 45m", { kind: "select", ref: "opus", forMs: 2_700_000 }],
  // --once <message>: this message only; the rest of the line, as typed, is the message
  ["model", "opus --once explain  this", { kind: "select", ref: "opus", once: "explain  this" }],
  ["model", "opus@anthropic:work --once hi", { kind: "select", ref: "opus", profile: "anthropic:work", once: "hi" }],
  ["model", 'opus --once say "hi', { kind: "select", ref: "opus", once: 'say "hi' }],
  ["model", "opus -s --once a --once b", { kind: "select", ref: "opus", scope: "session", once: "a --once b" }],
  ["model", 'opus "--once" hi', { error: "unexpected_argument" }],
  ["model", "opus --once", { error: "once_without_text" }],
  ["model", "opus --once   ", { error: "once_without_text" }],
  ["model", "--once hi", { error: "missing_model" }],
  ["model", "opus --for 2h --once hi", { error: "conflicting_timing" }],
  ["model", "opus -a --once hi", { error: "conflicting_scope" }],
  ["model", "default --once hi", { error: "unexpected_option" }],
  ["model", "status --once hi", { error: "unexpected_option" }],
  ["opus", "@work --once hi there", { kind: "select", ref: "opus", profile: "work", once: "hi there", glued: true }],
  ["opus", " --once", { error: "once_without_text" }],
  ["new", "opus --for 2h hi", { kind: "new", then: { kind: "select", ref: "opus", forMs: 7_200_000 }, text: "hi" }],
  ["new", "opus --once hi", { error: "unexpected_option" }],
  ["new", "opus --once", { error: "unexpected_option" }],
  [
    "new",
    "what does --once do",
    {
      kind: "new",
      then: { kind: "select", ref: "what" },
      text: "does --once do",
      unlessModel: "what does --once do",
    },
  ],
];

describe("parseInvocation", () => {
  test.each(TABLE)("/%s %j", (command, args, expected) => {
    const r = parseInvocation(command, args);
    if ("error" in expected) {
      expect(r.ok ? r.value : r.error.code).toBe(expected.error);
      if (!r.ok) expect(r.error.message.length).toBeGreaterThan(0);
    } else {
      expect(r.ok ? r.value : r.error).toEqual(expected);
    }
  });
});

const isAlias = (name: string) => ["opus", "sonnet", "gpt-mini", "test.alias"].includes(name);

// [message, expected selection (or error code), text sent on]; undefined: not a directive.
const DIRECTIVES: ReadonlyArray<readonly [string, Expected | undefined, string?]> = [
  ["/model opus explain this", { kind: "select", ref: "opus" }, "explain this"],
  ["/model: opus explain", { kind: "select", ref: "opus" }, "explain"],
  ["/MODEL opus hi", { kind: "select", ref: "opus" }, "hi"],
  ["/model@MyBot opus hi", { kind: "select", ref: "opus" }, "hi"],
  ["/model@MyBot: opus hi", { kind: "select", ref: "opus" }, "hi"],
  ["/model opus -s hi", { kind: "select", ref: "opus", scope: "session" }, "hi"],
  [
    "/model opus@anthropic:work -g hi",
    { kind: "select", ref: "opus", profile: "anthropic:work", scope: "global" },
    "hi",
  ],
  ["/model opus\n  indented code\n", { kind: "select", ref: "opus" }, "  indented code\n"],
  ["/model opus   two  spaces", { kind: "select", ref: "opus" }, "two  spaces"],
  ["/model opus what's \"this", { kind: "select", ref: "opus" }, "what's \"this"],
  ["/model default hi", { kind: "default" }, "hi"],
  ["/model opus", { kind: "select", ref: "opus" }, ""],
  ['/model "my model"@"a b" go', { kind: "select", ref: "my model", profile: "a b" }, "go"],
  ["/opus hi", { kind: "select", ref: "opus" }, "hi"],
  ["/OPUS hi", { kind: "select", ref: "opus" }, "hi"],
  ["/opus@work hi", { kind: "select", ref: "opus", profile: "work", glued: true }, "hi"],
  ["/opus@work -g hi", { kind: "select", ref: "opus", profile: "work", scope: "global", glued: true }, "hi"],
  ["/opus: hi", { kind: "select", ref: "opus" }, "hi"],
  ['/opus "quoted text', { kind: "select", ref: "opus" }, '"quoted text'],
  ['/opus -g "quoted', { kind: "select", ref: "opus", scope: "global" }, '"quoted'],
  ['/opus @"unclosed hi', { error: "unbalanced_quote" }, ""],
  ["/gpt-mini -s\nhi", { kind: "select", ref: "gpt-mini", scope: "session" }, "hi"],
  ['/model "opus hi', { error: "unbalanced_quote" }, ""],
  ["/model x@ hi", { error: "empty_profile" }, "hi"],
  ["/model opus --once explain\n  this", { kind: "select", ref: "opus", once: "explain\n  this" }, "explain\n  this"],
  ["/opus@work --once hi", { kind: "select", ref: "opus", profile: "work", glued: true, once: "hi" }, "hi"],
  ["/model opus --for 2h hi", { kind: "select", ref: "opus", forMs: 7_200_000 }, "hi"],
  ["/model opus --for=1d -s hi", { kind: "select", ref: "opus", forMs: 86_400_000, scope: "session" }, "hi"],
  ["/model opus --once", { error: "once_without_text" }, ""],
  ["/model opus --for never hi", { error: "bad_duration" }, "hi"],
  ["/model", undefined],
  ["/model list", undefined],
  ["/model status now", undefined],
  ["/model -s hi", undefined],
  ["/models anthropic", undefined],
  ["/modelx hi", undefined],
  ["/unknown hi", undefined],
  ["/test.alias hi", { kind: "select", ref: "test.alias" }, "hi"],
  ["/Test.Alias@work hi", { kind: "select", ref: "test.alias", profile: "work", glued: true }, "hi"],
  ["/opus. hi", undefined],
  // Only at the start: a directive in the middle of a message is text for the model (README, "Coming from OpenClaw").
  ["hello /model opus", undefined],
  ["switch to /opus please", undefined],
  ["", undefined],
];

describe("parseDirective", () => {
  test.each(DIRECTIVES.map(([text, expected, rest]) => ({ text, expected, rest })))(
    "$text",
    ({ text, expected, rest }) => {
      const d = parseDirective(text, isAlias);
      if (expected === undefined) {
        expect(d).toBeUndefined();
        return;
      }
      expect(d).toBeDefined();
      if (!d) return;
      if ("error" in expected) expect(d.selection.ok ? d.selection.value : d.selection.error.code).toBe(expected.error);
      else {
        expect(d.selection.ok ? d.selection.value : d.selection.error).toEqual(expected);
        expect(d.rest).toBe(rest);
      }
    },
  );
});

describe("formatSelection round trip", () => {
  const special = fc.constantFrom(
    "@",
    "+",
    "/",
    " ",
    '"',
    "\\",
    "\u201c",
    "\u201d",
    "-",
    ":",
    "\t",
    "\u00a0",
    "=",
    "\n",
  );
  const unit = fc.oneof(special, fc.string({ unit: "binary", minLength: 1, maxLength: 1 }));
  const text = fc.string({ unit, minLength: 1, maxLength: 24 });
  const ref = text.filter((s) => s.trim() !== "");

  test("parse(format(ref, profile)) gives the same pair", () => {
    fc.assert(
      fc.property(ref, fc.option(text, { nil: undefined }), (r, p) => {
        const parsed = parseInvocation("model", formatSelection(r, p));
        expect(parsed.ok ? parsed.value : parsed.error).toEqual(
          p === undefined ? { kind: "select", ref: r } : { kind: "select", ref: r, profile: p },
        );
      }),
      { numRuns: 2000 },
    );
  });

  test("the same holds with a scope flag after it", () => {
    fc.assert(
      fc.property(ref, text, fc.constantFrom("-s", "--agent", "-g"), (r, p, flag) => {
        const parsed = parseInvocation("model", `${formatSelection(r, p)} ${flag}`);
        expect(parsed.ok && parsed.value.kind === "select" ? [parsed.value.ref, parsed.value.profile] : parsed).toEqual(
          [r, p],
        );
      }),
      { numRuns: 500 },
    );
  });

  test("common refs print bare", () => {
    expect(formatSelection("anthropic/claude-opus-5-5")).toBe("anthropic/claude-opus-5-5");
    expect(formatSelection("openai/gpt-5", "openai:owner+work@example.com")).toBe(
      'openai/gpt-5@"openai:owner+work@example.com"',
    );
    expect(formatSelection("default")).toBe('"default"');
    expect(formatSelection("claude-3-5@2024-10-22")).toBe('"claude-3-5@2024-10-22"');
  });
});
