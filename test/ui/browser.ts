import { spawnSync } from "node:child_process";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { packageRoot } from "../../src/util/package-root.js";

/** Debian's Chromium (CI installs it with apt: .ci/debian-packages.sh). */
export const CHROMIUM = "/usr/bin/chromium";

/** Builds the page's assets into dist/ui/, as `npm run build` does, so the gateway serves them. */
export function buildPageAssets(): void {
  const built = spawnSync(process.execPath, [path.join(packageRoot(), "scripts", "build-ui.mjs")], {
    encoding: "utf8",
  });
  if (built.status !== 0) throw new Error(`scripts/build-ui.mjs failed: ${built.stderr}`);
}

/** A headless Chromium; `--no-sandbox` because CI runs as root. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ["--no-sandbox"] });
}
