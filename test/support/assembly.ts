import { assemble, type Assembly } from "../../src/app/assemble.js";
import { systemClock } from "../../src/util/clock.js";

/**
 * The app's services over the state directory `stateDir` (which is HOME and the working directory
 * too), as a process started with only `OPENCLAW_STATE_DIR` set sees them: for tests that put
 * data where the gateway or the CLI will find it, or read what they left.
 */
export function assembleState(stateDir: string): Assembly {
  return assemble({
    env: { OPENCLAW_STATE_DIR: stateDir, HOME: stateDir },
    cwd: stateDir,
    clock: systemClock,
    log: () => undefined,
  });
}
