import { configPath, ownConfigPath, stateDir } from "./paths.js";
import { loadConfig, type LoadedConfig, type LoadOptions } from "./load.js";
import { loadEnv, type LoadedEnv } from "./env.js";
import { defaultAgentId } from "./agents.js";
import type { ConfigSection } from "./plugin-section.js";

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
  readonly cwd: string;
}

/**
 * The context of an already loaded config: the merged environment and the default agent. The
 * gateway calls it again for each config it re-reads; `doctor` calls it with an empty config when
 * the file is broken, so its other checks still run.
 */
export function contextFor(loaded: LoadedConfig, sources: ContextSources): LoadedContext {
  const { stateDir: state, processEnv, cwd } = sources;
  return {
    stateDir: state,
    loaded,
    env: loadEnv({ processEnv, cwd, stateDir: state, config: loaded.config }),
    defaultAgentId: defaultAgentId(loaded.config),
  };
}

/** How {@link loadConfig} is called for a process environment: both files, `${VAR}` from that environment. */
export function configSources(processEnv: NodeJS.ProcessEnv): { file: string; opts: LoadOptions } {
  return {
    file: configPath(processEnv),
    opts: { ownFile: ownConfigPath(processEnv), env: processEnv, stateDir: stateDir(processEnv) },
  };
}

/**
 * Resolves paths, loads and validates `openclaw.json` with our own file on top (and the loaded
 * plugins' `sections` in it), and merges the environment. Throws
 * `UserFacingError` for an invalid config. Loads no SDK, no channel library and not the model
 * catalog: that is built from the config by `src/models/`, which depends on config, never the reverse.
 */
export function loadContext(
  opts: { processEnv?: NodeJS.ProcessEnv; cwd?: string; sections?: readonly ConfigSection[] } = {},
): LoadedContext {
  const processEnv = opts.processEnv ?? process.env;
  const { file, opts: loadOpts } = configSources(processEnv);
  const sections = opts.sections;
  return contextFor(loadConfig(file, sections ? { ...loadOpts, sections } : loadOpts), {
    stateDir: stateDir(processEnv),
    processEnv,
    cwd: opts.cwd ?? process.cwd(),
  });
}
