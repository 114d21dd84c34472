import { configPath, ownConfigPath, stateDir } from "./paths.js";
import type { LoadedConfig, LoadOptions } from "./load.js";
import { loadEnv, type EnvFiles, type LoadedEnv } from "./env.js";
import { defaultAgentId } from "./agents.js";

/** Everything derived from the process environment and the state directory, loaded once. */
export interface LoadedContext {
  readonly stateDir: string;
  readonly loaded: LoadedConfig;
  readonly env: LoadedEnv;
  readonly defaultAgentId: string;
}

/** Where a context's environment comes from. */
export interface ContextSources {
  readonly stateDir: string;
  readonly processEnv: NodeJS.ProcessEnv;
  /** The `.env` files as read at start. */
  readonly envFiles: EnvFiles;
}

/**
 * The context of an already loaded config: the merged environment and the default agent. The
 * assembly calls it at start (for `doctor`, with an empty config when the file is broken, so its
 * other checks still run) and the gateway again for each config it re-reads, with the `.env` files
 * read at start, so only the config's `env` block can change.
 */
export function contextFor(loaded: LoadedConfig, sources: ContextSources): LoadedContext {
  const { stateDir: state, processEnv, envFiles } = sources;
  return {
    stateDir: state,
    loaded,
    env: loadEnv({ processEnv, files: envFiles, config: loaded.config }),
    defaultAgentId: defaultAgentId(loaded.config),
  };
}

/** How `loadConfig` is called for a process environment: both files, `${VAR}` from that environment. */
export function configSources(processEnv: NodeJS.ProcessEnv): { file: string; opts: LoadOptions } {
  return {
    file: configPath(processEnv),
    opts: { ownFile: ownConfigPath(processEnv), env: processEnv, stateDir: stateDir(processEnv) },
  };
}
