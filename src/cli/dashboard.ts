import type { CliIo } from "./io.js";
import { EXIT } from "./errors.js";
import { toJson } from "./format.js";
import { desktopOpener, type UrlOpener } from "./open-url.js";
import { stateDir } from "../config/paths.js";
import { handoffFile, readHandoff, type Handoff } from "../ui/handoff.js";

/** Flags of `openclaw dashboard`. */
export interface DashboardOptions {
  /** False with `--no-open`. */
  readonly open?: boolean;
  readonly json?: boolean;
  readonly revoke?: boolean;
}

/** How long the running gateway may take to answer. */
const ASK_MS = 5000;

type Asked =
  | { readonly ok: true; readonly body: Record<string, unknown> }
  | { readonly ok: false; readonly reason: string };

/** POSTs to one of the gateway's CLI endpoints with the key only this user can read. */
async function ask(handoff: Handoff, path: string): Promise<Asked> {
  try {
    const res = await fetch(`${handoff.url}${path}`, {
      method: "POST",
      headers: { authorization: `Bearer ${handoff.key}` },
      signal: AbortSignal.timeout(ASK_MS),
    });
    if (!res.ok) {
      await res.body?.cancel();
      return { ok: false, reason: `the gateway at ${handoff.url} answered HTTP ${res.status}` };
    }
    return { ok: true, body: (await res.json()) as Record<string, unknown> };
  } catch {
    return {
      ok: false,
      reason: `the gateway is not running (nothing answers at ${handoff.url}); start it with \`openclaw gateway\``,
    };
  }
}

/**
 * `openclaw dashboard [--no-open] [--json] [--revoke]`: asks the running gateway for a one-time
 * link to its control page and prints it (and opens it where a desktop exists, unless `--no-open`
 * or `--json`). The gateway is found through `<state>/control-ui.json`, which it writes at start
 * with its address and a key readable only by its user. `--json` prints `{ ok, url, expiresAtMs }`,
 * or `{ ok: false, reason }` and exits 1 when the gateway is not running. `--revoke` ends every
 * control page session instead.
 */
export async function runDashboard(
  io: CliIo,
  opts: DashboardOptions,
  _args: string[] = [],
  opener: UrlOpener = desktopOpener(io),
): Promise<number> {
  const state = stateDir(io.env);
  const handoff = readHandoff(state);
  const asked: Asked = handoff
    ? await ask(handoff, opts.revoke ? "/ui/api/revoke" : "/ui/api/link")
    : {
        ok: false,
        reason: `the gateway is not running (no ${handoffFile(state)}); start it with \`openclaw gateway\``,
      };
  if (!asked.ok || !handoff) {
    const reason = asked.ok ? "unreachable" : asked.reason;
    if (opts.json) io.out(toJson({ ok: false, reason }));
    else io.err(`error: ${reason}`);
    return EXIT.problem;
  }
  if (opts.revoke) {
    const ended = Number(asked.body.ended ?? 0);
    if (opts.json) io.out(toJson({ ok: true, ended }));
    else io.out(`Ended every control page session (${ended} live). Run \`openclaw dashboard\` for a new link.`);
    return EXIT.ok;
  }
  const url = `${handoff.url}${String(asked.body.path)}`;
  const expiresAtMs = Number(asked.body.expiresAtMs);
  if (opts.json) {
    io.out(toJson({ ok: true, url, expiresAtMs }));
    return EXIT.ok;
  }
  io.out(`Control page: ${url}`);
  io.out(`The link works once, until ${new Date(expiresAtMs).toISOString()} (5 minutes).`);
  if (opts.open !== false) opener(url);
  return EXIT.ok;
}
