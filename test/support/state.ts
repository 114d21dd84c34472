import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * A private temporary state directory holding `openclaw.json` and the main agent's
 * `auth-profiles.json`, laid out and moded as the gateway expects. Returns its path.
 */
export function writeStateDir(opts: {
  prefix: string;
  config?: object;
  authProfiles?: object;
  stateDir?: string;
}): string {
  const stateDir = opts.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), opts.prefix));
  fs.chmodSync(stateDir, 0o700);
  if (opts.config)
    fs.writeFileSync(path.join(stateDir, "openclaw.json"), JSON.stringify(opts.config, null, 2), { mode: 0o600 });
  if (opts.authProfiles) {
    const agentDir = path.join(stateDir, "agents", "main", "agent");
    fs.mkdirSync(agentDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(agentDir, "auth-profiles.json"), JSON.stringify(opts.authProfiles, null, 2), {
      mode: 0o600,
    });
  }
  return stateDir;
}
