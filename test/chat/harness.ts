/**
 * A gateway for provider tests: the real config loader, credential files, env merging and resolver
 * (the app's assembly over a temp state dir), the real SQLite session store behind its cache,
 * an injected clock, and the chat responder pointed at the loopback fake
 * provider through `models.providers.<p>.baseUrl`.
 */
import fs from "node:fs";
import { afterEach, expect } from "vitest";
import { assemble } from "../../src/app/assemble.js";
import { masked } from "../../src/gateway/host.js";
import type { ChatResponder, CommandContext, GatewayObserver, GatewayServices } from "../../src/gateway/types.js";
import type { Log } from "../../src/gateway/log.js";
import type { PeekableSessionStore } from "../../src/sessions/cached-store.js";
import { createChatResponder, type ChatOptions } from "../../src/chat/responder.js";
import { DEFAULT_CHAT_COMMANDS, type ChatCommands } from "../../src/chat/failure-text.js";
import { startTurn } from "../../src/chat/model.js";
import type { ChatSettings, Turn } from "../../src/chat/turn.js";
import type { Candidate } from "../../src/auth/resolver.js";
import { writeStateDir } from "../support/state.js";
import type { FakeProvider } from "../fakes/provider-api.js";
import { scaled } from "../support/slowness.js";

/** The epoch every test starts at. */
export const T0 = 1_800_000_000_000;
export const MAIN_KEY = "agent:main:main";

/** A settable clock. */
export interface TestClock {
  (): number;
  set(ms: number): void;
  advance(ms: number): void;
}

export function testClock(start = T0): TestClock {
  let now = start;
  const clock = (() => now) as TestClock;
  clock.set = (ms) => void (now = ms);
  clock.advance = (ms) => void (now += ms);
  return clock;
}

/** What a provider test sets up. */
export interface ChatHarnessOptions {
  /** Merged over a config that points anthropic, openai and openrouter at the fake. */
  readonly config?: Record<string, unknown>;
  readonly authProfiles?: object;
  readonly env?: Record<string, string>;
  readonly chat?: ChatOptions;
  /** Hears every command and model request, as the gateway's metrics do. */
  readonly observer?: GatewayObserver;
}

export interface ChatHarness {
  readonly services: GatewayServices;
  readonly sessions: PeekableSessionStore;
  readonly chat: ChatResponder;
  readonly clock: TestClock;
  /** The temp state dir the gateway runs on (`OPENCLAW_STATE_DIR`), for a CLI run beside it. */
  readonly stateDir: string;
  readonly logs: string[];
  /** Every reply text so far. */
  readonly replies: string[];
  /** Sends a plain message in a session (default: the console DM session). */
  say(text: string, ctx?: Partial<CommandContext>): Promise<string>;
  /** Sends a plain message with a sink: the final text and every text the sink was shown. */
  stream(text: string, onUpdate?: (textSoFar: string) => void): Promise<{ text: string; updates: string[] }>;
  context(overrides?: Partial<CommandContext>): CommandContext;
  close(): Promise<void>;
}

/** The `models.providers` block that sends every provider to the fake. */
export function fakeProviders(fake: FakeProvider): Record<string, unknown> {
  return {
    anthropic: { baseUrl: fake.url },
    openai: { baseUrl: `${fake.url}/v1` },
    openrouter: { baseUrl: `${fake.url}/v1` },
  };
}

export async function createChatHarness(fake: FakeProvider, opts: ChatHarnessOptions = {}): Promise<ChatHarness> {
  const userModels = (opts.config?.models ?? {}) as { providers?: Record<string, unknown> };
  const config = {
    ...opts.config,
    models: { ...userModels, providers: { ...fakeProviders(fake), ...userModels.providers } },
  };
  const stateDir = writeStateDir({
    prefix: "openclaw-providers-",
    config,
    ...(opts.authProfiles ? { authProfiles: opts.authProfiles } : {}),
  });
  const clock = testClock();
  const logs: string[] = [];
  const replies: string[] = [];
  const log: Log = (level, message) => void logs.push(`[${level}] ${message}`);
  const app = assemble({
    env: { OPENCLAW_STATE_DIR: stateDir, ...opts.env },
    cwd: stateDir,
    clock,
    log,
    ...(opts.observer !== undefined ? { observer: opts.observer } : {}),
  });
  const services = await app.gateway();
  const sessions = services.sessions;
  const chat = createChatResponder(services, log, { timeoutMs: scaled(2_000), ...opts.chat });
  const context = (overrides: Partial<CommandContext> = {}): CommandContext => ({
    invocation: {
      channel: "console",
      chatId: "local",
      sender: { id: "local" },
      isGroup: false,
      command: "",
      args: "",
      via: "text",
    },
    capabilities: { maxLength: 4096, buttons: false, ephemeral: false },
    sessionKey: MAIN_KEY,
    agentId: "main",
    isOwner: true,
    services,
    ...overrides,
  });
  return {
    services,
    sessions,
    chat,
    clock,
    stateDir,
    logs,
    replies,
    context,
    async say(text, ctx) {
      // Masked as the host masks every reply before a channel sees it.
      const reply = masked(await chat.respond(context(ctx), text));
      replies.push(reply.text);
      return reply.text;
    },
    async stream(text, onUpdate) {
      const updates: string[] = [];
      const reply = masked(
        await chat.respond(context(), text, {
          update: (t) => {
            updates.push(t);
            onUpdate?.(t);
          },
        }),
      );
      replies.push(reply.text);
      return { text: reply.text, updates };
    },
    async close() {
      await app.close();
      fs.rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

/** An api-key profile. */
export function apiKey(provider: string, key: string): object {
  return { type: "api_key", provider, key };
}

/** Asserts that no secret appears whole in any of `texts`; returns the offending pairs for a readable failure. */
export function leaks(texts: readonly string[], secrets: readonly string[]): Array<{ secret: string; text: string }> {
  const out: Array<{ secret: string; text: string }> = [];
  for (const text of texts) for (const secret of secrets) if (text.includes(secret)) out.push({ secret, text });
  return out;
}

/**
 * The chat harnesses of one test file: `harness(opts)` builds one over `fake` with `defaults`
 * under `opts`; after each test, every reply and log line of that test's harnesses is checked for
 * `secrets` (so a leak names the test that caused it), and the harnesses are closed.
 */
export function leakCheckedHarnesses(
  fake: FakeProvider,
  secrets: readonly string[],
  defaults: ChatHarnessOptions = {},
): (opts?: ChatHarnessOptions) => Promise<ChatHarness> {
  let open: ChatHarness[] = [];
  afterEach(async () => {
    for (const h of open) {
      expect(leaks([...h.replies, ...h.logs], secrets)).toEqual([]);
      await h.close();
    }
    open = [];
  });
  return async (opts = {}) => {
    const h = await createChatHarness(fake, { ...defaults, ...opts });
    open.push(h);
    return h;
  };
}

/** The settings a step test runs with. */
export const TEST_SETTINGS: ChatSettings = { timeoutMs: scaled(2_000), maxAnswerTokens: 4_096 };

/** What a step test may change about the turn the model step builds. */
export interface TestTurnOptions {
  readonly ctx?: Partial<CommandContext>;
  readonly commands?: ChatCommands;
  readonly shutdown?: AbortSignal;
  readonly settings?: ChatSettings;
}

/**
 * A turn of `text` in the harness's session, built by the model step as the responder builds it,
 * for tests that run one step on its own.
 */
export async function startTestTurn(h: ChatHarness, text: string, opts: TestTurnOptions = {}): Promise<Turn> {
  const turn = await startTurn(
    {
      services: h.services,
      settings: opts.settings ?? TEST_SETTINGS,
      commands: opts.commands ?? DEFAULT_CHAT_COMMANDS,
      shutdown: opts.shutdown ?? new AbortController().signal,
    },
    h.context(opts.ctx),
    text,
    undefined,
  );
  if (typeof turn === "string") throw new Error(`the model step refused the turn: ${turn}`);
  return turn;
}

/** A non-owner writing in Telegram group `chatId`: where masked secrets are not shown. */
export function groupNonOwner(chatId: string): Partial<CommandContext> {
  return {
    sessionKey: `agent:main:telegram:group:${chatId}`,
    isOwner: false,
    invocation: { channel: "telegram", chatId, sender: { id: "7" }, isGroup: true, command: "", args: "", via: "text" },
  };
}

/** The resolver's candidate `id` of `provider` (default anthropic), as the credential step would get it. */
export function candidateOf(h: ChatHarness, id: string, provider = "anthropic"): Candidate {
  const found = h.services
    .resolver()
    .resolve({ agentId: "main", provider })
    .candidates.find((c) => c.id === id);
  if (!found) throw new Error(`no candidate ${id}`);
  return found;
}
