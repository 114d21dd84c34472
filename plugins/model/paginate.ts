import { userError, type Result } from "../../src/util/user-error.js";
import { ellipsize } from "./format.js";

/** Header and footer of a page; `page` is 1-based. */
export interface PageFrame {
  header(page: number, count: number): string;
  footer(page: number, count: number): string;
}

/** One rendered page of lines. */
export interface RenderedPage {
  readonly text: string;
  /** 1-based. */
  readonly page: number;
  readonly count: number;
}

/** What to show and how much room there is. */
export interface PageRequest {
  readonly maxLength: number;
  /** Lines per page at most; `Infinity` for "as many as fit". */
  readonly limit: number;
  /** 1-based page asked for. */
  readonly page: number;
  /** Names the list in the out-of-range message: `anthropic has 3 pages`. */
  readonly what: string;
}

/**
 * Pages `lines` so that every page, with its header and footer, fits `maxLength`: a page takes
 * lines while they fit and `limit` allows. Boundaries are decided greedily from the first line, so
 * the same list, limit and channel always give the same pages and "next page" commands stay
 * true. A page out of range is an error naming the valid range.
 */
export function paginate(lines: readonly string[], frame: PageFrame, req: PageRequest): Result<RenderedPage> {
  const n = Math.max(1, lines.length);
  // Room for the frame at its widest: page numbers never have more digits than the line count.
  const reserve =
    Math.max(frame.header(n, n).length, frame.header(1, n).length) +
    Math.max(frame.footer(n, n).length, frame.footer(Math.max(1, n - 1), n).length) +
    2;
  const budget = Math.max(16, req.maxLength - reserve);
  const fitted = lines.map((l) => ellipsize(l, budget - 1));
  const starts = [0];
  let used = 0;
  let count = 0;
  fitted.forEach((line, i) => {
    if (count > 0 && (count >= req.limit || used + line.length + 1 > budget)) {
      starts.push(i);
      used = 0;
      count = 0;
    }
    used += line.length + 1;
    count++;
  });
  const pages = starts.length;
  if (req.page < 1 || req.page > pages) {
    const range = pages === 1 ? "only page 1" : `pages 1–${pages}`;
    return {
      ok: false,
      error: userError(
        "bad_page",
        `There is no page ${req.page}: ${req.what} has ${range}.`,
        pages === 1 ? "Leave out the page number." : `Ask for a page from 1 to ${pages}.`,
      ),
    };
  }
  const from = starts[req.page - 1] ?? 0;
  const to = starts[req.page] ?? fitted.length;
  const body = fitted.slice(from, to);
  const text = [frame.header(req.page, pages), ...body, frame.footer(req.page, pages)]
    .filter((s) => s !== "")
    .join("\n");
  return { ok: true, value: { text, page: req.page, count: pages } };
}
