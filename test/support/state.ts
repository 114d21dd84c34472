import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateLegacy } from "../../src/config/own-settings.js";

/**
 * A private temporary state directory holding `openclaw.json` (with our own settings split off
 * into `model-gateway.json`) and the main agent's `auth-profiles.json`, laid out and moded as the
 * gateway expects. Returns its path.
 */
export function writeStateDir(opts: {
  prefix: string;
  config?: object;
  /** Written into `model-gateway.json` besides what `config`'s former keys move there (plugins' sections). */
  own?: object;
  authProfiles?: object;
  stateDir?: string;
}): string {
  const stateDir = opts.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), opts.prefix));
  fs.chmodSync(stateDir, 0o700);
  if (opts.config || opts.own) {
    // Laid out as this version keeps it: OpenClaw's keys in its file, ours in model-gateway.json.
    const openclaw = structuredClone(opts.config ?? {}) as Record<string, unknown>;
    const own = structuredClone(opts.own ?? {}) as Record<string, unknown>;
    migrateLegacy(openclaw, own, { stateDir });
    fs.writeFileSync(path.join(stateDir, "openclaw.json"), JSON.stringify(openclaw, null, 2), { mode: 0o600 });
    if (Object.keys(own).length > 0)
      fs.writeFileSync(path.join(stateDir, "model-gateway.json"), JSON.stringify(own, null, 2), { mode: 0o600 });
  }
  if (opts.authProfiles) {
    const agentDir = path.join(stateDir, "agents", "main", "agent");
    fs.mkdirSync(agentDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(path.join(agentDir, "auth-profiles.json"), JSON.stringify(opts.authProfiles, null, 2), {
      mode: 0o600,
    });
  }
  return stateDir;
}
