import { describe, expect, test } from "vitest";
import { parseDuration, spanText, utcTimeText } from "../../src/util/duration.js";

describe("parseDuration", () => {
  test.each([
    ["90s", 90_000],
    ["1m", 60_000],
    ["30M", 1_800_000],
    ["2h", 7_200_000],
    ["1d", 86_400_000],
    ["1h30m", 5_400_000],
    ["1d12h", 129_600_000],
    ["30d", 2_592_000_000],
  ])("%s is %d ms", (text, ms) => {
    expect(parseDuration(text)).toEqual({ ok: true, value: ms });
  });

  test.each(["", "2", "h", "1.5h", "30m1h", "2 h", "-1h", "1w", "1234567h"])("%j is not a duration", (text) => {
    const r = parseDuration(text);
    expect(r.ok ? r.value : r.error.code).toBe("bad_duration");
    if (!r.ok)
      expect(r.error.hint).toBe(
        "Write a duration such as 90s, 30m, 2h, 1d or 1h30m: at least 1 minute, at most 30 days.",
      );
  });

  test("the bounds are said in the error", () => {
    const short = parseDuration("59s");
    expect(short.ok ? "" : short.error.message).toBe("59s is shorter than 1 minute.");
    const long = parseDuration("30d1s");
    expect(long.ok ? "" : long.error.message).toBe("30d1s is longer than 30 days.");
  });
});

describe("spanText and utcTimeText", () => {
  test("two units at most, rounded up to the minute", () => {
    expect(spanText(80 * 60_000)).toBe("1h 20m");
    expect(spanText(2 * 3_600_000)).toBe("2h");
    expect(spanText(59_001)).toBe("1m");
    expect(spanText(30_000)).toBe("30s");
    expect(spanText(51 * 3_600_000 + 1)).toBe("2d 3h");
  });

  test("the date appears only when the time is not on the same UTC day", () => {
    const now = Date.UTC(2026, 11, 7, 14, 10);
    expect(utcTimeText(Date.UTC(2026, 11, 7, 15, 30), now)).toBe("15:30 UTC");
    expect(utcTimeText(Date.UTC(2026, 11, 9, 15, 30), now)).toBe("2026-12-09 15:30 UTC");
  });
});
