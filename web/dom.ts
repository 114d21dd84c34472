/** Children an element is built with: nodes, text, or nothing (skipped). */
export type Child = Node | string | undefined | false;

function append(el: Element, children: readonly Child[]): void {
  for (const c of children) if (c !== undefined && c !== false) el.append(c);
}

/**
 * Builds an HTML element. Text goes in as text nodes, never as markup: nothing the server sends
 * can become a script.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Readonly<Record<string, string>> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  append(el, children);
  return el;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Builds an SVG element. */
export function svg(
  tag: string,
  attrs: Readonly<Record<string, string | number>> = {},
  ...children: Child[]
): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  append(el, children);
  return el;
}

/** A button that runs `onClick`; its visible text names what it does, `label` says it to screen readers. */
export function button(text: string, label: string, id: string, onClick: () => void): HTMLButtonElement {
  const b = h("button", { type: "button", "aria-label": label, id }, text);
  b.addEventListener("click", onClick);
  return b;
}

/**
 * Replaces `target`'s content with `content`, keeping keyboard focus on the control that had it
 * (matched by id): the views redraw every second, and a keyboard user must not lose their place.
 */
export function redraw(target: Element, content: readonly (Node | string)[]): void {
  const focused = document.activeElement?.id;
  target.replaceChildren(...content);
  if (focused) document.getElementById(focused)?.focus();
}
