import type { LoadedEnv } from "../config/env.js";
import type { OpenClawConfig } from "../config/schema.js";
import { listProfiles, type AuthProfilesFile } from "./profiles.js";
import {
  describeRef,
  type ExecPlan,
  isExecPlan,
  prepareSecretRef,
  runExecPlan,
  type SecretRef,
  type SecretRefContext,
  type SecretRefResult,
  secretProvidersOf,
} from "./secret-ref.js";

interface ExecEntry {
  result: SecretRefResult;
  /** Whether a failure was handed out since it arrived: only then does the next use try again. */
  seen: boolean;
}

/**
 * The answers of exec refs' programs, kept across config reloads and keyed by everything that
 * decides an answer (provider settings, request, environment), so a changed provider runs again.
 * A program runs at most once at a time per key.
 */
export class ExecRefResults {
  private readonly entries = new Map<string, ExecEntry>();
  private readonly running = new Map<string, Promise<SecretRefResult>>();

  /** `onChange` hears of every answer that differs from the one before, e.g. to prepare credentials again. */
  constructor(private readonly onChange: () => void = () => undefined) {}

  /** The last answer for `key`; a failure is marked as handed out. */
  take(key: string): { result: SecretRefResult; retry: boolean } | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const retry = !e.result.ok && e.seen;
    e.seen = true;
    return { result: e.result, retry };
  }

  /** Runs the program of `plan` (or joins the run under way) and keeps its answer. */
  run(key: string, plan: ExecPlan): Promise<SecretRefResult> {
    let p = this.running.get(key);
    if (!p) {
      p = runExecPlan(plan).then((result) => {
        this.running.delete(key);
        const before = this.entries.get(key)?.result;
        this.entries.set(key, { result, seen: false });
        if (!sameResult(before, result)) this.onChange();
        return result;
      });
      this.running.set(key, p);
    }
    return p;
  }
}

function sameResult(a: SecretRefResult | undefined, b: SecretRefResult): boolean {
  if (a === undefined) return false;
  return a.ok ? b.ok && a.value === b.value : !b.ok && a.why === b.why;
}

/** Every SecretRef the profiles of `files` hold. */
function refsIn(files: Iterable<AuthProfilesFile>): SecretRef[] {
  const out: SecretRef[] = [];
  for (const f of files) for (const p of listProfiles(f)) if (p.ref) out.push(p.ref);
  return out;
}

/**
 * The SecretRefs of one config and environment. Env and file refs resolve at once; an exec ref's
 * program runs in the background ({@link prefetch} at load, or at first use), never on the path
 * of a message, and its answer is kept in {@link ExecRefResults}.
 */
export class SecretRefs {
  private readonly ctx: SecretRefContext;
  private readonly results: ExecRefResults;

  /**
   * `loaded.path` is the config file: file and exec refs trust it only while it is private. Env
   * refs read `env.forRefs`, never the working directory's `.env`. `onSecret` sees every secret a
   * ref resolved to, so a CLI can keep it out of its output.
   */
  constructor(
    loaded: { readonly config: OpenClawConfig; readonly path: string },
    env: LoadedEnv,
    opts: { readonly results?: ExecRefResults; readonly onSecret?: (secret: string) => void } = {},
  ) {
    this.ctx = {
      env: env.forRefs,
      onlyInCwd: env.onlyInCwd,
      providers: secretProvidersOf(loaded.config),
      configPath: loaded.path,
    };
    this.results = opts.results ?? new ExecRefResults();
    this.onSecret = opts.onSecret ?? (() => undefined);
  }

  private readonly onSecret: (secret: string) => void;

  private hasExecProvider(): boolean {
    const p = this.ctx.providers;
    return (
      typeof p === "object" &&
      p !== null &&
      Object.values(p).some((v) => typeof v === "object" && v !== null && (v as { source?: unknown }).source === "exec")
    );
  }

  private seen(r: SecretRefResult): SecretRefResult {
    if (r.ok) this.onSecret(r.value);
    return r;
  }

  /**
   * The answer for the resolver, without waiting: an exec ref answers from its program's last
   * run. With no answer yet, the program is started and the ref is unresolved until it answers;
   * a failure is tried again at the next use after it was reported.
   */
  readonly now = (ref: SecretRef): SecretRefResult => {
    const r = prepareSecretRef(ref, this.ctx);
    if (!isExecPlan(r)) return this.seen(r);
    const key = planKey(r);
    const last = this.results.take(key);
    if (!last || last.retry) void this.results.run(key, r);
    if (last) return this.seen(last.result);
    return { ok: false, why: `${r.run.command} is still answering ${describeRef(ref)}` };
  };

  /** Resolves `ref` now, running an exec ref's program again. */
  async resolve(ref: SecretRef): Promise<SecretRefResult> {
    const r = prepareSecretRef(ref, this.ctx);
    return this.seen(isExecPlan(r) ? await this.results.run(planKey(r), r) : r);
  }

  /**
   * Runs, all at once, the program of every exec ref in `files` that has no answer yet; resolves
   * when all answered. `files` is read only when the config has an exec provider at all.
   */
  async prefetch(files: () => Iterable<AuthProfilesFile>): Promise<void> {
    if (!this.hasExecProvider()) return;
    const runs: Promise<SecretRefResult>[] = [];
    for (const ref of refsIn(files())) {
      const r = prepareSecretRef(ref, this.ctx);
      if (!isExecPlan(r)) continue;
      const key = planKey(r);
      const last = this.results.take(key);
      if (!last?.result.ok) runs.push(this.results.run(key, r));
    }
    await Promise.all(runs);
  }
}

/** Everything that decides an exec ref's answer. Held in memory only: the environment may hold secrets. */
function planKey(plan: ExecPlan): string {
  return JSON.stringify([plan.ref.provider, plan.ref.id, plan.provider.jsonOnly, plan.run]);
}
