import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";

/** Mode for directories that hold state or secrets. */
export const DIR_MODE = 0o700;
/** Mode for every file we write under the state directory. */
export const FILE_MODE = 0o600;

/** Creates `dir` (and parents) and forces mode 0700 on it even when it already existed wider. */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  fs.chmodSync(dir, DIR_MODE);
}

/**
 * Writes `data` to `file` atomically: a sibling temp file (0600 from birth, so the content is never
 * readable by others, not even for a moment) is fsynced and renamed over the target. The
 * directory is made 0700 unless `privateDir` is false (a file outside the state directory).
 */
export function writeFileAtomic(file: string, data: string, opts: { privateDir?: boolean } = {}): void {
  const dir = path.dirname(file);
  if (opts.privateDir !== false) ensurePrivateDir(dir);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`);
  const fd = fs.openSync(tmp, "wx", FILE_MODE);
  try {
    fs.writeFileSync(fd, data);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  fs.chmodSync(file, FILE_MODE);
}

/** Reads a file as UTF-8, or `undefined` when it does not exist. */
export function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
