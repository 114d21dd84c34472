import { loadConfig, type LoadedConfig, type LoadOptions } from "../config/load.js";
import { ownWriteCount } from "../config/write.js";
import { buildCatalog, type Catalog } from "../models/catalog.js";
import type { Clock } from "../util/clock.js";
import { configFiles, filesStamp } from "../config/stamp.js";

/** Where a {@link LiveConfig} reads from and how it reports a broken edit. */
export interface LiveConfigOptions {
  /** `openclaw.json`. */
  readonly file: string;
  /** How the files are read (our own file, `${VAR}`, the state dir), as the first load did. */
  readonly load: LoadOptions;
  readonly clock: Clock;
  /** Told once per broken edit; the last good config stays. */
  readonly onError: (message: string) => void;
  /** Taken by `configStamp` (config/stamp.ts) just before the initial config was read, so an edit in between is seen. */
  readonly stamp: string;
  /** How often another process's edit is looked for, at most (default 250 ms). */
  readonly checkEveryMs?: number;
}

/**
 * The config of a running gateway, re-read when `openclaw.json` or our own file
 * (`model-gateway.json`) changes on disk: at once after this process wrote one (`/model x -g`),
 * else checked at most every `checkEveryMs` (another instance, an editor). A broken edit keeps the
 * last good config and reports the error once, so a typo never takes the gateway down. It starts
 * from the config the process already read, so start-up reads the files once.
 */
export class LiveConfig {
  private current: LoadedConfig;
  private catalogCache: Catalog | undefined;
  private stamp: string;
  private checkedAt: number;
  private generation = 0;
  private seenOwnWrites: number;
  private readonly files: readonly string[];
  private readonly checkEveryMs: number;

  constructor(
    initial: LoadedConfig,
    private readonly opts: LiveConfigOptions,
  ) {
    this.files = configFiles(opts.file, opts.load);
    this.seenOwnWrites = ownWriteCount();
    this.current = initial;
    this.stamp = opts.stamp;
    this.checkEveryMs = opts.checkEveryMs ?? 250;
    // Checked at once on first use: the files may have changed since the stamp was taken.
    this.checkedAt = -Infinity;
  }

  /** The current config, refreshed if a file changed. */
  get(): LoadedConfig {
    this.refresh();
    return this.current;
  }

  /** The catalog for the current config. */
  catalog(): Catalog {
    this.refresh();
    this.catalogCache ??= buildCatalog(this.current.config);
    return this.catalogCache;
  }

  /** Increases whenever a new config was loaded; lets dependents rebuild lazily. */
  version(): number {
    this.refresh();
    return this.generation;
  }

  private refresh(): void {
    const now = this.opts.clock();
    const own = ownWriteCount();
    if (own === this.seenOwnWrites && now - this.checkedAt < this.checkEveryMs) return;
    this.seenOwnWrites = own;
    this.checkedAt = now;
    const stamp = filesStamp(this.files);
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    try {
      this.current = loadConfig(this.opts.file, this.opts.load);
      this.catalogCache = buildCatalog(this.current.config);
      this.generation++;
    } catch (err) {
      this.opts.onError(err instanceof Error ? err.message : String(err));
    }
  }
}
