import os from "node:os";
import path from "node:path";

/** Where OpenClaw keeps state: `$OPENCLAW_STATE_DIR`, else `~/.openclaw`. */
export function stateDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.OPENCLAW_STATE_DIR?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(os.homedir(), ".openclaw");
}

/** The config file: `$OPENCLAW_CONFIG_PATH`, else `<state>/openclaw.json`. */
export function configPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.OPENCLAW_CONFIG_PATH?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(stateDir(env), "openclaw.json");
}

/** Our own settings, the ones OpenClaw has no key for: `$MODEL_GATEWAY_CONFIG`, else `<state>/model-gateway.json`. */
export function ownConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.MODEL_GATEWAY_CONFIG?.trim();
  return fromEnv ? path.resolve(fromEnv) : path.join(stateDir(env), "model-gateway.json");
}

/** `<state>/.env`, read by daemons that do not see the login shell's environment. */
export function stateEnvFile(state: string): string {
  return path.join(state, ".env");
}

/** An agent's private directory: `<state>/agents/<agentId>/agent`. */
export function agentDir(state: string, agentId: string): string {
  return path.join(state, "agents", agentId, "agent");
}

/** An agent's credential file. */
export function authProfilesPath(state: string, agentId: string): string {
  return path.join(agentDir(state, agentId), "auth-profiles.json");
}

/** Where the embedded session store lives: `<state>/state/`. */
export function sessionStateDir(state: string): string {
  return path.join(state, "state");
}
