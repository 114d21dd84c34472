import fs from "node:fs";
import path from "node:path";
import type { LoadOptions } from "./load.js";

/** `openclaw.json` and, when read, our own file, as absolute paths. */
export function configFiles(file: string, load: LoadOptions): string[] {
  return [file, ...(load.ownFile !== undefined ? [load.ownFile] : [])].map((f) => path.resolve(f));
}

/** Size, time and inode of each file (`missing` when absent): a change means read again. */
export function filesStamp(files: readonly string[]): string {
  return files
    .map((f) => {
      try {
        const st = fs.statSync(f);
        return `${st.mtimeMs}:${st.size}:${st.ino}`;
      } catch {
        return "missing";
      }
    })
    .join("|");
}

/** What the config files look like on disk now (size, time, inode): a change means read again. */
export function configStamp(file: string, load: LoadOptions): string {
  return filesStamp(configFiles(file, load));
}
