import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** A fake `systemctl` on a private `PATH` directory that records its calls and keeps a unit state. */
export interface FakeSystemctl {
  /** The directory to put first on `PATH`. */
  readonly bin: string;
  /** Every call's arguments, in order (`--user daemon-reload`, …). */
  calls(): string[];
  /**
   * Makes calls exit 1 printing `stderr`: every call (a machine without a user bus), or only those
   * of one verb (`enable`, `disable`, …).
   */
  failWith(stderr: string, verb?: string): void;
}

// `$1` is always `--user` and `$2` the verb. `show` prints the state the last start/stop/enable
// left; start and restart make it run as pid 4242. enable and disable create and remove the
// `default.target.wants/` link as systemctl does.
const SCRIPT = `#!/bin/sh
dir=$(dirname "$0")
echo "$*" >> "$dir/calls.log"
if [ -f "$dir/fail" ]; then cat "$dir/fail" >&2; exit 1; fi
if [ -f "$dir/fail.$2" ]; then cat "$dir/fail.$2" >&2; exit 1; fi
state="$dir/state"
wants="\${XDG_CONFIG_HOME:-$HOME/.config}/systemd/user/default.target.wants"
for unit in "$@"; do :; done
inactive() { printf 'LoadState=loaded\\nActiveState=inactive\\nSubState=dead\\nMainPID=0\\n' > "$state"; }
case "$2" in
  show) if [ -f "$state" ]; then cat "$state"; else printf 'LoadState=not-found\\nActiveState=inactive\\nSubState=dead\\nMainPID=0\\n'; fi ;;
  start|restart) printf 'LoadState=loaded\\nActiveState=active\\nSubState=running\\nMainPID=4242\\n' > "$state" ;;
  enable) mkdir -p "$wants" && ln -sf "../$unit" "$wants/$unit" && inactive ;;
  disable) rm -f "$wants/$unit" && inactive ;;
  stop) inactive ;;
esac
exit 0
`;

/** Writes a fake `systemctl` into a new temporary directory. */
export function fakeSystemctl(): FakeSystemctl {
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), "openclaw-fake-systemctl-"));
  fs.writeFileSync(path.join(bin, "systemctl"), SCRIPT, { mode: 0o755 });
  return {
    bin,
    calls: () => {
      const log = path.join(bin, "calls.log");
      return fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
    },
    failWith: (stderr, verb) => fs.writeFileSync(path.join(bin, verb === undefined ? "fail" : `fail.${verb}`), stderr),
  };
}
