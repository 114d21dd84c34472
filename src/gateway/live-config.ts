import fs from "node:fs";
import path from "node:path";
import { loadConfig, type LoadedConfig, type LoadOptions } from "../config/load.js";
import { ownWriteCount } from "../config/write.js";
import { buildCatalog, type Catalog } from "../models/catalog.js";
import type { Clock } from "../util/clock.js";

/**
 * The config of a running gateway, re-read when `openclaw.json` or our own file
 * (`model-gateway.json`) changes on disk: at once after this process wrote one (`/model x -g`),
 * else checked at most every `checkEveryMs` (another instance, an editor). A broken edit keeps the
 * last good config and reports the error once, so a typo never takes the gateway down.
 */
export class LiveConfig {
  private current: LoadedConfig;
  private catalogCache: Catalog;
  private stamp: string;
  private checkedAt = 0;
  private generation = 0;
  private seenOwnWrites: number;
  private readonly files: readonly string[];

  constructor(
    private readonly file: string,
    private readonly clock: Clock,
    private readonly onError: (message: string) => void,
    private readonly checkEveryMs = 250,
    private readonly load: LoadOptions = {},
  ) {
    this.files = [file, ...(load.ownFile !== undefined ? [load.ownFile] : [])].map((f) => path.resolve(f));
    this.seenOwnWrites = this.ownWrites();
    this.current = loadConfig(file, load);
    this.catalogCache = buildCatalog(this.current.config);
    this.stamp = this.stampOf();
  }

  /** The current config, refreshed if a file changed. */
  get(): LoadedConfig {
    this.refresh();
    return this.current;
  }

  /** The catalog for the current config. */
  catalog(): Catalog {
    this.refresh();
    return this.catalogCache;
  }

  /** Increases whenever a new config was loaded; lets dependents rebuild lazily. */
  version(): number {
    this.refresh();
    return this.generation;
  }

  private ownWrites(): number {
    return this.files.reduce((n, f) => n + ownWriteCount(f), 0);
  }

  private stampOf(): string {
    return this.files
      .map((f) => {
        try {
          const st = fs.statSync(f);
          return `${st.mtimeMs}:${st.size}:${st.ino}`;
        } catch {
          return "missing";
        }
      })
      .join("|");
  }

  private refresh(): void {
    const now = this.clock();
    const own = this.ownWrites();
    if (own === this.seenOwnWrites && now - this.checkedAt < this.checkEveryMs) return;
    this.seenOwnWrites = own;
    this.checkedAt = now;
    const stamp = this.stampOf();
    if (stamp === this.stamp) return;
    this.stamp = stamp;
    try {
      this.current = loadConfig(this.file, this.load);
      this.catalogCache = buildCatalog(this.current.config);
      this.generation++;
    } catch (err) {
      this.onError(err instanceof Error ? err.message : String(err));
    }
  }
}
