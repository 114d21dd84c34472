import fs from "node:fs";
import path from "node:path";

/** Why a file may not be trusted, and the command that fixes it. */
export interface Untrusted {
  readonly problem: string;
  readonly fix: string;
}

/**
 * Why code or secrets must not come from `file`, or `undefined` when only its owner (this user or
 * root) can change it: it is group- or world-writable, or owned by another user. A directory is
 * checked the same way, except that a sticky one (`/tmp`) is fine: there nobody may rename or
 * remove another's file. A file that does not exist is no answer here.
 */
export function untrusted(file: string): Untrusted | undefined {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    return undefined;
  }
  const uid = process.getuid?.();
  if (uid !== undefined && st.uid !== uid && st.uid !== 0)
    return { problem: `${file} is owned by uid ${st.uid}, not by this user or root`, fix: `chown ${uid} ${file}` };
  const sticky = st.isDirectory() && (st.mode & 0o1000) !== 0;
  if ((st.mode & 0o022) !== 0 && !sticky)
    return {
      problem: `${file} is writable by ${(st.mode & 0o002) !== 0 ? "everyone" : "its group"} (0${(st.mode & 0o777).toString(8)})`,
      fix: `chmod go-w ${file}`,
    };
  return undefined;
}

/**
 * {@link untrusted} for a program and the directory it is in, where someone could swap it; for a
 * symbolic link, for the file it leads to and that file's directory too.
 */
export function untrustedProgram(command: string): Untrusted | undefined {
  const paths = [command, path.dirname(command)];
  try {
    const real = fs.realpathSync(command);
    if (real !== command) paths.push(real, path.dirname(real));
  } catch {
    // A missing program fails when it is run, with its own message.
  }
  for (const p of paths) {
    const why = untrusted(p);
    if (why !== undefined) return why;
  }
  return undefined;
}

/** One line for a message: the problem and its fix. */
export function untrustedText(u: Untrusted): string {
  return `${u.problem}; ${u.fix}`;
}
