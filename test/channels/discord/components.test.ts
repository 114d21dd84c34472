import { describe, expect, it } from "vitest";
import { pickerComponents, readPress, type PickerBinding } from "../../../src/channels/discord/components.js";
import type { Reply } from "../../../src/gateway/types.js";

const opener: PickerBinding = { secret: "s3cret", channelId: "4400000000000000001", userId: "2200000000000000001" };
const other: PickerBinding = { ...opener, userId: "2200000000000000002" };

const reply: Reply = {
  text: "anthropic — 29 models, page 1/2",
  choices: [
    { label: "claude-opus-5-5 · opus", payload: "m:s:abc123:0:0", selected: true },
    { label: "claude-sonnet-5-5 · sonnet", payload: "m:s:abc123:0:1" },
  ],
  actions: [
    { label: "1/2", payload: "m:n:abc123:0:0" },
    { label: "Next ▶", payload: "m:p:abc123:0:1" },
    { label: "Back", payload: "m:h:abc123:0" },
    { label: "Reset to default", payload: "m:r" },
    { label: "Cancel", payload: "m:x" },
  ],
  page: { index: 0, count: 2 },
  replace: true,
};

describe("pickerComponents", () => {
  it("renders a select of choices, a navigation row and an action row", () => {
    const rows = pickerComponents(reply, opener);
    const shape = rows.map((r) =>
      r.components.map((c) =>
        "options" in c
          ? { select: c.options.map((o) => o.label) }
          : "label" in c
            ? { label: c.label, style: c.style, disabled: c.disabled ?? false }
            : {},
      ),
    );
    expect(shape).toEqual([
      [{ select: ["✓ claude-opus-5-5 · opus", "claude-sonnet-5-5 · sonnet"] }],
      [
        { label: "1/2", style: 2, disabled: true },
        { label: "Next ▶", style: 2, disabled: false },
      ],
      [
        { label: "Back", style: 2, disabled: false },
        { label: "Reset to default", style: 2, disabled: false },
        { label: "Cancel", style: 4, disabled: false },
      ],
    ]);
    for (const row of rows) {
      for (const c of row.components) {
        if ("custom_id" in c) expect(c.custom_id.length).toBeLessThanOrEqual(100);
        if ("options" in c) for (const o of c.options) expect(o.value.length).toBeLessThanOrEqual(100);
      }
    }
  });

  it("adds a page indicator between Prev and Next when the plugin gives only a page", () => {
    const rows = pickerComponents(
      {
        text: "t",
        actions: [
          { label: "◀ Prev", payload: "p" },
          { label: "Next ▶", payload: "n" },
        ],
        page: { index: 1, count: 3 },
      },
      opener,
    );
    expect(rows[0]?.components.map((c) => ("label" in c ? c.label : ""))).toEqual(["◀ Prev", "2/3", "Next ▶"]);
  });

  it("keeps at most 25 options and unique ids", () => {
    const choices = Array.from({ length: 30 }, (_, i) => ({ label: `m${i}`, payload: `p${i % 28}` }));
    const [row] = pickerComponents({ text: "t", choices }, opener);
    const select = row?.components[0];
    expect(select && "options" in select ? select.options.length : 0).toBe(25);
  });
});

describe("readPress", () => {
  const rows = pickerComponents(reply, opener);
  const select = rows[0]?.components[0];
  const next = rows[1]?.components[1];
  if (!select || !("options" in select) || !next || !("custom_id" in next)) throw new Error("unexpected components");
  const value = select.options[1]?.value ?? "";

  it("gives the payload of a button or the chosen option to the opener", () => {
    expect(readPress(opener, next.custom_id, [])).toEqual({ kind: "ok", payload: "m:p:abc123:0:1" });
    expect(readPress(opener, select.custom_id, [value])).toEqual({ kind: "ok", payload: "m:s:abc123:0:1" });
  });

  it("recognises someone else's press", () => {
    expect(readPress(other, next.custom_id, [])).toEqual({ kind: "foreign" });
    expect(readPress(other, select.custom_id, [value])).toEqual({ kind: "foreign" });
  });

  it("refuses forged, edited or moved data", () => {
    expect(readPress(opener, next.custom_id.replace(/1$/, "2"), [])).toEqual({ kind: "invalid" });
    expect(readPress(opener, select.custom_id, ["forged"])).toEqual({ kind: "invalid" });
    expect(readPress(opener, select.custom_id, [])).toEqual({ kind: "invalid" });
    expect(readPress({ ...opener, channelId: "999" }, next.custom_id, [])).toEqual({ kind: "invalid" });
    expect(readPress({ ...opener, secret: "other bot" }, next.custom_id, [])).toEqual({ kind: "invalid" });
    expect(readPress(opener, "openclaw:page", [])).toEqual({ kind: "invalid" });
    expect(readPress(opener, "", [])).toEqual({ kind: "invalid" });
  });
});
