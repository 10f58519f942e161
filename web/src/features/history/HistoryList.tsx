// The movements list. Rows are in normal flow and take the height their content needs (large
// text, long shop names and English never get clipped or hidden under the next row); to keep
// 10,000 entries cheap, the list grows a page at a time as the reader nears its end, and each row
// says its position (aria-posinset / aria-setsize) so screen readers know the whole length.

import type { HistoryEntry } from "@core/history/assemble";
import { type ReactNode, useEffect, useRef, useState } from "react";

/** Rows added each time the reader comes near the end of what is shown. */
export const PAGE_ROWS = 60;

export type HistoryListProps = {
  entries: readonly HistoryEntry[];
  label: string;
  renderRow: (entry: HistoryEntry) => ReactNode;
};

/** How many rows to show next: one more page, never more than there are. */
export function nextShown(shown: number, count: number): number {
  return Math.min(count, shown + PAGE_ROWS);
}

export function HistoryList({ entries, label, renderRow }: HistoryListProps) {
  const end = useRef<HTMLDivElement>(null);
  const [shown, setShown] = useState(PAGE_ROWS);

  useEffect(() => {
    const el = end.current;
    if (!el || shown >= entries.length) return;
    // A screen ahead of the end is enough to keep scrolling smooth.
    const observer = new IntersectionObserver(
      (seen) => {
        if (seen.some((s) => s.isIntersecting)) setShown((n) => nextShown(n, entries.length));
      },
      { rootMargin: "0px 0px 100% 0px" },
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, [shown, entries.length]);

  return (
    <>
      <ol className="history-list" aria-label={label}>
        {entries.slice(0, shown).map((entry, i) => (
          <li key={entry.id} className="history-row" aria-posinset={i + 1} aria-setsize={entries.length}>
            {renderRow(entry)}
          </li>
        ))}
      </ol>
      <div ref={end} aria-hidden="true" />
    </>
  );
}
