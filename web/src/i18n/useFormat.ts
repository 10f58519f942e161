// Dates and times in the resident's chosen language (Settings), not the browser's: a Chinese page
// on an English phone still says 2026年11月29日 14:05, and English says 29 Nov 2026, 14:05. Times
// are 24-hour in both. `const f = useFormat()` then `f.dateTime(ms)`; chain times are seconds, so
// multiply by 1000 (or use `f.chainTime(seconds)`).
import type { Lang } from "@core/i18n";
import { useMemo } from "react";
import { useLang } from "./useT";

export type Formatters = ReturnType<typeof formatters>;

export function formatters(lang: Lang) {
  const locale = lang === "zh" ? "zh-CN" : "en-GB";
  const make = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat(locale, { hour12: false, ...options });
  const dateTime = make({ dateStyle: "medium", timeStyle: "short" });
  const shortDateTime = make({ dateStyle: "short", timeStyle: "short" });
  const date = make({ dateStyle: "medium" });
  const time = make({ timeStyle: "short" });
  const shortDateTimeWithSeconds = make({ dateStyle: "short", timeStyle: "medium" });
  const timeWithSeconds = make({ timeStyle: "medium" });
  return {
    locale,
    /** 2026年11月29日 14:05 · 29 Nov 2026, 14:05 */
    dateTime: (ms: number) => dateTime.format(ms),
    /** A block's time (seconds since 1970), as dateTime. */
    chainTime: (seconds: number | bigint) => dateTime.format(Number(seconds) * 1000),
    /** 2026/11/29 14:05 · 29/11/2026, 14:05 (tables) */
    shortDateTime: (ms: number) => shortDateTime.format(ms),
    /** 2026/11/29 14:05:09 (a shop's receipts, where seconds tell two payments apart) */
    shortDateTimeWithSeconds: (ms: number) => shortDateTimeWithSeconds.format(ms),
    /** 2026年11月29日 · 29 Nov 2026 */
    date: (ms: number) => date.format(ms),
    /** 14:05 */
    time: (ms: number) => time.format(ms),
    /** 14:05:09 (a shop's live receipts) */
    timeWithSeconds: (ms: number) => timeWithSeconds.format(ms),
  };
}

export function useFormat(): Formatters {
  const lang = useLang();
  return useMemo(() => formatters(lang), [lang]);
}
