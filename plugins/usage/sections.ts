/** A titled list of lines in a reply; rows that do not fit are cut from its end and counted. */
export interface Section {
  readonly heading: string;
  readonly rows: readonly string[];
  /** The line that stands for `n` rows left out. */
  more(n: number): string;
}

/** Rows per section tried at first: a 4096-character message holds no more lines of ~60 characters. */
const MOST_ROWS = 60;

function render(head: readonly string[], sections: readonly Section[], shown: readonly number[]): string {
  const parts = [head.join("\n")];
  sections.forEach((s, i) => {
    const n = shown[i] ?? 0;
    const lines = [s.heading, ...s.rows.slice(0, n)];
    if (n < s.rows.length) lines.push(s.more(s.rows.length - n));
    parts.push(lines.join("\n"));
  });
  return parts.join("\n\n");
}

/**
 * The head and every section within `max` characters: while too long, the section showing the most
 * rows gives up its last one, so every section keeps its heading and its largest rows.
 */
export function fitSections(head: readonly string[], sections: readonly Section[], max: number): string {
  // More lines than any channel's message holds are never tried.
  const shown = sections.map((s) => Math.min(s.rows.length, MOST_ROWS));
  let text = render(head, sections, shown);
  while (text.length > max) {
    const most = Math.max(...shown);
    if (most === 0) return text.slice(0, max);
    shown[shown.indexOf(most)] = most - 1;
    text = render(head, sections, shown);
  }
  return text;
}
