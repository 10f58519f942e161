// A wide table's horizontal scroller. Keyboard users must be able to reach and scroll it, so it is
// a focusable, named region (axe: scrollable-region-focusable).
import type { ReactNode } from "react";

export function TableScroll({ labelledBy, children }: { labelledBy: string; children: ReactNode }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled by keyboard.
    <div className="table-scroll" role="region" aria-labelledby={labelledBy} tabIndex={0}>
      {children}
    </div>
  );
}
