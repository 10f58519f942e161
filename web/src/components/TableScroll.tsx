// A table that a phone shows as stacked cards: one card per row, each value under its column's
// name, so nothing is clipped or pushed sideways (the app column is phone-wide everywhere). The
// column names are copied from the header into each cell's data-label (CSS shows them), and the
// table roles are set explicitly because CSS display changes make some browsers forget them.
// Still a focusable, named region for keyboard and screen-reader users.
import { type ReactNode, useLayoutEffect, useRef } from "react";

function labelCells(region: HTMLElement): void {
  for (const table of region.querySelectorAll("table")) {
    table.setAttribute("role", "table");
    const names = [...table.querySelectorAll("thead th")].map((th) => (th.textContent ?? "").trim());
    for (const row of table.querySelectorAll("tr")) {
      row.setAttribute("role", "row");
      [...row.children].forEach((cell, i) => {
        const header = cell.tagName === "TH" && cell.getAttribute("scope") === "col";
        cell.setAttribute("role", header ? "columnheader" : cell.tagName === "TH" ? "rowheader" : "cell");
        const name = names[i];
        if (!header && name && cell.getAttribute("data-label") !== name) cell.setAttribute("data-label", name);
      });
    }
  }
}

export function TableScroll({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  const ref = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const region = ref.current;
    if (!region) return;
    labelCells(region);
    // Rows come and go as receipts and ledger pages load; label the new ones too.
    const observer = new MutationObserver(() => labelCells(region));
    observer.observe(region, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, []);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a named region the keyboard can reach, as before.
    <section ref={ref} className="table-scroll" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </section>
  );
}
