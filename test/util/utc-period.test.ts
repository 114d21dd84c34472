import { describe, expect, it } from "vitest";
import { periodAt, utcMinute } from "../../src/util/utc-period.js";

const at = (iso: string) => Date.parse(iso);

describe("UTC budget periods", () => {
  it("a day runs from 00:00 UTC to the next 00:00 UTC, whatever the hour", () => {
    expect(periodAt("daily", at("2026-12-07T23:59:59.999Z"))).toEqual({
      from: at("2026-12-07T00:00:00Z"),
      to: at("2026-12-08T00:00:00Z"),
    });
    expect(periodAt("daily", at("2026-12-08T00:00:00Z")).from).toBe(at("2026-12-08T00:00:00Z"));
  });

  it("a month runs from the 1st to the next 1st, across a year end and a leap February", () => {
    expect(periodAt("monthly", at("2026-12-31T23:00:00Z"))).toEqual({
      from: at("2026-12-01T00:00:00Z"),
      to: at("2027-01-01T00:00:00Z"),
    });
    expect(periodAt("monthly", at("2028-02-29T12:00:00Z"))).toEqual({
      from: at("2028-02-01T00:00:00Z"),
      to: at("2028-03-01T00:00:00Z"),
    });
  });

  it("says when a period ends as a UTC minute", () => {
    expect(utcMinute(at("2027-01-01T00:00:00Z"))).toBe("2027-01-01 00:00 UTC");
  });
});
