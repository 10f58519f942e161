// Dates and times follow the resident's language setting, not the browser's locale, and use a
// 24-hour clock in both languages.
import { describe, expect, it } from "vitest";
import { formatters } from "../../web/src/i18n/useFormat";

// Noon UTC: the same calendar day in every time zone the test machine may have.
const noon = Date.UTC(2026, 10, 29, 12, 0, 0);

describe("formatters", () => {
  it("writes a Chinese date the Chinese way and an English date the English way", () => {
    expect(formatters("zh").date(noon)).toBe("2026年11月29日");
    expect(formatters("en").date(noon)).toBe("29 Nov 2026");
    expect(formatters("zh").chainTime(noon / 1000)).toContain("2026年11月29日");
    expect(formatters("en").chainTime(BigInt(noon / 1000))).toContain("29 Nov 2026");
  });

  it("never uses AM/PM or 上午/下午", () => {
    const evening = noon + 7 * 3600 * 1000;
    for (const lang of ["zh", "en"] as const) {
      const f = formatters(lang);
      for (const text of [f.dateTime(evening), f.time(evening), f.timeWithSeconds(evening), f.shortDateTime(evening)])
        expect(text).not.toMatch(/AM|PM|am|pm|上午|下午|晚上/);
      expect(f.timeWithSeconds(evening)).toMatch(/\d{2}:\d{2}:\d{2}/);
    }
  });
});
