// The movements list, windowed: only the rows in view (plus a few either side) exist in the page,
// so 10,000 entries scroll as smoothly as 10. Rows have one fixed height (in rem, so large-text
// mode scales it); the list keeps its full height so the scrollbar and keyboard paging stay true,
// and each row says its position (aria-posinset / aria-setsize) for screen readers.

import type { HistoryEntry } from "@core/history/assemble";
import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";

const ROW_REM = 4.75;
const OVERSCAN = 6;

function rootFontPx(): number {
  if (typeof document === "undefined") return 16;
  return Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16;
}

export type HistoryListProps = {
  entries: readonly HistoryEntry[];
  label: string;
  renderRow: (entry: HistoryEntry) => ReactNode;
};

/** Which rows to render for a viewport: pure, so it can be reasoned about apart from the DOM. */
export function visibleRange(count: number, rowPx: number, listTop: number, viewportHeight: number) {
  const first = Math.max(0, Math.floor(-listTop / rowPx) - OVERSCAN);
  const last = Math.min(count, Math.ceil((viewportHeight - listTop) / rowPx) + OVERSCAN);
  return { first, last: Math.max(first, last) };
}

export function HistoryList({ entries, label, renderRow }: HistoryListProps) {
  const ref = useRef<HTMLOListElement>(null);
  const [rowPx, setRowPx] = useState(() => ROW_REM * rootFontPx());
  const [range, setRange] = useState({ first: 0, last: 30 });

  const measure = useCallback(() => {
    const el = ref.current;
    if (!el) return;
    const px = ROW_REM * rootFontPx();
    setRowPx(px);
    const next = visibleRange(entries.length, px, el.getBoundingClientRect().top, window.innerHeight);
    setRange((r) => (r.first === next.first && r.last === next.last ? r : next));
  }, [entries.length]);

  useEffect(() => {
    measure();
    // The page scrolls, not the list: one passive listener, no layout thrash per row.
    window.addEventListener("scroll", measure, { passive: true });
    window.addEventListener("resize", measure);
    const observer = new MutationObserver(measure);
    // Large-text mode changes the root font size through a class on <html>.
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
    return () => {
      window.removeEventListener("scroll", measure);
      window.removeEventListener("resize", measure);
      observer.disconnect();
    };
  }, [measure]);

  const rows: ReactNode[] = [];
  for (let i = range.first; i < Math.min(range.last, entries.length); i++) {
    const entry = entries[i] as HistoryEntry;
    rows.push(
      <li
        key={entry.id}
        className="history-row"
        aria-posinset={i + 1}
        aria-setsize={entries.length}
        style={{ transform: `translateY(${i * rowPx}px)`, height: `${rowPx}px` }}
      >
        {renderRow(entry)}
      </li>,
    );
  }
  return (
    <ol ref={ref} className="history-list" aria-label={label} style={{ height: `${entries.length * rowPx}px` }}>
      {rows}
    </ol>
  );
}
