import fs from "node:fs";
import path from "node:path";
import { UserFacingError, userError } from "./user-error.js";

/** Linux's limits; a path past them fails in the kernel, so we refuse it before touching disk. */
export const PATH_MAX = 4095;
export const NAME_MAX = 255;

/** Shortens a path for a one-line message: a 5,000-character path would bury the reason. */
export function shortPath(p: string): string {
  if (p.length <= 160) return p;
  return `${p.slice(0, 80)}…${p.slice(-48)} (${p.length} characters)`;
}

/** The nearest existing ancestor of `p` that is not a directory, if any. */
function fileInTheWay(p: string): string | undefined {
  for (let cur = path.dirname(p); cur !== path.dirname(cur); cur = path.dirname(cur)) {
    try {
      const st = fs.statSync(cur, { throwIfNoEntry: false });
      if (st) return st.isDirectory() ? undefined : cur;
    } catch {
      // ENOTDIR: the file in the way is further up.
    }
  }
  return undefined;
}

/** Why creating or writing `target` failed, in words a person can act on. */
export function fsReason(err: unknown, target: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  switch (code) {
    case "ENOENT": {
      const parent = path.dirname(target);
      return fs.existsSync(parent)
        ? `${shortPath(parent)} does not accept new entries (a virtual or read-only filesystem)`
        : `${shortPath(parent)} does not exist`;
    }
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ENOTDIR":
    case "EEXIST": {
      const blocker = code === "EEXIST" ? target : fileInTheWay(target);
      return blocker ? `${shortPath(blocker)} is a file, not a directory` : "a file stands where a directory should be";
    }
    case "EROFS":
      return "the filesystem is read-only";
    case "ENOSPC":
      return "no space left on the device";
    case "EDQUOT":
      return "the disk quota is used up";
    case "ENAMETOOLONG":
      return `the path is too long (at most ${PATH_MAX} characters, ${NAME_MAX} per name)`;
    case "EISDIR":
      return "it is a directory, not a file";
    case "ELOOP":
      return "too many symbolic links";
    default:
      return code ?? (err instanceof Error ? err.message : String(err));
  }
}

/**
 * The error for a failed filesystem step: one line that names the path and the reason, never a
 * stack. `code` is stable for tests and logic (`dir_not_creatable`, `file_not_writable`, ...).
 */
export function fsFailure(code: string, what: string, target: string, err: unknown): UserFacingError {
  return new UserFacingError(userError(code, `Cannot ${what} ${shortPath(target)}: ${fsReason(err, target)}.`));
}
