import fs from "node:fs";
import path from "node:path";
import { packageRoot } from "../util/package-root.js";
import type { HttpResponse } from "../gateway/http-server.js";

/**
 * The page's script and style, built offline by `npm run build` (scripts/build-ui.mjs) into
 * `dist/ui/`, read once when the gateway starts; undefined when they were not built.
 */
export interface UiAssets {
  readonly js: string;
  readonly css: string;
}

/** Where the build puts the page's assets. */
export function assetsDir(): string {
  return path.join(packageRoot(), "dist", "ui");
}

/** The built assets, or undefined when `npm run build` has not made them. */
export function readAssets(dir: string = assetsDir()): UiAssets | undefined {
  try {
    return {
      js: fs.readFileSync(path.join(dir, "app.js"), "utf8"),
      css: fs.readFileSync(path.join(dir, "app.css"), "utf8"),
    };
  } catch {
    return undefined;
  }
}

/**
 * Headers of every `/ui` answer: scripts and styles only from this server (no inline script, no
 * CDN), no framing, no referrer (a link token in the address bar goes nowhere), nothing cached.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};

/** The views the page has, by path. */
export const VIEW_PATHS = ["/ui/", "/ui/chats", "/ui/spend"] as const;

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

function html(status: number, body: string, extraHead = ""): HttpResponse {
  return {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": "text/html; charset=utf-8" },
    body: `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>OpenClaw control</title>${extraHead}</head>\n<body>${body}</body></html>\n`,
  };
}

/** The page shell: the script draws the view its path names and keeps it up to date. */
export function shell(csrf: string): HttpResponse {
  return html(
    200,
    '<header><h1>OpenClaw control</h1><nav aria-label="Views"><a href="/ui/">Credentials</a><a href="/ui/chats">Chats</a><a href="/ui/spend">Spend</a></nav></header><main id="view"><p>Loading…</p></main><p id="notice" role="status" aria-live="polite"></p>',
    `<meta name="csrf-token" content="${escapeHtml(csrf)}"><link rel="stylesheet" href="/ui/app.css"><script type="module" src="/ui/app.js"></script>`,
  );
}

/** How to get in, for a browser without a live session. */
export const HOW_TO_LOG_IN =
  "Run `openclaw dashboard` on the gateway's host for a new link (it works once, for 5 minutes).";

/** A page that says why it is not shown, and what to do. */
export function refusalPage(status: number, title: string, text: string): HttpResponse {
  return html(status, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}
