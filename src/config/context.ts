import { configPath, stateDir } from "./paths.js";
import { loadConfig, type LoadedConfig } from "./load.js";
import { loadEnv, type LoadedEnv } from "./env.js";
import { defaultAgentId } from "./agents.js";
import { buildCatalog, type Catalog } from "../models/catalog.js";

/** Everything derived from the process environment and the state directory, loaded once. */
export interface LoadedContext {
  readonly stateDir: string;
  readonly loaded: LoadedConfig;
  readonly env: LoadedEnv;
  readonly catalog: Catalog;
  readonly defaultAgentId: string;
}

/**
 * Resolves paths, loads and validates `openclaw.json`, merges the environment and builds the
 * catalog. Throws `UserFacingError` for an invalid config. Loads no SDK and no channel library.
 */
export function loadContext(opts: { processEnv?: NodeJS.ProcessEnv; cwd?: string } = {}): LoadedContext {
  const processEnv = opts.processEnv ?? process.env;
  const state = stateDir(processEnv);
  const loaded = loadConfig(configPath(processEnv));
  const env = loadEnv({ processEnv, cwd: opts.cwd ?? process.cwd(), stateDir: state, config: loaded.config });
  return {
    stateDir: state,
    loaded,
    env,
    catalog: buildCatalog(loaded.config),
    defaultAgentId: defaultAgentId(loaded.config),
  };
}
