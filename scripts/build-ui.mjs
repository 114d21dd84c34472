// Builds the control page's browser code (web/) into dist/ui/: one script and one style sheet that
// the gateway serves under /ui/ (src/ui/page.ts). Offline, with the esbuild the CLI bundle uses; no
// framework and no chart library, so the page needs nothing but this server.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const out = path.join(root, "dist", "ui");

await build({
  absWorkingDir: root,
  entryPoints: ["web/main.ts"],
  outfile: path.join(out, "app.js"),
  bundle: true,
  minify: true,
  format: "esm",
  platform: "browser",
  target: "es2022",
  logLevel: "warning",
});
fs.copyFileSync(path.join(root, "web", "app.css"), path.join(out, "app.css"));
