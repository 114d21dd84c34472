import { InvalidArgumentError, type Command } from "commander";
import type { PeekableSessionStore } from "../sessions/cached-store.js";
import { asOf } from "../sessions/record.js";
import type { SessionRecord } from "../sessions/types.js";
import type { Clock } from "../util/clock.js";
import { spanText } from "../util/duration.js";
import { columns } from "./format.js";

/** What the `sessions` commands read from the process; injectable so tests run them in-process. */
export interface SessionsCliOptions {
  readonly processEnv?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** What time it is, for timed switches (the system clock by default). */
  readonly clock?: Clock;
}

const DEFAULT_LIMIT = 100;

function parseLimit(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError("expected a whole number of 1 or more");
  return n;
}

function writer(cmd: Command): (text: string) => void {
  const out = cmd.configureOutput().writeOut;
  return out ?? ((text) => void process.stdout.write(text));
}

function profileColumn(r: SessionRecord): string {
  if (r.profileId === undefined) return "-";
  return r.pinSource === undefined ? r.profileId : `${r.profileId} (${r.pinSource})`;
}

/** `until <ISO> (1h 20m left), then <model or default>`, or `-` without a timed switch. */
function untilColumn(r: SessionRecord, now: number): string {
  const t = r.timed;
  if (t === undefined) return "-";
  return `${new Date(t.until).toISOString()} (${spanText(t.until - now)} left), then ${t.model ?? "default"}`;
}

function errWriter(cmd: Command): (text: string) => void {
  const err = cmd.configureOutput().writeErr;
  return err ?? ((text) => void process.stderr.write(text));
}

async function withStore<T>(
  opts: SessionsCliOptions,
  cmd: Command,
  fn: (store: PeekableSessionStore) => Promise<T>,
): Promise<T> {
  // Loaded on use: registering the commands costs the CLI nothing at start-up.
  const { assemble } = await import("../app/assemble.js");
  const { systemClock } = await import("../util/clock.js");
  const { cliLog } = await import("./cli-log.js");
  const warn = errWriter(cmd);
  const app = assemble({
    env: opts.processEnv ?? process.env,
    cwd: opts.cwd ?? process.cwd(),
    clock: opts.clock ?? systemClock,
    log: cliLog((line) => warn(`${line}\n`)),
  });
  for (const w of app.context.loaded.warnings) warn(`warning: ${w}\n`);
  try {
    return await fn(await app.sessions());
  } finally {
    await app.close();
  }
}

/**
 * Adds `sessions list [--json] [--limit n]` and `sessions reset <key>` to the `openclaw` program.
 * `list` prints key, model, profile (pin source), who set it and when, most recent first, and a
 * timed switch's end and way back when one is in force; `--json` prints only `{ sessions: [...],
 * truncated }` on stdout. A timed switch that has ended is shown as undone (the gateway writes
 * that back when it next reads the session). `reset` forgets a session's model
 * and pin; an unknown key exits 1.
 */
export function registerSessionsCommands(program: Command, opts: SessionsCliOptions = {}): void {
  const sessions = program
    .command("sessions")
    .description("list chat sessions and the model/profile they use, or reset one");

  sessions
    .command("list")
    .description("sessions with a model or profile set, most recently changed first")
    .option("--json", "print JSON only")
    .option("--limit <n>", `at most n sessions (default ${DEFAULT_LIMIT})`, parseLimit)
    .action(async (flags: { json?: boolean; limit?: number }, cmd: Command) => {
      const limit = flags.limit ?? DEFAULT_LIMIT;
      const now = (opts.clock ?? Date.now)();
      const listed = await withStore(opts, cmd, (store) => store.list({ limit: limit + 1 }));
      const found = listed.flatMap((r) => asOf(r, now) ?? []);
      const shown = found.slice(0, limit);
      const truncated = found.length > limit;
      const write = writer(cmd);
      if (flags.json) {
        const rows = shown.map((r) => ({
          key: r.key,
          model: r.model ?? null,
          profileId: r.profileId ?? null,
          pinSource: r.pinSource ?? null,
          setBy: r.setBy ?? null,
          updatedAt: new Date(r.updatedAt).toISOString(),
          until: r.timed ? new Date(r.timed.until).toISOString() : null,
          then: r.timed ? { model: r.timed.model ?? null, profileId: r.timed.profileId ?? null } : null,
        }));
        write(`${JSON.stringify({ sessions: rows, truncated }, null, 2)}\n`);
        return;
      }
      if (shown.length === 0) {
        write("No sessions with a model or profile set.\n");
        return;
      }
      // The UNTIL column appears only while some session has a timed switch.
      const timed = shown.some((r) => r.timed !== undefined);
      const rows = shown.map((r) => [
        r.key,
        r.model ?? "-",
        profileColumn(r),
        r.setBy ?? "-",
        new Date(r.updatedAt).toISOString(),
        ...(timed ? [untilColumn(r, now)] : []),
      ]);
      const head = ["KEY", "MODEL", "PROFILE", "SET BY", "WHEN", ...(timed ? ["UNTIL"] : [])];
      write(`${columns([head, ...rows]).join("\n")}\n`);
      if (truncated) write(`(first ${limit} shown; use --limit to see more)\n`);
    });

  sessions
    .command("reset")
    .description("forget a session's model and profile pin (it goes back to the defaults)")
    .argument("<key>", "session key, as `sessions list` prints it (e.g. agent:main:main)")
    .action(async (key: string, _flags: unknown, cmd: Command) => {
      const existed = await withStore(opts, cmd, (store) => store.delete(key));
      if (!existed) {
        cmd.error(`error: no session ${key}\nRun \`openclaw sessions list\` to see the session keys.`, {
          exitCode: 1,
          code: "sessions.unknown_key",
        });
      }
      writer(cmd)(`Reset ${key}: it uses the default model and credentials again.\n`);
    });
}
