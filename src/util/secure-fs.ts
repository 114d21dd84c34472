import fs from "node:fs";
import path from "node:path";
import { fsFailure } from "./fs-failure.js";
import { makeDirs, removeQuietly } from "./make-dirs.js";

/** Mode for directories that hold state or secrets. */
export const DIR_MODE = 0o700;
/** Mode for every file we write under the state directory. */
export const FILE_MODE = 0o600;

/** Creates `dir` (and parents) and forces mode 0700 on it even when it already existed wider. */
export function ensurePrivateDir(dir: string): void {
  makeDirs(dir, DIR_MODE);
  try {
    fs.chmodSync(dir, DIR_MODE);
  } catch (err) {
    throw fsFailure("dir_not_writable", "make private the directory", dir, err);
  }
}

/**
 * A name part no other writer uses at the same moment. It need not be unguessable: the file is
 * opened with `wx`, so a name that exists (or a planted link) fails the write instead of being
 * followed. Not `node:crypto`, which would cost every CLI start a few milliseconds.
 */
function uniqueSuffix(): string {
  return `${process.pid}.${Math.random().toString(36).slice(2, 10)}`;
}

/**
 * Fails with the error a real write of `file` would meet, before anything is changed: a command
 * that writes two files checks the second first, so a failure leaves the first one untouched.
 * Directories it has to make for the check (only with `createDir`) are removed again.
 */
export function assertCanWrite(file: string, opts: { createDir: boolean }): void {
  const dir = path.dirname(file);
  const created = opts.createDir ? makeDirs(dir, DIR_MODE) : [];
  const probe = path.join(dir, `.${path.basename(file)}.${uniqueSuffix()}.probe`);
  try {
    fs.closeSync(fs.openSync(probe, "wx", FILE_MODE));
    fs.rmSync(probe, { force: true });
  } catch (err) {
    throw fsFailure("file_not_writable", "write", file, err);
  } finally {
    for (const d of created.reverse()) removeQuietly(d);
  }
}

/**
 * Writes `data` to `file` atomically: a sibling temp file (0600 from birth, so the content is never
 * readable by others, not even for a moment) is fsynced and renamed over the target. The
 * directory is made 0700 unless `privateDir` is false (a file outside the state directory).
 */
export function writeFileAtomic(file: string, data: string, opts: { privateDir?: boolean } = {}): void {
  const dir = path.dirname(file);
  if (opts.privateDir !== false) ensurePrivateDir(dir);
  const tmp = path.join(dir, `.${path.basename(file)}.${uniqueSuffix()}.tmp`);
  let fd: number;
  try {
    fd = fs.openSync(tmp, "wx", FILE_MODE);
  } catch (err) {
    throw fsFailure("file_not_writable", "write", file, err);
  }
  try {
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw fsFailure("file_not_writable", "write", file, err);
  }
  fs.chmodSync(file, FILE_MODE);
}

/**
 * Reads a file as UTF-8, or `undefined` when it does not exist. Any other failure (a file where a
 * directory belongs, a path too long, no permission) is one clear line naming the file.
 */
export function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw fsFailure("file_not_readable", "read", file, err);
  }
}
