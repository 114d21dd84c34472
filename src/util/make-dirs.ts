import fs from "node:fs";
import path from "node:path";
import { fsFailure, NAME_MAX, PATH_MAX } from "./fs-failure.js";

/** Thrown inside {@link makeDirs} to carry the failing errno past the rollback. */
function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(code), { code });
}

/** Removes an empty directory this process made, leaving it if something else wrote into it. */
export function removeQuietly(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch {
    // Left behind only if something else wrote into it meanwhile; that is not ours to delete.
  }
}

/**
 * Creates `dir` and its missing parents with `mode`, or fails once with an error that names the
 * directory and the reason. Node's own `mkdirSync(dir, { recursive: true })` can spin forever
 * where a parent exists but refuses new entries (`/proc/nope`: mkdir answers ENOENT, the parent
 * answers EEXIST, and round it goes), so this walks each component exactly once. When a deeper
 * step fails, the directories this call made are removed again: a failed command leaves no trace.
 * Returns the directories it created, outermost first.
 */
export function makeDirs(dir: string, mode: number): string[] {
  const target = path.resolve(dir);
  if (target.length > PATH_MAX || target.split(path.sep).some((name) => Buffer.byteLength(name) > NAME_MAX)) {
    throw fsFailure("dir_not_creatable", "create directory", target, errno("ENAMETOOLONG"));
  }
  const missing: string[] = [];
  try {
    for (let cur = target; ; cur = path.dirname(cur)) {
      let st: fs.Stats | undefined;
      try {
        st = fs.statSync(cur, { throwIfNoEntry: false });
      } catch (err) {
        // A file further up makes every path below it ENOTDIR; keep walking to find and name it.
        if ((err as NodeJS.ErrnoException).code !== "ENOTDIR") throw err;
      }
      if (st?.isDirectory()) break;
      if (st) throw errno(cur === target ? "EEXIST" : "ENOTDIR");
      if (path.dirname(cur) === cur) break;
      missing.push(cur);
    }
  } catch (err) {
    throw fsFailure("dir_not_creatable", "create directory", target, err);
  }
  const created: string[] = [];
  for (const d of missing.reverse()) {
    try {
      fs.mkdirSync(d, { mode });
      created.push(d);
    } catch (err) {
      // Another process made it between our stat and mkdir: that is the outcome we wanted.
      if ((err as NodeJS.ErrnoException).code === "EEXIST" && fs.statSync(d, { throwIfNoEntry: false })?.isDirectory())
        continue;
      for (const c of created.reverse()) removeQuietly(c);
      throw fsFailure("dir_not_creatable", "create directory", d, err);
    }
  }
  return created;
}
