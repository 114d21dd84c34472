import { ButtonStyle, ComponentType, type APIButtonComponentWithCustomId, type APISelectMenuOption } from "discord.js";
import { bindPayload, unbindPayload } from "../../gateway/bound-payload.js";
import type { Choice, Reply } from "../../gateway/types.js";
import { clip, type ComponentRow } from "./messages.js";

/** Who a picker belongs to and where it is: the input of every custom_id's MAC. */
export interface PickerBinding {
  /** Shared by every instance of the bot (derived from the token). */
  readonly secret: string;
  /** The channel (or thread) the message carrying the picker is in. */
  readonly channelId: string;
  /** The user who opened the picker (on a press: the presser, to check against). */
  readonly userId: string;
}

/** What a pressed component means. */
export type Press =
  | { readonly kind: "ok"; readonly payload: string }
  /** Pressed by someone other than the user who opened the picker. */
  | { readonly kind: "foreign" }
  /** Forged, edited, or from another chat or bot. */
  | { readonly kind: "invalid" };

// A select's custom_id binds the empty payload (no plugin payload is empty); its option values
// carry the bound choice payloads themselves, so a forged value is caught like a forged button.
const SELECT_PAYLOAD = "";
const PAGE_INDICATOR_ID = "openclaw:page";
const MAX_CUSTOM_ID = 100;
const MAX_OPTIONS = 25;
const MAX_BUTTONS_PER_ROW = 5;
const MAX_ROWS = 5;
const PAGE_LABEL = /^\s*\d+\s*\/\s*\d+\s*$/;
// ◀ and ▶, escaped: the CLI bundle must stay ASCII (scripts/bundle-cli.mjs).
const PREV = /prev|\u25C0/i;
const NEXT = /next|\u25B6/i;

function bound(b: PickerBinding, payload: string): string | undefined {
  const id = bindPayload(b.secret, b.channelId, b.userId, payload);
  return id.length <= MAX_CUSTOM_ID ? id : undefined;
}

function checked(choice: Choice): string {
  return choice.selected ? `✓ ${choice.label}` : choice.label;
}

function selectRow(choices: readonly Choice[], b: PickerBinding): ComponentRow | undefined {
  const customId = bound(b, SELECT_PAYLOAD);
  const seen = new Set<string>();
  const options: APISelectMenuOption[] = [];
  for (const c of choices) {
    const value = c.payload === SELECT_PAYLOAD ? undefined : bound(b, c.payload);
    if (value === undefined || seen.has(value) || options.length === MAX_OPTIONS) continue;
    seen.add(value);
    options.push({ label: clip(checked(c), 100), value });
  }
  if (customId === undefined || options.length === 0) return undefined;
  return {
    type: ComponentType.ActionRow,
    components: [
      {
        type: ComponentType.StringSelect,
        custom_id: customId,
        placeholder: "Choose…",
        min_values: 1,
        max_values: 1,
        options,
      },
    ],
  };
}

function button(action: Choice, b: PickerBinding): APIButtonComponentWithCustomId | undefined {
  const label = clip(checked(action), 80);
  if (PAGE_LABEL.test(action.label)) {
    return {
      type: ComponentType.Button,
      style: ButtonStyle.Secondary,
      label,
      custom_id: PAGE_INDICATOR_ID,
      disabled: true,
    };
  }
  if (action.payload === SELECT_PAYLOAD) return undefined;
  const customId = bound(b, action.payload);
  if (customId === undefined) return undefined;
  const style = action.selected
    ? ButtonStyle.Primary
    : /cancel/i.test(action.label)
      ? ButtonStyle.Danger
      : ButtonStyle.Secondary;
  return { type: ComponentType.Button, style, label, custom_id: customId };
}

/** Actions with a page indicator (`2/5`, disabled) between ◀ Prev and Next ▶ when the reply is paged. */
function withIndicator(reply: Reply): Choice[] {
  const actions = [...(reply.actions ?? [])];
  const page = reply.page;
  if (!page || page.count <= 1 || actions.some((a) => PAGE_LABEL.test(a.label))) return actions;
  const indicator: Choice = { label: `${page.index + 1}/${page.count}`, payload: "" };
  const prev = actions.findIndex((a) => PREV.test(a.label));
  const next = actions.findIndex((a) => NEXT.test(a.label));
  const at = prev >= 0 ? prev + 1 : Math.max(next, 0);
  actions.splice(at, 0, indicator);
  return actions;
}

/**
 * Renders a Reply's `choices` as one string select (at most 25 options) and its `actions` as
 * buttons: navigation (◀ Prev, page x/y, Next ▶) on one row, the rest (Back, Reset, Cancel) after.
 * Every custom_id and option value is bound to the opener and channel ({@link bindPayload}), so a
 * press can be checked with {@link readPress}. Pure: the output is the wire payload.
 */
export function pickerComponents(reply: Reply, b: PickerBinding): ComponentRow[] {
  const rows: ComponentRow[] = [];
  if (reply.choices && reply.choices.length > 0) {
    const row = selectRow(reply.choices, b);
    if (row) rows.push(row);
  }
  const seen = new Set<string>();
  const nav: APIButtonComponentWithCustomId[] = [];
  const other: APIButtonComponentWithCustomId[] = [];
  for (const action of withIndicator(reply)) {
    const btn = button(action, b);
    if (!btn || seen.has(btn.custom_id)) continue;
    seen.add(btn.custom_id);
    const isNav = btn.custom_id === PAGE_INDICATOR_ID || PREV.test(action.label) || NEXT.test(action.label);
    (isNav ? nav : other).push(btn);
  }
  for (const group of [nav, other]) {
    for (let i = 0; i < group.length; i += MAX_BUTTONS_PER_ROW) {
      rows.push({ type: ComponentType.ActionRow, components: group.slice(i, i + MAX_BUTTONS_PER_ROW) });
    }
  }
  return rows.slice(0, MAX_ROWS);
}

/**
 * Reads a press: the custom_id (and for a select, the chosen value) checked against the presser
 * and channel. Untrusted input in; never throws.
 */
export function readPress(b: PickerBinding, customId: string, values: readonly string[]): Press {
  const outer = unbindPayload(b.secret, b.channelId, b.userId, customId);
  if (outer.kind !== "ok") return { kind: outer.kind };
  if (outer.payload !== SELECT_PAYLOAD) return outer;
  const value = values[0];
  if (value === undefined) return { kind: "invalid" };
  const inner = unbindPayload(b.secret, b.channelId, b.userId, value);
  if (inner.kind !== "ok" || inner.payload === SELECT_PAYLOAD)
    return { kind: inner.kind === "foreign" ? "foreign" : "invalid" };
  return inner;
}
